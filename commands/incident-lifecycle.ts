import { personNamed } from '../src/slack/people';
import type { BlockAction, ButtonAction, RespondFn } from '@slack/bolt';
import { buildNotice, buildRefusal } from '../blocks/help';
import { incidentTitle } from '../blocks/incident';
import { buildResolveModal, RESOLUTION_NOTE_MAX } from '../blocks/incident-modal';
import { IncidentIds, parseIncidentRef } from '../blocks/ids';
import { escapeMrkdwn, mrkdwn, type Mrkdwn } from '../blocks/format';
import type { Message } from '../blocks/limits';
import type { Deps } from '../src/deps';
import { describeError } from '../src/errors';
import { postMessage } from '../src/slack/slack-io';
import { parseSeverity } from '../src/config/incidents';
import { resolveIncident } from '../src/incidents/flows';
import { changeSeverity, postStatusUpdate, setLead } from '../src/incidents/lifecycle';
import { addFollowup } from '../src/incidents/followups';
import { followupDoneButton } from '../blocks/review';
import { draftReviewAfterResolve } from '../src/review/flow';
import { getIncident, policyOf } from '../src/incidents/store';
import { resolveRefusal } from '../src/rights';
import type { ListenerRoutes } from '../src/slack/listener-routes';
import { capText, userText } from '../src/user-text';
import { afterArgs, withIncidentId, type Notice } from './incident-context';
import { reportError, tellUser } from './respond';

export const LIFECYCLE_HELP = [
  { usage: 'lead <id> [@person]', description: 'take the lead (or give it to someone)' },
  { usage: 'severity <id> <p0|p1|p2|p3>', description: 'change severity: SLAs and paging follow' },
  { usage: 'update <id> <text>', description: 'post a status update' },
  { usage: 'followup <id> <text> [@owner] [YYYY-MM-DD]', description: 'a follow-up, reminded on its due day' },
];

const USAGE: Record<string, Mrkdwn> = {
  lead: mrkdwn`\`/incident lead &lt;id&gt; [@person]\``,
  severity: mrkdwn`\`/incident severity &lt;id&gt; &lt;p0|p1|p2|p3&gt;\``,
  update: mrkdwn`\`/incident update &lt;id&gt; &lt;text&gt;\``,
  followup: mrkdwn`\`/incident followup &lt;id&gt; &lt;text&gt; [@owner] [YYYY-MM-DD]\``,
};

/** A real calendar day written YYYY-MM-DD, or null. */
function dayOf(word: string | undefined): string | null {
  if (!word || !/^\d{4}-\d{2}-\d{2}$/.test(word)) return null;
  const d = new Date(`${word}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === word ? word : null;
}

/** `/incident severity <id> <p0|p1|p2|p3>`. */
export const severitySubcommand = withIncidentId(USAGE.severity!, async ({ deps, parsed, user, ackEphemeral, respond, notice, usage }, id) => {
  const severity = parseSeverity(parsed.args[1] ?? '');
  if (!severity) return ackEphemeral(usage(mrkdwn`Which severity? ${USAGE.severity!}`));
  await ackEphemeral(buildNotice(mrkdwn`:hourglass_flowing_sand: Changing the severity…`));
  await tellUser(deps, respond, notice(await changeSeverity(deps, { id, userId: user, severity })), { replace: true });
});

/** `/incident update <id> <text>`. */
export const updateSubcommand = withIncidentId(USAGE.update!, async ({ deps, parsed, user, ackEphemeral, respond, notice, usage }, id) => {
  const text = capText(afterArgs(parsed, 1), 1000).trim();
  if (!text) return ackEphemeral(usage(mrkdwn`What is the update? ${USAGE.update!}`));
  await ackEphemeral(buildNotice(mrkdwn`:mega: Posting the update…`));
  await tellUser(deps, respond, notice(await postStatusUpdate(deps, { id, userId: user, text })), { replace: true });
});

/** `/incident lead <id> [@person]`. */
export const leadSubcommand = withIncidentId(USAGE.lead!, async ({ deps, parsed, user, ackEphemeral, respond, notice }, id) => {
  const who = parsed.args[1];
  await ackEphemeral(buildNotice(mrkdwn`:hourglass_flowing_sand: Setting the lead…`));
  const lead = who ? await personNamed(deps.slack, who) : user;
  if (!lead) {
    await tellUser(
      deps,
      respond,
      buildNotice(mrkdwn`:warning: I know nobody called ${escapeMrkdwn(capText(who ?? '', 80))}. Mention them (\`@name\`) so Slack sends who they are.`),
      { replace: true },
    );
    return;
  }
  await tellUser(deps, respond, notice(await setLead(deps, { id, userId: user, lead })), { replace: true });
});

/** A click on a message answers by its response_url; a click on Home (or a form) has none, so by DM, never silently dropped. */
export async function tellClicker(deps: Deps, userId: string, respond: RespondFn | undefined, message: Message): Promise<void> {
  if (respond) return tellUser(deps, respond, message);
  await postMessage(deps, { channel: userId, ...message }).catch((err: unknown) =>
    deps.logger.warn({ user: userId, err: describeError(err) }, 'could not tell the person what their click did'),
  );
}

/**
 * Resolve (a button, on the announcement, a page or Home): asks for the resolution note in a
 * modal. Someone who may not resolve is told at once and sees no form.
 */
export async function openResolveModal(deps: Deps, body: BlockAction, action: ButtonAction, respond: RespondFn | undefined, notice: Notice): Promise<void> {
  const ref = parseIncidentRef(action.value);
  const row = ref ? await getIncident(deps.db, ref.id) : undefined;
  if (!ref || !row) return tellClicker(deps, body.user.id, respond, buildNotice(mrkdwn`:warning: That button is not one of mine any more.`));
  const refusal = resolveRefusal(deps.config, body.user.id, row.id);
  if (refusal) return tellClicker(deps, body.user.id, respond, buildRefusal(refusal));
  if (row.state === 'resolved')
    return tellClicker(deps, body.user.id, respond, notice({ kind: 'noop', message: mrkdwn`Incident #${row.id} is already resolved.` }));
  await deps.slack.views.open({
    trigger_id: body.trigger_id,
    view: buildResolveModal(row.id, incidentTitle({ id: row.id, severity: row.severity, severityName: policyOf(row).severityName, summary: row.summary })),
  });
}

export function registerIncidentLifecycle(routes: ListenerRoutes, deps: Deps, notice: Notice): void {
  routes.action<BlockAction<ButtonAction>>(IncidentIds.lead, async ({ ack, body, action, respond }) => {
    await ack();
    try {
      const ref = parseIncidentRef(action.value);
      if (!ref) return tellClicker(deps, body.user.id, respond, buildNotice(mrkdwn`:warning: That button is not one of mine any more.`));
      const r = await setLead(deps, { id: ref.id, userId: body.user.id, lead: body.user.id });
      if (r.kind !== 'done' || r.warnings?.length) await tellClicker(deps, body.user.id, respond, notice(r));
    } catch (err) {
      await reportError(deps, err, respond, { action: IncidentIds.lead, user: body.user.id });
    }
  });
  routes.view(IncidentIds.resolveModal, async ({ ack, body, view }) => {
    const id = Number(view.private_metadata);
    const userId = body.user.id;
    // Checked again at submit: a hand-made submission never clicked the refused button.
    const refusal = Number.isSafeInteger(id) && id > 0 ? resolveRefusal(deps.config, userId, id) : 'That form is not one of mine.';
    if (refusal) return ack({ response_action: 'errors', errors: { [IncidentIds.resolveNoteBlock]: refusal.slice(0, 150) } });
    const note = userText(view.state.values[IncidentIds.resolveNoteBlock]?.[IncidentIds.resolveNoteInput]?.value, { slackEncoded: false });
    if (!note) return ack({ response_action: 'errors', errors: { [IncidentIds.resolveNoteBlock]: 'Say what fixed it.' } });
    if (note.length > RESOLUTION_NOTE_MAX)
      return ack({ response_action: 'errors', errors: { [IncidentIds.resolveNoteBlock]: `Keep it under ${RESOLUTION_NOTE_MAX} characters.` } });
    await ack();
    try {
      // A modal has no response_url: the outcome, success included, reaches the person by DM.
      const resolved = await resolveIncident(deps, { id, userId, note });
      await tellClicker(deps, userId, undefined, notice(resolved));
      if (resolved.kind === 'done') await draftReviewAfterResolve(deps, id);
    } catch (err) {
      await reportError(deps, err, undefined, { view: IncidentIds.resolveModal, user: userId });
    }
  });
}

/** `/incident followup <id> <text> [@owner] [YYYY-MM-DD]`. */
export const addFollowupSubcommand = withIncidentId(USAGE.followup!, async ({ deps, parsed, user, ackEphemeral, respond, notice, usage }, id) => {
  const words = afterArgs(parsed, 1).split(/\s+/).filter(Boolean);
  const dueOn = dayOf(words.at(-1));
  if (dueOn) words.pop();
  else if (/^\d{4}-\d{2}-\d{2}$/.test(words.at(-1) ?? '')) {
    return ackEphemeral(usage(mrkdwn`${escapeMrkdwn(words.at(-1)!)} is not a day of the calendar. ${USAGE.followup!}`));
  }
  const ownerWord = words.length > 1 && /^(<@|@)/.test(words.at(-1)!) ? words.pop() : undefined;
  const text = capText(words.join(' '), 500).trim();
  if (!text) return ackEphemeral(usage(mrkdwn`What is to be done? ${USAGE.followup!}`));
  await ackEphemeral(buildNotice(mrkdwn`:spiral_note_pad: Saving the follow-up…`));
  const owner = ownerWord ? await personNamed(deps.slack, ownerWord) : user;
  if (!owner) {
    await tellUser(
      deps,
      respond,
      buildNotice(mrkdwn`:warning: I know nobody called ${escapeMrkdwn(capText(ownerWord ?? '', 80))}. Mention them (\`@name\`) so Slack sends who they are.`),
      { replace: true },
    );
    return;
  }
  const added = await addFollowup(deps, { id, userId: user, text, owner, dueOn });
  const reply = notice(added);
  // The follow-up's own message carries its Done button.
  if (added.followupId) reply.blocks = [...(reply.blocks ?? []), followupDoneButton(added.followupId)];
  await tellUser(deps, respond, reply, { replace: true });
});

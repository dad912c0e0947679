import { buildNotice, buildRefusal } from '../blocks/help';
import { buildIncidentDetail, buildIncidentList } from '../blocks/incident';
import { buildDeclareModal } from '../blocks/incident-modal';
import { mrkdwn } from '../blocks/format';
import { acknowledgeIncident, resolveIncident } from '../src/incidents/flows';
import { addIncidentNote } from '../src/incidents/lifecycle';
import { getIncident, listEvents, listOpenIncidents } from '../src/incidents/store';
import { toView } from '../src/incidents/view';
import { draftReviewAfterResolve } from '../src/review/flow';
import { declareRefusal } from '../src/rights';
import { capText } from '../src/user-text';
import { afterArgs, withIncidentId, type IncidentSubcommand } from './incident-context';
import { addFollowupSubcommand, leadSubcommand, severitySubcommand, updateSubcommand } from './incident-lifecycle';
import { followupDoneSubcommand, followupsSubcommand, reviewSubcommand } from './incident-review';
import { modalOptions } from './incident-shortcut';
import { parseIncidentId } from './parse';
import { tellUser } from './respond';

/** `/incident` alone: the declare form. */
const openDeclareForm: IncidentSubcommand = async ({ deps, command, user, ack, ackEphemeral }) => {
  // The form is the first step of declaring: someone who may not declare is told now, not after typing.
  const refusal = declareRefusal(deps.config, user);
  if (refusal) return ackEphemeral(buildRefusal(refusal));
  // The modal opens before the ack's wait for a follow-up turn: a trigger id lives 3 s.
  const turn = ack();
  await deps.slack.views.open({ trigger_id: command.trigger_id, view: buildDeclareModal(modalOptions(deps)) });
  return turn;
};

// Reads answer by response_url after an empty ack: no database work before the ack.
const list: IncidentSubcommand = async ({ deps, ack, respond }) => {
  await ack();
  const now = deps.clock.now();
  const rows = await listOpenIncidents(deps.db, 100);
  return tellUser(deps, respond, buildIncidentList(rows.map((r) => ({ v: toView(r, now), ageMs: now.getTime() - r.declaredAt.getTime() }))));
};

const show = withIncidentId(mrkdwn`\`/incident show &lt;id&gt;\``, async ({ deps, ack, respond }, id) => {
  await ack();
  const row = await getIncident(deps.db, id);
  if (!row) return tellUser(deps, respond, buildNotice(mrkdwn`:warning: There is no incident #${id}.`));
  return tellUser(deps, respond, buildIncidentDetail(toView(row, deps.clock.now()), await listEvents(deps.db, id)));
});

const acknowledge = withIncidentId(mrkdwn`\`/incident ack &lt;id&gt;\``, async ({ deps, user, ackEphemeral, respond, notice }, id) => {
  await ackEphemeral(buildNotice(mrkdwn`:hourglass_flowing_sand: Acknowledging…`));
  await tellUser(deps, respond, notice(await acknowledgeIncident(deps, { id, userId: user })), { replace: true });
});

const resolve = withIncidentId(mrkdwn`\`/incident resolve &lt;id&gt; [note]\``, async ({ deps, parsed, user, ackEphemeral, respond, notice }, id) => {
  await ackEphemeral(buildNotice(mrkdwn`:hourglass_flowing_sand: Resolving…`));
  const note = capText(afterArgs(parsed, 1), 500).trim() || undefined;
  const resolved = await resolveIncident(deps, { id, userId: user, ...(note ? { note } : {}) });
  await tellUser(deps, respond, notice(resolved), { replace: true });
  if (resolved.kind === 'done') await draftReviewAfterResolve(deps, id);
});

const note: IncidentSubcommand = async ({ deps, parsed, user, ackEphemeral, respond, notice, usage }) => {
  const id = parseIncidentId(parsed.args[0]);
  const text = capText(afterArgs(parsed, 1), 500).trim();
  if (id === null || !text) return ackEphemeral(usage(mrkdwn`\`/incident note &lt;id&gt; &lt;text&gt;\``));
  await ackEphemeral(buildNotice(mrkdwn`:memo: Adding the note…`));
  await tellUser(deps, respond, notice(await addIncidentNote(deps, { id, userId: user, text })), { replace: true });
};

/**
 * Every `/incident` subcommand but declaring by severity (`/incident p1 …`, commands/incident.ts),
 * which is what any other word is tried as. The help lists them in commands/incident.ts.
 */
export const INCIDENT_SUBCOMMANDS: Readonly<Record<string, IncidentSubcommand>> = {
  '': openDeclareForm,
  help: ({ ackEphemeral, usage }) => ackEphemeral(usage()),
  list,
  show,
  ack: acknowledge,
  acknowledge,
  resolve,
  note,
  lead: leadSubcommand,
  severity: severitySubcommand,
  update: updateSubcommand,
  followup: (c) => (c.parsed.args[0]?.toLowerCase() === 'done' ? followupDoneSubcommand(c) : addFollowupSubcommand(c)),
  review: reviewSubcommand,
  followups: followupsSubcommand,
};

import { parseIncidentId } from './parse';
import type { BlockAction, ButtonAction } from '@slack/bolt';
import { buildNotice, buildRefusal } from '../blocks/help';
import { mrkdwn } from '../blocks/format';
import type { Message } from '../blocks/limits';
import { buildFollowupList, buildReviewMessage, ReviewIds } from '../blocks/review';
import type { Deps } from '../src/deps';
import { completeFollowup } from '../src/incidents/followup-done';
import { listOpenFollowups } from '../src/incidents/followup-store';
import { getIncident } from '../src/incidents/store';
import { REVIEWED_SEVERITIES } from '../src/incidents/review-intent';
import { draftReview, reviewView } from '../src/review/flow';
import { describeError } from '../src/errors';
import { getReview } from '../src/review/store';
import { followupListRefusal, reviewRefusal } from '../src/rights';
import type { ListenerRoutes } from '../src/slack/listener-routes';
import { withIncidentId, type IncidentSubcommand, type Notice } from './incident-context';
import { reportError, tellUser } from './respond';
import { tellClicker } from './incident-lifecycle';

export const REVIEW_HELP = [
  { usage: 'review <id>', description: 'the post-incident review draft of a resolved P0/P1' },
  { usage: 'followups [id]', description: 'open follow-ups, newest first' },
  { usage: 'followup done <follow-up id>', description: 'mark a follow-up done' },
];

const LIST_MAX = 25;
/** Tables that name an incident hold its id as a 32-bit integer: a larger number is no incident, not a query to fail. */
const MAX_INCIDENT_ID = 2_147_483_647;

async function showReview(deps: Deps, id: number, user: string): Promise<Message> {
  const refusal = reviewRefusal(deps.config, user, id);
  if (refusal) return buildRefusal(refusal);
  if (id > MAX_INCIDENT_ID) return buildNotice(mrkdwn`:warning: There is no incident #${id}.`);
  const review = await getReview(deps.db, id);
  if (review) return buildReviewMessage(reviewView(review));
  const inc = await getIncident(deps.db, id);
  if (!inc) return buildNotice(mrkdwn`:warning: There is no incident #${id}.`);
  if (!REVIEWED_SEVERITIES.includes(inc.severity))
    return buildNotice(mrkdwn`:information_source: Incident #${id} is not a P0 or P1: no review draft is written for it.`);
  if (inc.state !== 'resolved') return buildNotice(mrkdwn`:information_source: Incident #${id} is not resolved yet: its review draft is written when it is.`);
  // Owed but not stored (resolved before drafts existed, or its write failed): written now, once
  // (draftReview stores it once however many callers race), rather than promised.
  await draftReview(deps, id).catch((err: unknown) => deps.logger.warn({ incident: id, err: describeError(err) }, 'review draft on request failed'));
  const written = await getReview(deps.db, id);
  if (written) return buildReviewMessage(reviewView(written));
  return buildNotice(mrkdwn`:warning: The review draft of incident #${id} could not be written just now; ask again in a few minutes.`);
}

async function listFollowups(deps: Deps, incidentId: number | null, user: string): Promise<Message> {
  const refusal = followupListRefusal(deps.config, user);
  if (refusal) return buildRefusal(refusal);
  if (incidentId !== null && (incidentId > MAX_INCIDENT_ID || !(await getIncident(deps.db, incidentId))))
    return buildNotice(mrkdwn`:warning: There is no incident #${incidentId}.`);
  const { rows, total } = await listOpenFollowups(deps.db, incidentId, LIST_MAX);
  // en-CA writes YYYY-MM-DD, the form a follow-up's due day is stored in.
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: deps.config.timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    deps.clock.now(),
  );
  return buildFollowupList(
    rows.map((f) => ({ id: f.id, incidentId: f.incidentId, text: f.text, owner: f.owner, dueOn: f.dueOn, overdue: Boolean(f.dueOn && f.dueOn < today) })),
    total,
    incidentId,
  );
}

/** `/incident review <id>`. */
export const reviewSubcommand = withIncidentId(mrkdwn`\`/incident review &lt;id&gt;\``, async ({ deps, user, ack, respond }, id) => {
  await ack();
  await tellUser(deps, respond, await showReview(deps, id, user));
});

/** `/incident followups [id]`. */
export const followupsSubcommand: IncidentSubcommand = async ({ deps, parsed, user, ack, ackEphemeral, respond, usage }) => {
  const id = parsed.args[0] === undefined ? null : parseIncidentId(parsed.args[0]);
  if (parsed.args[0] !== undefined && id === null) return ackEphemeral(usage(mrkdwn`Which incident? \`/incident followups [id]\``));
  await ack();
  await tellUser(deps, respond, await listFollowups(deps, id, user));
};

/** `/incident followup done <follow-up id>`. */
export const followupDoneSubcommand: IncidentSubcommand = async ({ deps, parsed, user, ackEphemeral, respond, notice, usage }) => {
  const id = parseIncidentId(parsed.args[1]);
  if (id === null || parsed.args.length > 2) return ackEphemeral(usage(mrkdwn`Which follow-up? \`/incident followup done &lt;follow-up id&gt;\``));
  await ackEphemeral(buildNotice(mrkdwn`:hourglass_flowing_sand: Marking it done…`));
  await tellUser(deps, respond, notice(await completeFollowup(deps, { followupId: id, userId: user })), { replace: true });
};

/** The Done button of a follow-up (its confirmation and its reminder): done replaces the message, anything else answers beside it. */
export function registerReviewActions(routes: ListenerRoutes, deps: Deps, notice: Notice): void {
  routes.action<BlockAction<ButtonAction>>(ReviewIds.followupDone, async ({ ack, body, action, respond }) => {
    await ack();
    try {
      const id = parseIncidentId(action.value);
      if (id === null) return tellClicker(deps, body.user.id, respond, buildNotice(mrkdwn`:warning: That button is not one of mine any more.`));
      const r = await completeFollowup(deps, { followupId: id, userId: body.user.id });
      if (r.kind === 'done' && respond) await tellUser(deps, respond, notice(r), { replace: true });
      else await tellClicker(deps, body.user.id, respond, notice(r));
    } catch (err) {
      await reportError(deps, err, respond, { action: ReviewIds.followupDone, user: body.user.id });
    }
  });
}

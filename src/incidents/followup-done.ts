// Marking a follow-up done (`/incident followup done <id>`, the Done button on the follow-up and
// its reminder): its owner, the incident's lead, or whoever may resolve the incident.
import { escapeMrkdwn, mention, mrkdwn } from '../../blocks/format';
import type { Deps } from '../deps';
import { followupDoneRefusal } from '../rights';
import { cancelTimers } from '../timers';
import type { ActionResult } from './flows';
import { lockFollowup, markFollowupDone } from './followup-store';
import { recordEvent } from './steps';
import { lockIncident, TimerKinds } from './store';

export async function completeFollowup(deps: Deps, input: { followupId: number; userId: string }): Promise<ActionResult> {
  const now = deps.clock.now();
  const r = await deps.db.transaction(async (tx): Promise<ActionResult> => {
    const f = await lockFollowup(tx, input.followupId);
    if (!f) return { kind: 'not_found', message: mrkdwn`There is no follow-up ${input.followupId}.` };
    const inc = await lockIncident(tx, f.incidentId);
    if (!inc) return { kind: 'not_found', message: mrkdwn`There is no incident #${f.incidentId}.` };
    const refusal = followupDoneRefusal(deps.config, input.userId, { id: f.id, owner: f.owner, incidentId: f.incidentId, lead: inc.lead });
    if (refusal) return { kind: 'refused', message: escapeMrkdwn(refusal) };
    if (f.doneAt) return { kind: 'noop', message: mrkdwn`Follow-up ${f.id} was already marked done${f.doneBy ? mrkdwn` by ${mention(f.doneBy)}` : mrkdwn``}.` };
    await markFollowupDone(tx, f.id, input.userId, now);
    await cancelTimers(tx, TimerKinds.followup, String(f.id), now);
    await recordEvent(tx, inc, { kind: 'followup', userId: input.userId, text: `Follow-up ${f.id} done: ${f.text}` }, now);
    return { kind: 'done', incident: inc, message: mrkdwn`Follow-up ${f.id} of incident #${f.incidentId} is done: ${escapeMrkdwn(f.text)}` };
  });
  if (r.kind === 'done') deps.home.changed();
  return r;
}

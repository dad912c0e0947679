import { escapeMrkdwn, mention, mrkdwn } from '../../blocks/format';
import { buildNotice } from '../../blocks/help';
import { channelFor, type Deps } from '../deps';
import { enqueue } from '../outbox';
import type { TimerHandler } from '../timers';
import { getImprovement } from './store';

/** The morning of a committed improvement's deadline: remind its owner in the ops channel (outbox). */
export function improvementDeadlineHandler(deps: Pick<Deps, 'config'>): TimerHandler {
  return async (tx, timer, now) => {
    const row = await getImprovement(tx, Number(timer.refId));
    if (row?.state !== 'committed' || !row.owner) return;
    const text = mrkdwn`:alarm_clock: ${mention(row.owner)}: improvement #${row.id} *${escapeMrkdwn(row.title)}* is due today. Success when: _${escapeMrkdwn(row.successCriteria ?? '')}_. Measure it and close it with \`/ops improve done ${row.id} <measured result>\`.`;
    await enqueue(tx, { channel: channelFor(deps.config, 'ops'), ref: `improvement:${row.id}`, ...buildNotice(text) }, now);
  };
}

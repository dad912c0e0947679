// "9. Conduct post-mortem" of the disaster-recovery procedure, tied to the post-incident review
// draft (src/review): signing it writes on the timeline which draft it was conducted against and
// answers in the procedure's thread with a link to the draft, or says that none exists yet.
import { escapeMrkdwn, link, mention, mrkdwn } from '../../blocks/format';
import { buildNotice } from '../../blocks/help';
import type { Deps } from '../deps';
import { recordEvent } from '../incidents/steps';
import { getIncident } from '../incidents/store';
import { enqueue } from '../outbox';
import { getReview, reviewMessage } from '../review/store';
import { formatInZone } from '../runs/view';
import type { RunRow } from '../runs/store';

export async function afterPostMortem(deps: Deps, run: RunRow, incidentId: number, userId: string): Promise<void> {
  const review = await getReview(deps.db, incidentId);
  const where = review ? await reviewMessage(deps.db, incidentId) : undefined;
  const url = where ? await deps.permalinks.of(where.channel, where.ts) : undefined;
  const now = deps.clock.now();
  const kind = review?.source === 'llm' ? 'with an LLM narrative' : 'plain draft';
  const day = review
    ? formatInZone(review.createdAt, deps.config.timezone, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hour12: false })
    : '';
  const text = review
    ? mrkdwn`:link: ${mention(userId)} signed the post-mortem for incident #${incidentId} against its review draft (${escapeMrkdwn(kind)}, ${escapeMrkdwn(day)}): ${url ? link(url, 'open the draft') : mrkdwn`\`/incident review ${incidentId}\``}.`
    : mrkdwn`:information_source: ${mention(userId)} signed the post-mortem, but incident #${incidentId} has no review draft: one is written when a P0/P1 is resolved. Write the post-mortem by hand, or sign again after the draft is posted.`;
  await deps.db.transaction(async (tx) => {
    const inc = await getIncident(tx, incidentId);
    if (!inc) return;
    const entry = review ? `Post-mortem conducted against the review draft (${kind}) of ${day}` : 'Post-mortem signed without a review draft (none exists yet)';
    await recordEvent(tx, inc, { kind: 'procedure', userId, text: entry }, now);
    await enqueue(
      tx,
      { channel: run.channel, ...(run.messageTs ? { threadTs: run.messageTs } : {}), ref: `dr-post-mortem:${incidentId}`, ...buildNotice(text) },
      now,
    );
  });
}

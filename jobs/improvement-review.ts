import { buildRankingMessage } from '../blocks/improve';
import { channelFor, type Deps } from '../src/deps';
import { claimReviewMonth, rankedImprovements } from '../src/improve/store';
import { deliverOutbox, enqueue } from '../src/outbox';
import { parseCron, previousOccurrence, toLocal } from '../src/schedule';
import type { Job } from './loop';

/** Posted with the monthly review; a slot missed by more than this (the bot was down) is skipped. */
const CATCH_UP_MS = 12 * 3_600_000;

export type ImprovementReviewRun = { kind: 'not_due' } | { kind: 'already' } | { kind: 'posted'; month: string; open: number };

/**
 * The monthly improvement review (the guide's CONTINUOUS IMPROVEMENT): at the monthly review's
 * slot, the RICE ranking is posted to the ops channel asking for the top three. Claimed in
 * `app_state` in the same transaction as the message is queued, so replicas and restarts post it once.
 */
export async function runImprovementReview(deps: Deps, now: Date): Promise<ImprovementReviewRun> {
  const tz = deps.config.timezone;
  const schedule = deps.config.checklists.find((c) => c.id === 'monthly-review')?.schedule ?? '0 9 * * 1#1';
  const slot = previousOccurrence(parseCron(schedule), tz, now);
  if (!slot || now.getTime() - slot.getTime() > CATCH_UP_MS) return { kind: 'not_due' };
  const local = toLocal(slot, tz);
  const month = `${local.year}-${String(local.month).padStart(2, '0')}`;
  const rows = await rankedImprovements(deps.db);
  const channel = channelFor(deps.config, 'ops');
  const posted = await deps.db.transaction(async (tx) => {
    if (!(await claimReviewMonth(tx, month, slot, now))) return false;
    await enqueue(tx, { channel, ref: `improvement-review:${month}`, ...buildRankingMessage(rows, tz, `Monthly improvement review — ${month}`) }, now);
    return true;
  });
  if (!posted) return { kind: 'already' };
  await deliverOutbox(deps, now);
  return { kind: 'posted', month, open: rows.length };
}

export const improvementReviewJob: Job = { name: 'improvement-review', everyMs: 60_000, run: runImprovementReview };

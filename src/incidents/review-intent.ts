import type { Tx } from '../db';
import { scheduleTimer } from '../timers';
import type { IncidentRow } from './store';

/**
 * The post-incident review a resolved P0/P1 owes (written by src/review). The resolving
 * transaction stores the intent as a timer: the resolver's request writes the draft at once and
 * cancels it; if the process dies first, the timer sweep writes it.
 */
export const REVIEW_TIMER_KIND = 'incident-review';
export const REVIEWED_SEVERITIES: readonly string[] = ['p0', 'p1'];
/** How long the resolving request has before the sweep writes the draft in its place. */
export const REVIEW_FALLBACK_MS = 2 * 60_000;

export async function scheduleReview(tx: Tx, row: Pick<IncidentRow, 'id' | 'severity'>, now: Date): Promise<void> {
  if (!REVIEWED_SEVERITIES.includes(row.severity)) return;
  await scheduleTimer(tx, { kind: REVIEW_TIMER_KIND, refId: String(row.id), dueAt: new Date(now.getTime() + REVIEW_FALLBACK_MS) });
}

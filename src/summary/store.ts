import { and, eq, lt } from 'drizzle-orm';
import type { Tx } from '../db';
import { summaries } from '../db/schema';

/** A claim older than this whose writer never finished (crash) may be taken over. */
export const STALE_CLAIM_MS = 10 * 60_000;

/** Claims `claimKey`; a stale claim (its writer died) is taken over. Returns the row id, or null when claimed. */
export async function claimSummary(db: Tx, claim: { claimKey: string; weekKey: string; requestedBy: string | null }, now: Date): Promise<number | null> {
  const [row] = await db
    .insert(summaries)
    .values({ ...claim, createdAt: now })
    .onConflictDoNothing()
    .returning({ id: summaries.id });
  if (row) return row.id;
  const [stale] = await db
    .update(summaries)
    .set({ createdAt: now })
    .where(and(eq(summaries.claimKey, claim.claimKey), eq(summaries.status, 'claimed'), lt(summaries.createdAt, new Date(now.getTime() - STALE_CLAIM_MS))))
    .returning({ id: summaries.id });
  return stale?.id ?? null;
}

/** Stores what was written (facts, prose, its source and cost) as the message is queued. */
export async function markSummaryQueued(
  tx: Tx,
  id: number,
  written: Omit<typeof summaries.$inferInsert, 'id' | 'status' | 'claimKey' | 'weekKey' | 'createdAt'>,
): Promise<void> {
  await tx
    .update(summaries)
    .set({ status: 'queued', ...written })
    .where(eq(summaries.id, id));
}

export async function markSummaryPosted(db: Tx, id: number, messageTs: string | null, postedAt: Date): Promise<void> {
  await db.update(summaries).set({ status: 'posted', messageTs, postedAt }).where(eq(summaries.id, id));
}

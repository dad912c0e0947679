import { and, desc, eq, isNull, lt, sql } from 'drizzle-orm';
import type { Tx } from '../db';
import { incidentFollowups } from '../db/schema';

export type FollowupRecord = typeof incidentFollowups.$inferSelect;

/** One follow-up, locked for the caller's transaction. */
export async function lockFollowup(tx: Tx, id: number): Promise<FollowupRecord | undefined> {
  const [row] = await tx.select().from(incidentFollowups).where(eq(incidentFollowups.id, id)).for('update');
  return row;
}

export async function markFollowupDone(tx: Tx, id: number, userId: string, now: Date): Promise<void> {
  await tx.update(incidentFollowups).set({ doneAt: now, doneBy: userId }).where(eq(incidentFollowups.id, id));
}

/** Open follow-ups (of one incident, or all), newest first, and how many there are. */
export async function listOpenFollowups(db: Tx, incidentId: number | null, limit: number): Promise<{ rows: FollowupRecord[]; total: number }> {
  const where = and(isNull(incidentFollowups.doneAt), incidentId === null ? undefined : eq(incidentFollowups.incidentId, incidentId));
  const rows = await db.select().from(incidentFollowups).where(where).orderBy(desc(incidentFollowups.createdAt), desc(incidentFollowups.id)).limit(limit);
  const [count] = await db.select({ n: sql<number>`count(*)::int` }).from(incidentFollowups).where(where);
  return { rows, total: Number(count?.n ?? rows.length) };
}

/**
 * Follow-ups opened and done in [from, to), and overdue at `cutoff`: still open then, with a due
 * day before `cutoffDay` (YYYY-MM-DD in the business time zone). For the weekly summary.
 */
export async function followupCounts(
  db: Tx,
  from: Date,
  to: Date,
  cutoff: Date,
  cutoffDay: string,
): Promise<{ opened: number; done: number; overdue: number }> {
  const f = incidentFollowups;
  // Raw SQL parameters are not mapped by column type: instants go as ISO text, cast.
  const at = (d: Date) => sql`${d.toISOString()}::timestamptz`;
  const [row] = await db
    .select({
      opened: sql<number>`count(*) filter (where ${f.createdAt} >= ${at(from)} and ${f.createdAt} < ${at(to)})::int`,
      done: sql<number>`count(*) filter (where ${f.doneAt} >= ${at(from)} and ${f.doneAt} < ${at(to)})::int`,
      overdue: sql<number>`count(*) filter (where (${f.doneAt} is null or ${f.doneAt} >= ${at(cutoff)}) and ${f.dueOn} < ${cutoffDay})::int`,
    })
    .from(f)
    .where(lt(f.createdAt, to));
  return { opened: Number(row?.opened ?? 0), done: Number(row?.done ?? 0), overdue: Number(row?.overdue ?? 0) };
}

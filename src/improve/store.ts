import { and, desc, eq, isNotNull, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db';
import { appState, improvements, timers } from '../db/schema';
import { scheduleTimer, cancelTimers } from '../timers';
import { riceScore, type RiceInput } from './rice';

export type ImprovementRow = typeof improvements.$inferSelect;
export const DEADLINE_KIND = 'improvement-deadline';

/** Stores an opportunity with its score; the same form submitted twice is one row. */
export async function addImprovement(
  db: Db,
  input: RiceInput & { title: string; createdBy: string; dedupeKey: string; now: Date },
): Promise<{ row: ImprovementRow; created: boolean }> {
  const [row] = await db
    .insert(improvements)
    .values({
      dedupeKey: input.dedupeKey,
      title: input.title,
      reach: input.reach,
      impact: input.impact,
      confidence: input.confidence,
      effort: input.effort,
      score: riceScore(input),
      createdBy: input.createdBy,
      createdAt: input.now,
    })
    .onConflictDoNothing()
    .returning();
  if (row) return { row, created: true };
  const [existing] = await db.select().from(improvements).where(eq(improvements.dedupeKey, input.dedupeKey));
  return { row: existing!, created: false };
}

/** Open opportunities (not done), best score first; ties: the older first. */
export async function rankedImprovements(db: Tx, limit = 50): Promise<ImprovementRow[]> {
  return db.select().from(improvements).where(sql`${improvements.state} <> 'done'`).orderBy(desc(improvements.score), improvements.id).limit(limit);
}

export async function getImprovement(db: Tx, id: number): Promise<ImprovementRow | undefined> {
  const [row] = await db.select().from(improvements).where(eq(improvements.id, id));
  return row;
}

/** Commits one to the month's top three: owner, deadline, success criteria, and the deadline reminder. */
export async function commitImprovement(
  db: Db,
  input: { id: number; owner: string; deadline: Date; successCriteria: string; now: Date },
): Promise<ImprovementRow | undefined> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(improvements)
      .set({ state: 'committed', owner: input.owner, deadline: input.deadline, successCriteria: input.successCriteria, committedAt: input.now })
      .where(and(eq(improvements.id, input.id), sql`${improvements.state} <> 'done'`))
      .returning();
    if (!row) return undefined;
    // A new deadline replaces the old reminder.
    await cancelTimers(tx, DEADLINE_KIND, String(row.id), input.now);
    await tx.delete(timers).where(and(eq(timers.kind, DEADLINE_KIND), eq(timers.refId, String(row.id)), isNotNull(timers.cancelledAt)));
    await scheduleTimer(tx, { kind: DEADLINE_KIND, refId: String(row.id), dueAt: input.deadline });
    return row;
  });
}

/** Closes one with its measured result; its reminder is cancelled. */
export async function closeImprovement(db: Db, input: { id: number; result: string; now: Date }): Promise<ImprovementRow | undefined> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(improvements)
      .set({ state: 'done', result: input.result, closedAt: input.now })
      .where(and(eq(improvements.id, input.id), eq(improvements.state, 'committed')))
      .returning();
    if (row) await cancelTimers(tx, DEADLINE_KIND, String(row.id), input.now);
    return row;
  });
}

export async function committedCount(db: Tx): Promise<number> {
  const [r] = await db.select({ n: sql<number>`count(*)::int` }).from(improvements).where(eq(improvements.state, 'committed'));
  return Number(r?.n ?? 0);
}

/** Claims the month's improvement review (once across replicas and restarts); false when already claimed. */
export async function claimReviewMonth(tx: Tx, month: string, slot: Date, now: Date): Promise<boolean> {
  const claimed = await tx
    .insert(appState)
    .values({ key: `improvement-review:${month}`, value: { slot: slot.toISOString() }, updatedAt: now })
    .onConflictDoNothing()
    .returning({ key: appState.key });
  return claimed.length > 0;
}

import { and, count, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Tx } from '../db';
import { checklistRuns, drTests } from '../db/schema';

export type DrTestRow = typeof drTests.$inferSelect;
export type NewDrTest = typeof drTests.$inferInsert;
type RunRow = typeof checklistRuns.$inferSelect;

export async function getDrTest(db: Tx, runId: number): Promise<DrTestRow | undefined> {
  const [row] = await db.select().from(drTests).where(eq(drTests.runId, runId));
  return row;
}

/** Writes (or, before anyone verified it, corrects) the operator's record of a run. */
export async function upsertDrTest(db: Tx, row: NewDrTest): Promise<void> {
  const { runId: _runId, ...rest } = row;
  await db.insert(drTests).values(row).onConflictDoUpdate({ target: drTests.runId, set: rest });
}

/** Sets the verifier once: returns false when someone already verified it. */
export async function setDrVerifier(db: Tx, runId: number, userId: string, at: Date): Promise<boolean> {
  const rows = await db
    .update(drTests)
    .set({ verifier: userId, verifiedAt: at })
    .where(and(eq(drTests.runId, runId), isNull(drTests.verifier)))
    .returning({ runId: drTests.runId });
  return rows.length > 0;
}

export interface DrHistoryEntry {
  run: RunRow;
  record: DrTestRow | null;
}

const periodOf = sql`coalesce(${checklistRuns.scheduledFor}, ${checklistRuns.createdAt})`;

/** The runs of the DR checklists with their records, newest first. */
export async function listDrHistory(
  db: Tx,
  checklistIds: readonly string[],
  limit: number,
  offset: number,
): Promise<{ total: number; entries: DrHistoryEntry[] }> {
  if (checklistIds.length === 0) return { total: 0, entries: [] };
  const where = inArray(checklistRuns.checklistId, [...checklistIds]);
  const [{ total } = { total: 0 }] = await db.select({ total: count() }).from(checklistRuns).where(where);
  const rows = await db
    .select({ run: checklistRuns, record: drTests })
    .from(checklistRuns)
    .leftJoin(drTests, eq(drTests.runId, checklistRuns.id))
    .where(where)
    .orderBy(desc(periodOf), desc(checklistRuns.id))
    .limit(limit)
    .offset(offset);
  return { total, entries: rows };
}

/** The records of these runs (the weekly summary's DR tests). */
export async function drTestsOfRuns(db: Tx, runIds: readonly number[]): Promise<DrTestRow[]> {
  if (runIds.length === 0) return [];
  return db
    .select()
    .from(drTests)
    .where(inArray(drTests.runId, [...runIds]));
}

/** The verification was withdrawn (the item re-signed Problem or N/A): the record is unverified again. */
export async function clearDrVerifier(db: Tx, runId: number): Promise<void> {
  await db.update(drTests).set({ verifier: null, verifiedAt: null }).where(eq(drTests.runId, runId));
}

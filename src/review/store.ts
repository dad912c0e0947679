import { and, asc, eq, gte, inArray, isNotNull, isNull, lte, or, sql } from 'drizzle-orm';
import type { Tx } from '../db';
import { checklistItems, checklistRuns, incidentReviews, outbox, probeResults } from '../db/schema';

export type ReviewRow = typeof incidentReviews.$inferSelect;
export type NewReviewRow = typeof incidentReviews.$inferInsert;

/** Outbox ref of a review's post: the message is looked up by it for the post-mortem link. */
export const reviewRef = (incidentId: number) => `incident-review:${incidentId}`;

/** Stores the review unless the incident has one: true when this call stored it. */
export async function insertReview(tx: Tx, row: NewReviewRow): Promise<boolean> {
  const rows = await tx.insert(incidentReviews).values(row).onConflictDoNothing().returning({ id: incidentReviews.incidentId });
  return rows.length > 0;
}

export async function getReview(db: Tx, incidentId: number): Promise<ReviewRow | undefined> {
  const [row] = await db.select().from(incidentReviews).where(eq(incidentReviews.incidentId, incidentId));
  return row;
}

/** Where the review's post landed, once the outbox delivered it. */
export async function reviewMessage(db: Tx, incidentId: number): Promise<{ channel: string; ts: string } | undefined> {
  const [row] = await db
    .select({ channel: outbox.channel, ts: outbox.deliveredTs })
    .from(outbox)
    .where(and(eq(outbox.ref, reviewRef(incidentId)), isNotNull(outbox.deliveredTs)))
    .limit(1);
  return row?.ts ? { channel: row.channel, ts: row.ts } : undefined;
}

export interface WindowRun {
  id: number;
  checklistId: string;
  name: string;
  state: string;
  createdAt: Date;
  problems: number;
  done: number;
  items: number;
}

/**
 * Checklist runs of the incident window: posted during [from, to], or posted up to a day before
 * and still open at `from`; with how their items were signed (capped).
 */
export async function runsInWindow(db: Tx, from: Date, to: Date, limit = 20): Promise<WindowRun[]> {
  const dayBefore = new Date(from.getTime() - 86_400_000);
  const runs = await db
    .select({
      id: checklistRuns.id,
      checklistId: checklistRuns.checklistId,
      state: checklistRuns.state,
      def: checklistRuns.definition,
      createdAt: checklistRuns.createdAt,
    })
    .from(checklistRuns)
    .where(
      and(
        lte(checklistRuns.createdAt, to),
        gte(checklistRuns.createdAt, dayBefore),
        or(gte(checklistRuns.createdAt, from), isNull(checklistRuns.completedAt), gte(checklistRuns.completedAt, from)),
      ),
    )
    .orderBy(asc(checklistRuns.createdAt), asc(checklistRuns.id))
    .limit(limit);
  if (runs.length === 0) return [];
  const counts = await db
    .select({ runId: checklistItems.runId, status: checklistItems.status, n: sql<number>`count(*)::int` })
    .from(checklistItems)
    .where(
      inArray(
        checklistItems.runId,
        runs.map((r) => r.id),
      ),
    )
    .groupBy(checklistItems.runId, checklistItems.status);
  const count = (runId: number, status?: string) =>
    counts.filter((c) => c.runId === runId && (status === undefined || c.status === status)).reduce((n, c) => n + Number(c.n), 0);
  return runs.map((r) => ({
    id: r.id,
    checklistId: r.checklistId,
    name: r.def.name,
    state: r.state,
    createdAt: r.createdAt,
    problems: count(r.id, 'problem'),
    done: count(r.id, 'done'),
    items: count(r.id),
  }));
}

export interface WindowProbe {
  probe: string;
  status: string;
  summary: string;
  checkedAt: Date;
}

/** Probe verdicts of [from, to], oldest first (capped). */
export async function probesInWindow(db: Tx, from: Date, to: Date, limit = 30): Promise<WindowProbe[]> {
  return db
    .select({ probe: probeResults.probe, status: probeResults.status, summary: probeResults.summary, checkedAt: probeResults.checkedAt })
    .from(probeResults)
    .where(and(gte(probeResults.checkedAt, from), lte(probeResults.checkedAt, to)))
    .orderBy(asc(probeResults.checkedAt), asc(probeResults.id))
    .limit(limit);
}

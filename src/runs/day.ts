import { and, inArray, sql } from 'drizzle-orm';
import type { Tx } from '../db';
import { checklistItems, checklistRuns } from '../db/schema';
import type { RunRow } from './store';

/** One run of a business day with its sign-off counts, for `/ops status`. */
export interface DayRun {
  id: number;
  name: string;
  state: RunRow['state'];
  late: boolean;
  kind: RunRow['kind'];
  channel: string;
  messageTs: string | null;
  at: Date;
  signed: number;
  total: number;
  problems: number;
}

/**
 * The runs whose period starts in [start, end) (scheduled time, else creation), oldest first, at
 * most `limit`, each with its signed, total and problem item counts.
 */
export async function loadDayRuns(db: Tx, start: Date, end: Date, limit = 40): Promise<DayRun[]> {
  const base = sql`coalesce(${checklistRuns.scheduledFor}, ${checklistRuns.createdAt})`;
  // The day's runs first, then their item counts in one grouped query: counting per run in the
  // select list would run three sub-queries for every run of the day before the sort and limit.
  const dayRuns = await db
    .select({
      id: checklistRuns.id,
      // The name only: a definition is kilobytes of JSON.
      name: sql<string>`${checklistRuns.definition}->>'name'`,
      state: checklistRuns.state,
      late: checklistRuns.late,
      kind: checklistRuns.kind,
      channel: checklistRuns.channel,
      messageTs: checklistRuns.messageTs,
      at: sql<Date>`${base}`.mapWith(checklistRuns.createdAt),
    })
    .from(checklistRuns)
    .where(and(sql`${base} >= ${start.toISOString()}::timestamptz`, sql`${base} < ${end.toISOString()}::timestamptz`))
    .orderBy(base)
    .limit(limit);
  const counts = dayRuns.length
    ? await db
        .select({
          runId: checklistItems.runId,
          signed: sql<number>`(count(*) filter (where ${checklistItems.status} <> 'pending'))::int`,
          total: sql<number>`count(*)::int`,
          problems: sql<number>`(count(*) filter (where ${checklistItems.status} = 'problem'))::int`,
        })
        .from(checklistItems)
        .where(
          inArray(
            checklistItems.runId,
            dayRuns.map((r) => r.id),
          ),
        )
        .groupBy(checklistItems.runId)
    : [];
  const countOf = new Map(counts.map((c) => [c.runId, c]));
  return dayRuns.map((r) => ({
    ...r,
    signed: countOf.get(r.id)?.signed ?? 0,
    total: countOf.get(r.id)?.total ?? 0,
    problems: countOf.get(r.id)?.problems ?? 0,
  }));
}

import { and, eq, gte, like, lt, sql } from 'drizzle-orm';
import type { Tx } from '../db';
import { checklistRuns, incidentEvents, incidents, timers } from '../db/schema';
import { CHANGE_PREFIX, CHANGE_PROBE_LINK_KIND } from './store';

export interface ChangeWeekFacts {
  /** Changes recorded (`/ops change`) in the week. */
  started: number;
  /** Of those, every step signed. */
  completed: number;
  /** Incidents linked to a change in the week: declared during its monitoring window (link.ts) or by marking it failed (failure.ts). */
  incidentsLinked: number;
  /** Changes marked failed in the week (`/ops change failed`, or a canary's no-go); absent from older summaries. */
  failed?: number;
  /** Failed probes linked to a change in the week (during its monitoring window, probe-link.ts); absent from older summaries. */
  probesLinked?: number;
}

export async function gatherChangeFacts(db: Tx, start: Date, end: Date): Promise<ChangeWeekFacts> {
  const [runs] = await db
    .select({ started: sql<number>`count(*)::int`, completed: sql<number>`count(*) filter (where ${checklistRuns.state} = 'complete')::int` })
    .from(checklistRuns)
    .where(and(like(checklistRuns.checklistId, `${CHANGE_PREFIX}%`), gte(checklistRuns.createdAt, start), lt(checklistRuns.createdAt, end)));
  const [linked] = await db
    .select({ n: sql<number>`count(distinct ${incidentEvents.incidentId})::int` })
    .from(incidentEvents)
    .where(and(eq(incidentEvents.kind, 'change'), gte(incidentEvents.at, start), lt(incidentEvents.at, end)));
  const [failed] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(incidents)
    .where(and(eq(incidents.source, 'change'), gte(incidents.declaredAt, start), lt(incidents.declaredAt, end)));
  const [probes] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(timers)
    .where(and(eq(timers.kind, CHANGE_PROBE_LINK_KIND), gte(timers.dueAt, start), lt(timers.dueAt, end)));
  return {
    started: Number(runs?.started ?? 0),
    completed: Number(runs?.completed ?? 0),
    incidentsLinked: Number(linked?.n ?? 0),
    failed: Number(failed?.n ?? 0),
    probesLinked: Number(probes?.n ?? 0),
  };
}

import { and, eq, gte, inArray, sql } from 'drizzle-orm';
import type { ChecklistDef } from '../checklists';
import type { Db } from '../db';
import { appState, checklistRuns } from '../db/schema';
import { occurrencesBetween, parseCron, periodKeyFor, type CronSpec } from '../schedule';

/** How far back the scheduler looks for periods it has not handled (covers a quarterly slot). */
const LOOKBACK_MS = 100 * 86_400_000;
/** A post this close to its slot is on time; later ones are marked late. */
export const ON_TIME_MS = 2 * 60_000;

export interface DuePeriod {
  def: ChecklistDef;
  periodKey: string;
  scheduledFor: Date;
  action: 'post' | 'missed';
  late: boolean;
}

/** The grace window for catching up a missed slot: the checklist's own or max(duration, 2 h). */
export function graceMs(def: ChecklistDef): number {
  return (def.graceMinutes ?? Math.max(def.durationMinutes, 120)) * 60_000;
}

/**
 * When the scheduler first ran. Periods before it are not "missed": the bot did not exist yet.
 * Inserted once; every replica reads the same value.
 */
export async function schedulerEpoch(db: Db, now: Date): Promise<Date> {
  await db.insert(appState).values({ key: 'scheduler_epoch', value: now.toISOString(), updatedAt: now }).onConflictDoNothing();
  const [row] = await db.select().from(appState).where(eq(appState.key, 'scheduler_epoch'));
  return new Date(String(row!.value));
}

const specs = new Map<string, CronSpec>();
const specOf = (expr: string) => {
  let s = specs.get(expr);
  if (!s) specs.set(expr, (s = parseCron(expr)));
  return s;
};

/**
 * The scheduled periods that have no run yet, decided purely from the calendar and `now`: the
 * latest one is posted (late if past its slot), unless it is beyond its grace window, in which case
 * it is recorded as missed; earlier unhandled ones are recorded as missed.
 */
export async function duePeriods(db: Db, defs: readonly ChecklistDef[], timezone: string, now: Date, epoch: Date): Promise<DuePeriod[]> {
  const from = new Date(Math.max(epoch.getTime() - 1, now.getTime() - LOOKBACK_MS));
  const candidates = defs.flatMap((def) => {
    const occ = occurrencesBetween(specOf(def.schedule), timezone, from, now);
    return occ.map((at, i) => ({ def, at, latest: i === occ.length - 1 }));
  });
  if (candidates.length === 0) return [];
  const existing = await db
    .select({ checklistId: checklistRuns.checklistId, periodKey: checklistRuns.periodKey })
    .from(checklistRuns)
    .where(
      and(
        inArray(checklistRuns.checklistId, [...new Set(candidates.map((c) => c.def.id))]),
        sql`${checklistRuns.periodKey} not like 'adhoc:%'`,
        gte(checklistRuns.createdAt, new Date(from.getTime() - 86_400_000)),
      ),
    );
  const seen = new Set(existing.map((r) => `${r.checklistId}|${r.periodKey}`));
  const due: DuePeriod[] = [];
  for (const c of candidates) {
    const periodKey = periodKeyFor(c.at, timezone);
    if (seen.has(`${c.def.id}|${periodKey}`)) continue;
    const lateBy = now.getTime() - c.at.getTime();
    const action = c.latest && lateBy <= graceMs(c.def) ? 'post' : 'missed';
    due.push({ def: c.def, periodKey, scheduledFor: c.at, action, late: lateBy > ON_TIME_MS });
  }
  return due;
}

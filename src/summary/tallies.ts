import { and, gte, lt, sql } from 'drizzle-orm';
import type { ChecklistDef } from '../checklists';
import type { OpsConfig } from '../config/ops-config';
import type { Tx } from '../db';
import { type checklistRuns, probeResults } from '../db/schema';
import type { ChecklistWeekFacts, ProbeSystemFacts, WeekFacts } from './types';

type RunRow = typeof checklistRuns.$inferSelect;

/** The week's runs counted per checklist (on time, late, missed, open), in config order, and their totals. */
export function tallyChecklists(
  runs: readonly RunRow[],
  config: OpsConfig,
): { checklistFacts: ChecklistWeekFacts[]; totals: WeekFacts['checklists']['totals'] } {
  const byChecklist = new Map<string, ChecklistWeekFacts>();
  const order = new Map(config.checklists.map((c, i) => [c.id, i]));
  for (const run of runs) {
    const def = run.definition as Partial<ChecklistDef>;
    const entry = byChecklist.get(run.checklistId) ?? {
      checklistId: run.checklistId,
      name: def.name ?? run.checklistId,
      posted: 0,
      onTime: 0,
      late: 0,
      missed: 0,
      open: 0,
    };
    byChecklist.set(run.checklistId, entry);
    if (!run.messageTs && run.state === 'open') continue; // claimed, never reached Slack
    if (run.state === 'missed') {
      entry.missed += 1; // never posted: not counted as posted
      continue;
    }
    entry.posted += 1;
    const startAt = run.scheduledFor ?? run.postedAt ?? run.createdAt;
    const due = startAt.getTime() + ((def.durationMinutes ?? 0) + (def.graceMinutes ?? 0)) * 60_000;
    if (run.state === 'complete') {
      if (run.late || (run.completedAt && run.completedAt.getTime() > due)) entry.late += 1;
      else entry.onTime += 1;
    }
    // Posted but not signed off: still open, whether or not it is past due. "Missed" is a slot
    // that was never posted (state 'missed'); calling an open checklist missed misleads readers.
    else entry.open += 1;
  }
  const checklistFacts = [...byChecklist.values()]
    .filter((c) => c.posted > 0 || c.missed > 0)
    .sort((a, b) => (order.get(a.checklistId) ?? 999) - (order.get(b.checklistId) ?? 999) || a.checklistId.localeCompare(b.checklistId));
  const totals = checklistFacts.reduce(
    (t, c) => ({ posted: t.posted + c.posted, onTime: t.onTime + c.onTime, late: t.late + c.late, missed: t.missed + c.missed, open: t.open + c.open }),
    { posted: 0, onTime: 0, late: 0, missed: 0, open: 0 },
  );
  return { checklistFacts, totals };
}

/** Probe results of the week per system, the most failing first; a skipped probe checked nothing. */
export async function tallyProbes(db: Tx, start: Date, end: Date): Promise<ProbeSystemFacts[]> {
  const probeRows = await db
    .select({ probe: probeResults.probe, status: probeResults.status, n: sql<number>`count(*)::int` })
    .from(probeResults)
    .where(and(gte(probeResults.checkedAt, start), lt(probeResults.checkedAt, end)))
    .groupBy(probeResults.probe, probeResults.status);
  const bySystem = new Map<string, ProbeSystemFacts>();
  for (const r of probeRows) {
    const s = bySystem.get(r.probe) ?? { probe: r.probe, checks: 0, failures: 0, warnings: 0, skipped: 0 };
    bySystem.set(r.probe, s);
    // A skipped probe (not configured) checked nothing: it is not a check.
    if (r.status === 'skipped') {
      s.skipped += Number(r.n);
      continue;
    }
    s.checks += Number(r.n);
    if (r.status === 'fail') s.failures += Number(r.n);
    if (r.status === 'warn') s.warnings += Number(r.n);
  }
  return [...bySystem.values()].filter((s) => s.checks > 0 || s.skipped > 0).sort((a, b) => b.failures - a.failures || a.probe.localeCompare(b.probe));
}

// The scorecard's queries: one period's raw inputs (metrics.ts PeriodInputs) from the probe
// results, the figures entered, the incidents and the security checklist runs.
import { and, desc, eq, gte, inArray, isNotNull, lt, sql } from 'drizzle-orm';
import type { ChecklistDef } from '../checklists';
import type { OpsConfig } from '../config/ops-config';
import type { Tx } from '../db';
import { checklistItems, checklistRuns, incidents, metrics, probeResults } from '../db/schema';
import type { PeriodInputs } from './metrics';

export interface Period {
  start: Date;
  end: Date;
}

const FIGURE_KEYS = ['responseTime', 'errorRate', 'crashRate', 'cpl', 'conversion', 'satisfaction'] as const;

async function probeInputs(db: Tx, period: Period) {
  const rows = await db
    .select({ probe: probeResults.probe, status: probeResults.status, responseMs: sql<string | null>`${probeResults.evidence}->>'responseMs'` })
    .from(probeResults)
    .where(and(inArray(probeResults.probe, ['health', 'backups']), gte(probeResults.checkedAt, period.start), lt(probeResults.checkedAt, period.end)));
  const health = { up: 0, down: 0, responseMs: [] as number[] };
  const backups = { ok: 0, failed: 0 };
  for (const r of rows) {
    if (r.probe === 'health') {
      if (r.status === 'ok' || r.status === 'warn') health.up += 1;
      else if (r.status === 'fail') health.down += 1;
      const ms = r.responseMs === null ? Number.NaN : Number(r.responseMs);
      if (Number.isFinite(ms) && (r.status === 'ok' || r.status === 'warn')) health.responseMs.push(ms);
    } else if (r.status === 'ok' || r.status === 'warn') backups.ok += 1;
    else if (r.status === 'fail') backups.failed += 1;
  }
  return { health, backups };
}

/** Values per scorecard figure whose period starts in the period; a figure entered twice for one run (or one manual period) counts once, the latest. */
async function figureInputs(db: Tx, config: OpsConfig, period: Period): Promise<PeriodInputs['figures']> {
  const ids = config.scorecard.figures;
  const wanted = [...new Set(FIGURE_KEYS.map((k) => ids[k]))];
  const rows = await db
    .select()
    .from(metrics)
    .where(and(inArray(metrics.figureId, wanted), gte(metrics.periodStart, period.start), lt(metrics.periodStart, period.end), isNotNull(metrics.value)))
    .orderBy(desc(metrics.enteredAt), desc(metrics.id));
  const seen = new Set<string>();
  const values = new Map<string, number[]>();
  for (const r of rows) {
    const key = `${r.figureId}|${r.runId ?? `${r.checklistId}@${r.periodStart.toISOString()}`}`;
    if (seen.has(key)) continue;
    seen.add(key);
    values.set(r.figureId, [...(values.get(r.figureId) ?? []), Number(r.value)]);
  }
  const out: PeriodInputs['figures'] = {};
  for (const k of FIGURE_KEYS) {
    const xs = values.get(ids[k]);
    if (xs) out[k] = xs;
  }
  return out;
}

/** The latest two months' revenue as the revenue checklist entered it, up to the period's end. */
async function revenueInputs(db: Tx, config: OpsConfig, period: Period): Promise<PeriodInputs['revenueMonths']> {
  const rows = await db
    .select({ periodStart: metrics.periodStart, value: metrics.value })
    .from(metrics)
    .where(
      and(
        eq(metrics.figureId, config.scorecard.figures.revenue),
        eq(metrics.checklistId, config.scorecard.revenueChecklist),
        lt(metrics.periodStart, period.end),
        isNotNull(metrics.value),
      ),
    )
    .orderBy(desc(metrics.periodStart), desc(metrics.enteredAt), desc(metrics.id))
    .limit(50);
  const out: PeriodInputs['revenueMonths'] = [];
  for (const r of rows) {
    if (out.some((m) => m.periodStart.getTime() === r.periodStart.getTime())) continue;
    out.push({ periodStart: r.periodStart, value: Number(r.value) });
    if (out.length === 2) break;
  }
  return out;
}

async function incidentInputs(db: Tx, period: Period): Promise<PeriodInputs['incidents']> {
  const rows = await db
    .select({ ack: incidents.timeToAckMs, resolve: incidents.timeToResolveMs })
    .from(incidents)
    .where(and(gte(incidents.declaredAt, period.start), lt(incidents.declaredAt, period.end)));
  return {
    declared: rows.length,
    ackMinutes: rows.flatMap((r) => (r.ack === null ? [] : [r.ack / 60_000])),
    resolveHours: rows.flatMap((r) => (r.resolve === null ? [] : [r.resolve / 3_600_000])),
  };
}

/**
 * Security checklist runs of the period (by scheduled time) that are complete or past due; a run
 * is compliant when it was completed with no item signed Problem. Runs not yet due do not count.
 */
async function securityInputs(db: Tx, config: OpsConfig, period: Period, now: Date): Promise<PeriodInputs['security']> {
  const ids = config.scorecard.securityChecklists;
  if (ids.length === 0) return { due: 0, compliant: 0 };
  const runAt = sql`coalesce(${checklistRuns.scheduledFor}, ${checklistRuns.createdAt})`;
  const runs = await db
    .select()
    .from(checklistRuns)
    .where(
      and(
        inArray(checklistRuns.checklistId, ids),
        sql`${runAt} >= ${period.start.toISOString()}::timestamptz and ${runAt} < ${period.end.toISOString()}::timestamptz`,
      ),
    );
  const counted = runs.filter((r) => {
    if (r.state !== 'open') return true;
    const def = r.definition as Partial<ChecklistDef>;
    const startAt = r.scheduledFor ?? r.postedAt ?? r.createdAt;
    return now.getTime() > startAt.getTime() + ((def.durationMinutes ?? 0) + (def.graceMinutes ?? 0)) * 60_000;
  });
  if (counted.length === 0) return { due: 0, compliant: 0 };
  const problems = await db
    .selectDistinct({ runId: checklistItems.runId })
    .from(checklistItems)
    .where(
      and(
        inArray(
          checklistItems.runId,
          counted.map((r) => r.id),
        ),
        eq(checklistItems.status, 'problem'),
      ),
    );
  const withProblem = new Set(problems.map((p) => p.runId));
  return { due: counted.length, compliant: counted.filter((r) => r.state === 'complete' && !withProblem.has(r.id)).length };
}

/** Everything the scorecard needs of one period. `now` decides which open security runs are past due. */
export async function gatherPeriodInputs(db: Tx, config: OpsConfig, period: Period, now: Date): Promise<PeriodInputs> {
  const [probes, figures, revenueMonths, incidentFacts, security] = await Promise.all([
    probeInputs(db, period),
    figureInputs(db, config, period),
    revenueInputs(db, config, period),
    incidentInputs(db, period),
    securityInputs(db, config, period, now),
  ]);
  return { ...probes, figures, revenueMonths, incidents: incidentFacts, security };
}

// The success-metrics scorecard (the guide's SUCCESS METRICS), computed from what the bot already
// records. Pure: the store (store.ts) gathers one period's raw inputs; this module turns two
// periods' inputs into values, verdicts and trends. A metric with nothing to measure it is
// "no data", never a zero.
import type { ScorecardTargets } from './config';

export type MetricId =
  | 'uptime'
  | 'responseTime'
  | 'errorRate'
  | 'crashRate'
  | 'cpl'
  | 'conversion'
  | 'satisfaction'
  | 'revenueGrowth'
  | 'incidentResponse'
  | 'issueResolution'
  | 'backupSuccess'
  | 'securityCompliance';

export type MetricUnit = 'percent' | 'ms' | 'money' | 'rating' | 'minutes' | 'hours';
export type MetricGroup = 'System health' | 'Business performance' | 'Operational efficiency';

export interface MetricDef {
  id: MetricId;
  label: string;
  group: MetricGroup;
  unit: MetricUnit;
  /** How the value must compare with the target to meet it. */
  op: '>' | '<' | '>=';
  target: keyof ScorecardTargets;
}

/** The guide's twelve, in its order. */
export const METRICS: readonly MetricDef[] = [
  { id: 'uptime', label: 'Uptime', group: 'System health', unit: 'percent', op: '>', target: 'uptimePct' },
  { id: 'responseTime', label: 'Response time', group: 'System health', unit: 'ms', op: '<', target: 'responseTimeMs' },
  { id: 'errorRate', label: 'Error rate', group: 'System health', unit: 'percent', op: '<', target: 'errorRatePct' },
  { id: 'crashRate', label: 'Crash rate', group: 'System health', unit: 'percent', op: '<', target: 'crashRatePct' },
  { id: 'cpl', label: 'CPL', group: 'Business performance', unit: 'money', op: '<', target: 'cplUsd' },
  { id: 'conversion', label: 'Conversion rate', group: 'Business performance', unit: 'percent', op: '>', target: 'conversionPct' },
  { id: 'satisfaction', label: 'Customer satisfaction', group: 'Business performance', unit: 'rating', op: '>', target: 'satisfaction' },
  { id: 'revenueGrowth', label: 'Revenue growth (MoM)', group: 'Business performance', unit: 'percent', op: '>', target: 'revenueGrowthPct' },
  { id: 'incidentResponse', label: 'Incident response', group: 'Operational efficiency', unit: 'minutes', op: '<', target: 'incidentResponseMinutes' },
  { id: 'issueResolution', label: 'Issue resolution', group: 'Operational efficiency', unit: 'hours', op: '<', target: 'issueResolutionHours' },
  { id: 'backupSuccess', label: 'Backup success', group: 'Operational efficiency', unit: 'percent', op: '>=', target: 'backupSuccessPct' },
  { id: 'securityCompliance', label: 'Security compliance', group: 'Operational efficiency', unit: 'percent', op: '>=', target: 'securityCompliancePct' },
];

/** One period's raw material, as the store reads it. */
export interface PeriodInputs {
  /** Health probe verdicts: `up` ok or warn, `down` fail (unknown and skipped say nothing). */
  health: { up: number; down: number; responseMs: number[] };
  /** Backups probe verdicts. */
  backups: { ok: number; failed: number };
  /** Values entered for the period, by scorecard figure key (one per run; the latest entry). */
  figures: Partial<Record<'responseTime' | 'errorRate' | 'crashRate' | 'cpl' | 'conversion' | 'satisfaction', number[]>>;
  /** The latest two monthly revenue figures entered before the period's end, newest first. */
  revenueMonths: { periodStart: Date; value: number }[];
  /** Incidents declared in the period: minutes to acknowledge, hours to resolve (those that were). */
  incidents: { declared: number; ackMinutes: number[]; resolveHours: number[] };
  /** Security checklist runs due in the period; compliant: complete with no item signed Problem. */
  security: { due: number; compliant: number };
}

export interface Measured {
  value: number;
  /** How it was measured, in words: "from 14 health checks". */
  basis: string;
}

export interface MetricResult {
  id: MetricId;
  label: string;
  group: MetricGroup;
  unit: MetricUnit;
  op: MetricDef['op'];
  target: number;
  /** Two decimals; null is "no data". */
  value: number | null;
  previous: number | null;
  status: 'met' | 'missed' | 'no_data';
  /** Against the previous period, in the metric's own direction; null when either has no data. */
  trend: 'better' | 'worse' | 'same' | null;
  /** How the value was measured, or why there is none. */
  basis: string;
}

export interface Scorecard {
  period: { key: string; label: string; start: string; end: string };
  previousKey: string;
  metrics: MetricResult[];
  /** How many metrics there are (12), so prose may say "6 of 12". */
  total: number;
  met: number;
  missed: number;
  noData: number;
}

const round2 = (n: number) => Math.round(n * 100) / 100;
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const n = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;
const DAY = 86_400_000;

function share(good: number, total: number, what: string): Measured | string {
  if (total === 0) return `no ${what} in the period`;
  return { value: (good / total) * 100, basis: `${good} of ${n(total, what.replace(/s$/, ''))}` };
}

function figureMean(inputs: PeriodInputs, key: keyof PeriodInputs['figures'], figureId: string): Measured | string {
  const xs = inputs.figures[key] ?? [];
  if (xs.length === 0) return `no "${figureId}" figure entered for the period`;
  return { value: mean(xs), basis: xs.length === 1 ? `figure "${figureId}"` : `mean of ${xs.length} "${figureId}" figures` };
}

/** One metric of one period: the value, or the reason there is none. */
export function measure(id: MetricId, inputs: PeriodInputs, figureIds: Record<string, string>): Measured | string {
  switch (id) {
    case 'uptime':
      return share(inputs.health.up, inputs.health.up + inputs.health.down, 'health checks');
    case 'responseTime': {
      const xs = inputs.health.responseMs;
      if (xs.length) return { value: mean(xs), basis: `mean of ${n(xs.length, 'health check')}` };
      return figureMean(inputs, 'responseTime', figureIds.responseTime!);
    }
    case 'errorRate':
    case 'crashRate':
    case 'cpl':
    case 'conversion':
    case 'satisfaction':
      return figureMean(inputs, id, figureIds[id]!);
    case 'revenueGrowth': {
      const [last, before] = inputs.revenueMonths;
      if (!last || !before) return `fewer than two monthly "${figureIds.revenue}" figures`;
      const gap = (last.periodStart.getTime() - before.periodStart.getTime()) / DAY;
      if (gap < 20 || gap > 40) return `the last two "${figureIds.revenue}" figures are not of consecutive months`;
      if (before.value === 0) return `the month before had no revenue to grow from`;
      return { value: ((last.value - before.value) / Math.abs(before.value)) * 100, basis: `"${figureIds.revenue}" ${before.value} → ${last.value}` };
    }
    case 'incidentResponse': {
      const xs = inputs.incidents.ackMinutes;
      if (xs.length === 0)
        return inputs.incidents.declared ? `none of ${n(inputs.incidents.declared, 'incident')} acknowledged yet` : 'no incident declared in the period';
      return { value: mean(xs), basis: `mean of ${n(xs.length, 'acknowledged incident')}` };
    }
    case 'issueResolution': {
      const xs = inputs.incidents.resolveHours;
      if (xs.length === 0)
        return inputs.incidents.declared ? `none of ${n(inputs.incidents.declared, 'incident')} resolved yet` : 'no incident declared in the period';
      return { value: mean(xs), basis: `mean of ${n(xs.length, 'resolved incident')}` };
    }
    case 'backupSuccess':
      return share(inputs.backups.ok, inputs.backups.ok + inputs.backups.failed, 'backup checks');
    case 'securityCompliance':
      return share(inputs.security.compliant, inputs.security.due, 'security checklists');
  }
}

export function meets(op: MetricDef['op'], value: number, target: number): boolean {
  return op === '>' ? value > target : op === '<' ? value < target : value >= target;
}

function trendOf(op: MetricDef['op'], value: number | null, previous: number | null): MetricResult['trend'] {
  if (value === null || previous === null) return null;
  if (value === previous) return 'same';
  const higherIsBetter = op !== '<';
  return value > previous === higherIsBetter ? 'better' : 'worse';
}

export interface ScorecardInput {
  period: Scorecard['period'];
  previousKey: string;
  current: PeriodInputs;
  previous: PeriodInputs;
  targets: ScorecardTargets;
  figureIds: Record<string, string>;
}

/** The twelve metrics of a period against their targets, with the trend against the period before. */
export function computeScorecard(input: ScorecardInput): Scorecard {
  const metrics = METRICS.map((def): MetricResult => {
    const now = measure(def.id, input.current, input.figureIds);
    const before = measure(def.id, input.previous, input.figureIds);
    const value = typeof now === 'string' ? null : round2(now.value);
    const previous = typeof before === 'string' ? null : round2(before.value);
    const target = input.targets[def.target];
    return {
      id: def.id,
      label: def.label,
      group: def.group,
      unit: def.unit,
      op: def.op,
      target,
      value,
      previous,
      status: value === null ? 'no_data' : meets(def.op, value, target) ? 'met' : 'missed',
      trend: trendOf(def.op, value, previous),
      basis: typeof now === 'string' ? now : now.basis,
    };
  });
  const count = (s: MetricResult['status']) => metrics.filter((m) => m.status === s).length;
  return {
    period: input.period,
    previousKey: input.previousKey,
    metrics,
    total: metrics.length,
    met: count('met'),
    missed: count('missed'),
    noData: count('no_data'),
  };
}

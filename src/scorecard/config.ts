// The success-metrics scorecard's settings: the guide's twelve targets (SUCCESS METRICS) and
// where each measured value comes from. Strict: a misspelt target fails start-up.
import { z } from 'zod';

const num = z.number().finite();

/** The guide's targets ("Uptime: >99.9%" … "Security compliance: 100%"); test/scorecard/guide-targets.test.ts reads them back from the guide. */
export const GUIDE_TARGETS = {
  uptimePct: 99.9,
  responseTimeMs: 200,
  errorRatePct: 0.1,
  crashRatePct: 1,
  cplUsd: 20,
  conversionPct: 25,
  satisfaction: 4.5,
  revenueGrowthPct: 10,
  incidentResponseMinutes: 15,
  issueResolutionHours: 24,
  backupSuccessPct: 100,
  securityCompliancePct: 100,
} as const;

/** Figure ids (of the checklists' figures) the business and performance metrics are read from. */
export const DEFAULT_FIGURES = {
  /** Used when no health probe measured a response time in the period. */
  responseTime: 'api-average',
  /** No built-in checklist asks for it: add a figure with this id (unit percent) to measure it. */
  errorRate: 'error-rate',
  crashRate: 'crash-rate',
  cpl: 'cpl',
  conversion: 'conversion-rate',
  satisfaction: 'average-rating',
  revenue: 'total-revenue',
} as const;

const targetsSchema = z
  .object(
    Object.fromEntries(Object.entries(GUIDE_TARGETS).map(([k, v]) => [k, num.default(v)])) as { [K in keyof typeof GUIDE_TARGETS]: z.ZodDefault<typeof num> },
  )
  .strict();

const figuresSchema = z
  .object(
    Object.fromEntries(Object.entries(DEFAULT_FIGURES).map(([k, v]) => [k, z.string().min(1).default(v)])) as {
      [K in keyof typeof DEFAULT_FIGURES]: z.ZodDefault<z.ZodString>;
    },
  )
  .strict();

export const scorecardConfigSchema = z
  .object({
    targets: targetsSchema.prefault({}),
    figures: figuresSchema.prefault({}),
    /** Revenue growth is month over month: the revenue figure as entered by this checklist (one value a month). */
    revenueChecklist: z.string().min(1).default('monthly-review'),
    /** Security compliance: the share of these checklists' runs completed with no item signed Problem. */
    securityChecklists: z.array(z.string().min(1)).default(['security-daily', 'security-weekly', 'security-monthly']),
  })
  .strict();

export type ScorecardConfig = z.infer<typeof scorecardConfigSchema>;
export type ScorecardTargets = ScorecardConfig['targets'];

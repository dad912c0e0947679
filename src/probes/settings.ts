import { z } from 'zod';

/**
 * Probe thresholds. Every field defaults to the maintenance guide's value, so
 * `probeSettingsSchema.parse({})` is the guide; an OPS_CONFIG file overrides parts.
 * Nested objects use `prefault({})` (zod 4) so their inner defaults are applied too.
 */
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM (24 h)');

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const backupTargetSchema = z
  .object({
    prefix: z.string().min(1),
    /** Local wall-clock time (business timezone) the backup job runs. */
    dueAt: hhmm,
    label: z.string().min(1),
  })
  .strict();

export const probeSettingsSchema = z
  .object({
    /** Per-probe time budget in runProbes; also used as the SDK request timeout. */
    timeoutMs: z.number().int().positive().default(5000),
    health: z
      .object({
        /** Guide: API response time target < 200 ms: a response this slow or slower warns. */
        responseTargetMs: z.number().int().positive().default(200),
      })
      .strict()
      .prefault({}),
    alarms: z
      .object({
        namePrefix: z.string().min(1).optional(),
        /** How many alarm names/reasons go into evidence. */
        maxListed: z.number().int().positive().default(20),
      })
      .strict()
      .prefault({}),
    errors: z
      .object({
        namespace: z.string().default('DrainPro'),
        metricName: z.string().default('Errors'),
        dimensions: z.array(z.object({ Name: z.string(), Value: z.string() }).strict()).default([]),
        /** Guide: error count should be < 10 (per day). */
        threshold: z.number().nonnegative().default(10),
        /** Warn once the sum reaches this share of the threshold. */
        warnRatio: z.number().min(0).max(1).default(0.8),
        windowHours: z.number().positive().default(24),
      })
      .strict()
      .prefault({}),
    backups: z
      .object({
        timezone: z.string().refine(isTimeZone, 'unknown IANA timezone').default('America/New_York'),
        targets: z.array(backupTargetSchema).default([
          { prefix: 'database/', dueAt: '02:00', label: 'database' },
          { prefix: 'files/', dueAt: '03:00', label: 'files' },
          { prefix: 'config/', dueAt: '04:00', label: 'configuration' },
        ]),
        /** Minutes after the due time before a missing run counts as late. */
        graceMinutes: z.number().int().nonnegative().default(60),
        /** Newest smaller than this share of the previous one is "far smaller". */
        farSmallerRatio: z.number().min(0).max(1).default(0.5),
        maxPages: z.number().int().positive().default(20),
      })
      .strict()
      .prefault({}),
    payments: z
      .object({
        /** Guide: failed payments < 5 %. */
        maxFailRate: z.number().min(0).max(1).default(0.05),
        maxDisputes: z.number().int().nonnegative().default(0),
        maxEarlyFraudWarnings: z.number().int().nonnegative().default(0),
        /** Cap on charges fetched, so a huge day cannot stall the probe. */
        maxCharges: z.number().int().positive().default(5000),
      })
      .strict()
      .prefault({}),
    forwarding: z
      .object({
        /** Guide: forwarding success rate should be > 95 %: a rate equal to this fails. */
        minSuccessRate: z.number().min(0).max(1).default(0.95),
        maxCalls: z.number().int().positive().default(5000),
      })
      .strict()
      .prefault({}),
    agents: z
      .object({
        source: z.enum(['health', 'cloudwatch']).default('health'),
        /** Guide: the Monitor Agent runs every 15–60 min. */
        monitorMaxGapMinutes: z.number().positive().default(60),
        cloudwatch: z
          .object({
            namespace: z.string().default('DrainPro/Agents'),
            metricName: z.string().default('AgentRuns'),
            /** Dimension naming the agent; the monitor agent's runs are counted. */
            agentDimension: z.string().default('Agent'),
            monitorAgent: z.string().default('monitor'),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type ProbeSettings = z.infer<typeof probeSettingsSchema>;
export type ProbeSettingsInput = z.input<typeof probeSettingsSchema>;

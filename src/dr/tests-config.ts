// Targets of the guide's disaster-recovery tests (BACKUP & DISASTER RECOVERY → Disaster Recovery
// Testing), keyed by checklist id. Strict: a misspelt key fails start-up.
import { z } from 'zod';

const target = z
  .object({
    /** Recovery time objective: the measured restore (start to end) must take less than this. */
    rtoMinutes: z
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 60),
    /** Recovery point objective: the data lost (how old the restored backup's data is) must not exceed this. */
    rpoMinutes: z.number().int().min(0).max(525_600),
  })
  .strict();

/**
 * The guide's targets: the monthly test "< 1 hour restoration time" restoring a daily backup (so up
 * to a day of data: daily backups run at 2 AM), the quarterly test "< 4 hours total recovery time"
 * restoring the weekly snapshot (Sunday 2 AM: up to a week of data). The guide's goal of "zero data
 * loss" is for production, not for a restore from a nightly copy, so it is not the test's RPO.
 */
export const DEFAULT_DR_TARGETS = {
  'dr-test': { rtoMinutes: 60, rpoMinutes: 24 * 60 },
  'dr-full': { rtoMinutes: 240, rpoMinutes: 7 * 24 * 60 },
};

export const drTestsSchema = z
  .object({
    targets: z.record(z.string().min(1), target).default(DEFAULT_DR_TARGETS),
    /**
     * Severity of the incident a missed target opens (once per test). The guide's P1 ("Major
     * feature broken"): the way back from a disaster does not work as promised; the same severity
     * a Problem on the restore item opens.
     */
    breachSeverity: z.enum(['p0', 'p1', 'p2', 'p3']).default('p1'),
  })
  .strict();

export type DrTestsConfig = z.infer<typeof drTestsSchema>;
export type DrTarget = z.infer<typeof target>;

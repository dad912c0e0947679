// The guide's "Disaster Recovery Procedures — If System Goes Down" attached to a P0 whose system
// is down. Strict: a misspelt key fails start-up.
import { z } from 'zod';

/**
 * How "the system is down" is known: a P0 (declared by `/incident p0 …`, the modal, or a checklist
 * or probe, or raised to P0 by `/incident severity`) whose summary contains one of these words or phrases (whole words, any case). The
 * guide's P0 also covers data loss and security breaches, which are not outages and do not get
 * the restore-from-backup procedure.
 */
export const DEFAULT_DOWN_WORDS = ['down', 'outage', 'offline', 'unreachable', 'unavailable', 'not responding', 'crashed', 'dead'];

export const disasterRecoverySchema = z
  .object({
    /** false: no P0 gets the procedure. */
    enabled: z.boolean().default(true),
    downWords: z.array(z.string().trim().min(2)).min(1).default(DEFAULT_DOWN_WORDS),
    /** Channel key (see `channels`) that "Notify stakeholders immediately" posts to. */
    stakeholderChannel: z.string().min(1).default('leadership'),
    /** "Monitor closely for 24 hours": the window after "Bring system back online" is signed Done. */
    monitorHours: z
      .number()
      .min(0.25)
      .max(24 * 14)
      .default(24),
  })
  .strict();

export type DisasterRecoveryConfig = z.infer<typeof disasterRecoverySchema>;

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A P0 whose summary says the system is down (see DEFAULT_DOWN_WORDS). */
export function isSystemDown(cfg: DisasterRecoveryConfig, severity: string, summary: string): boolean {
  if (!cfg.enabled || severity !== 'p0') return false;
  const words = cfg.downWords.map((w) => escapeRe(w.toLowerCase()).replace(/\s+/g, '\\s+'));
  return new RegExp(`(?<![\\p{L}\\p{N}])(${words.join('|')})(?![\\p{L}\\p{N}])`, 'iu').test(summary);
}

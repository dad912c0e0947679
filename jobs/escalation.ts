import type { Deps } from '../src/deps';
import { runEscalationSweep } from '../src/incidents/escalation';
import type { Job } from './loop';

/** One escalation sweep: due steps and SLA deadlines, SMS fallbacks, announcement refreshes. */
export function run(deps: Deps, now: Date) {
  return runEscalationSweep(deps, now);
}

/**
 * Ticks every second and sweeps every `incidents.sweepEverySeconds` (config), so the interval is
 * a config value without the loop knowing about config (50 ms of slack for timer jitter).
 */
export const escalationJob: Job = {
  name: 'escalation',
  everyMs: 1_000,
  minGapMs: (deps) => deps.config.incidents.sweepEverySeconds * 1000 - 50,
  run,
};

import type { Deps } from '../src/deps';
import { runEscalationSweep } from '../src/incidents/escalation';
import type { Job } from './loop';

/** One escalation sweep: due steps and SLA deadlines, SMS fallbacks, announcement refreshes. */
export function run(deps: Deps, now: Date) {
  return runEscalationSweep(deps, now);
}

const lastRun = new WeakMap<Deps, number>();

/**
 * Ticks every second and sweeps every `incidents.sweepEverySeconds` (config), so the interval is
 * a config value without the loop knowing about config.
 */
export const escalationJob: Job = {
  name: 'escalation',
  everyMs: 1_000,
  run: async (deps, now) => {
    const last = lastRun.get(deps);
    if (last !== undefined && now.getTime() - last < deps.config.incidents.sweepEverySeconds * 1000 - 50) return { skipped: true };
    lastRun.set(deps, now.getTime());
    return run(deps, now);
  },
};

import type { Job, LoopHooks } from '../job';

/** How long past its interval a job may go without a success before it counts as stalled. */
export const STALLED_AFTER_MS = 10 * 60_000;
/** Consecutive failed runs after which a job "keeps failing" (heartbeat /fail, a page). */
export const FAILING_AFTER_RUNS = 3;

export interface JobHealth {
  job: string;
  everyMs: number;
  /** Last success, or when the loop started if none yet. */
  since: Date;
  consecutiveFailures: number;
}

export interface HealthVerdict {
  /** Jobs with no success for their interval plus STALLED_AFTER_MS. */
  stalled: JobHealth[];
  /** Jobs whose last FAILING_AFTER_RUNS runs or more all failed. */
  failing: JobHealth[];
  /** False until the loop has started: a bot whose scheduler never ran is not healthy. */
  started: boolean;
}

/**
 * What the loop says about each job (the same hooks /metrics uses), kept for the heartbeat and
 * the watchdog: the scheduler and sweeps are healthy when every job succeeded recently.
 */
export class JobMonitor {
  private readonly jobs = new Map<string, JobHealth>();
  private started = false;

  constructor(private readonly opts: { stalledAfterMs?: number; failingAfterRuns?: number } = {}) {}

  readonly hooks: LoopHooks = {
    onStart: (jobs, at) => {
      this.started = true;
      for (const j of jobs) this.jobs.set(j.name, { job: j.name, everyMs: j.everyMs, since: at, consecutiveFailures: 0 });
    },
    onRun: (job: Job, outcome, at) => {
      const h = this.jobs.get(job.name) ?? { job: job.name, everyMs: job.everyMs, since: at, consecutiveFailures: 0 };
      this.jobs.set(job.name, outcome.ok ? { ...h, since: at, consecutiveFailures: 0 } : { ...h, consecutiveFailures: h.consecutiveFailures + 1 });
    },
  };

  verdict(now: Date): HealthVerdict {
    const stalledAfter = this.opts.stalledAfterMs ?? STALLED_AFTER_MS;
    const failingAfter = this.opts.failingAfterRuns ?? FAILING_AFTER_RUNS;
    const all = [...this.jobs.values()];
    return {
      started: this.started,
      stalled: all.filter((j) => now.getTime() - j.since.getTime() > j.everyMs + stalledAfter),
      failing: all.filter((j) => j.consecutiveFailures >= failingAfter),
    };
  }
}

/** Several observers of one loop (metrics, the monitor). */
export function combineHooks(...all: LoopHooks[]): LoopHooks {
  return {
    onStart: (jobs, at) => all.forEach((h) => h.onStart?.(jobs, at)),
    onRun: (job, outcome, at) => all.forEach((h) => h.onRun?.(job, outcome, at)),
  };
}

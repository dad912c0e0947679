import cron from 'node-cron';
import type { Deps } from '../src/deps';
import { describeError } from '../src/errors';
import type { Job, LoopHooks } from '../src/job';

export type { Job, LoopHooks } from '../src/job';

export interface Loops {
  stop(): Promise<void>;
}

/**
 * Runs each job on its own timer, never overlapping itself; a failing run is logged and retried
 * on the next tick. Job bodies take the time from the injected clock, so tests call `run`
 * directly with the time they want instead of waiting for these timers.
 */
export function startLoops(deps: Deps, jobs: readonly Job[], hooks: LoopHooks = {}): Loops {
  let stopped = false;
  hooks.onStart?.(jobs, deps.clock.now());
  const running = new Set<Promise<void>>();
  const timers = jobs.map((job) => {
    let busy = false;
    let lastRun: number | undefined;
    const runOrSkip = (now: Date): Promise<unknown> => {
      const gap = job.minGapMs?.(deps);
      if (gap !== undefined && lastRun !== undefined && now.getTime() - lastRun < gap) return Promise.resolve({ skipped: true });
      lastRun = now.getTime();
      return job.run(deps, now);
    };
    const tick = () => {
      if (busy || stopped) return;
      busy = true;
      const p = (async () => {
        try {
          const result = await runOrSkip(deps.clock.now());
          hooks.onRun?.(job, { ok: true, result }, deps.clock.now());
        } catch (err) {
          deps.logger.error({ job: job.name, err: describeError(err) }, 'job run failed');
          hooks.onRun?.(job, { ok: false }, deps.clock.now());
        } finally {
          busy = false;
        }
      })();
      running.add(p);
      void p.finally(() => running.delete(p));
    };
    setImmediate(tick);
    if (job.cron) {
      const task = cron.schedule(job.cron, tick, { name: job.name, noOverlap: true });
      return { stop: () => void task.stop() };
    }
    const timer = setInterval(tick, job.everyMs);
    timer.unref();
    return { stop: () => clearInterval(timer) };
  });
  return {
    stop: async () => {
      stopped = true;
      for (const t of timers) t.stop();
      await Promise.allSettled([...running]);
    },
  };
}

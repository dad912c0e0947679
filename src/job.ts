import type { Deps } from './deps';

/** A periodic job: `run` is idempotent and returns what it did (for logs and tests). */
export interface Job {
  name: string;
  everyMs: number;
  /** When set, ticks on this cron expression (node-cron) instead of every `everyMs`. */
  cron?: string;
  /**
   * When set, a tick runs the body only if at least this long (from config) has passed since the
   * body last ran; other ticks report `{ skipped: true }`. Lets a config value set the interval
   * while the loop, the watchdog and /metrics keep judging the job by `everyMs`.
   */
  minGapMs?(deps: Deps): number;
  run(deps: Deps, now: Date): Promise<unknown>;
}

/** Told how each run ended (the bot's /metrics: last success, lag, escalation steps fired). */
export interface LoopHooks {
  onStart?(jobs: readonly Job[], at: Date): void;
  onRun?(job: Job, outcome: { ok: true; result: unknown } | { ok: false }, at: Date): void;
}

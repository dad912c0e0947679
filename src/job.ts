import type { Deps } from './deps';

/** A periodic job: `run` is idempotent and returns what it did (for logs and tests). */
export interface Job {
  name: string;
  everyMs: number;
  /** When set, ticks on this cron expression (node-cron) instead of every `everyMs`. */
  cron?: string;
  run(deps: Deps, now: Date): Promise<unknown>;
}

/** Told how each run ended (the bot's /metrics: last success, lag, escalation steps fired). */
export interface LoopHooks {
  onStart?(jobs: readonly Job[], at: Date): void;
  onRun?(job: Job, outcome: { ok: true; result: unknown } | { ok: false }, at: Date): void;
}

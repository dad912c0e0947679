import type { Job } from '../job';
import type { Deps } from '../deps';
import { describeError } from '../errors';
import type { JobMonitor } from './monitor';

export interface HeartbeatOptions {
  everyMs?: number;
  timeoutMs?: number;
}

/** `<url>/fail`, healthchecks.io style (Cronitor and Better Stack accept the same suffix). */
export function failUrl(url: string): string {
  const u = new URL(url);
  u.pathname = `${u.pathname.replace(/\/+$/, '')}/fail`;
  return u.toString();
}

/**
 * The dead-man's switch: every minute, while every job of the loop has succeeded recently, GET
 * HEARTBEAT_URL; when a job keeps failing, GET `<url>/fail`. A stalled loop sends nothing, which
 * is what the outside service pages on (a dead process sends nothing either). The URL usually
 * carries a token, so it is never logged (it is in SECRET_VARS; errors are redacted here too).
 */
export function heartbeatJob(monitor: JobMonitor, opts: HeartbeatOptions = {}): Job {
  return {
    name: 'heartbeat',
    everyMs: opts.everyMs ?? 60_000,
    async run(deps: Deps, now: Date) {
      const url = deps.env.HEARTBEAT_URL;
      if (!url) return { sent: 'off' as const };
      // This job's own row is fresh by construction; judge the others.
      const v = monitor.verdict(now);
      const failing = v.failing.filter((j) => j.job !== 'heartbeat');
      const stalled = v.stalled.filter((j) => j.job !== 'heartbeat');
      if (failing.length > 0) {
        await ping(deps, failUrl(url), url, opts.timeoutMs);
        deps.logger.warn({ jobs: failing.map((j) => j.job) }, 'heartbeat: reported failure (jobs keep failing)');
        return { sent: 'fail' as const, jobs: failing.map((j) => j.job) };
      }
      if (!v.started || stalled.length > 0) {
        deps.logger.warn({ jobs: stalled.map((j) => j.job) }, 'heartbeat withheld: jobs have not completed recently');
        return { sent: 'none' as const, jobs: stalled.map((j) => j.job) };
      }
      await ping(deps, url, url, opts.timeoutMs);
      return { sent: 'ok' as const };
    },
  };
}

async function ping(_deps: Deps, target: string, secret: string, timeoutMs = 10_000): Promise<void> {
  try {
    const res = await fetch(target, { method: 'GET', signal: AbortSignal.timeout(timeoutMs) });
    await res.body?.cancel(); // free the socket: the answer's body is not needed
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
  } catch (err) {
    // Thrown so the loop counts the failure; the message must not carry the URL's token.
    throw new Error(`heartbeat ping failed: ${describeError(err).split(secret).join('[HEARTBEAT_URL]')}`);
  }
}

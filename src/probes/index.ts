import { createAgentsProbe } from './agents';
import { createAlarmsProbe } from './alarms';
import { createBackupsProbe } from './backups';
import type { ProbeEnv } from './env';
import { errorOutcome } from './errors-map';
import { createErrorsProbe } from './errors';
import { createForwardingProbe } from './forwarding';
import { createHealthProbe } from './health';
import { outcome } from './outcome';
import { createPaymentsProbe } from './payments';
import type { ProbeSettings } from './settings';
import type { Probe, ProbeName, ProbeOutcome, ProbeResult } from './types';

export type { Probe, ProbeName, ProbeOutcome, ProbeResult, ProbeStatus, ProbeContext } from './types';
export { PROBE_NAMES } from './types';
export type { ProbeEnv } from './env';
export { probeSettingsSchema, type ProbeSettings, type ProbeSettingsInput } from './settings';
export { createAgentsProbe, createAlarmsProbe, createBackupsProbe, createErrorsProbe, createForwardingProbe, createHealthProbe, createPaymentsProbe };

/**
 * One probe per checklist item, each owning its SDK client built from `env` (no module-level
 * singletons). Clients are created on a probe's first configured run, so building probes from an
 * incomplete or odd env never throws (Twilio's constructor rejects a SID not starting with AC)
 * and an unconfigured probe never touches the network.
 */
export function buildProbes(env: ProbeEnv, settings: ProbeSettings): Record<ProbeName, Probe> {
  return {
    health: createHealthProbe(env, settings),
    alarms: createAlarmsProbe(env, settings),
    errors: createErrorsProbe(env, settings),
    backups: createBackupsProbe(env, settings),
    payments: createPaymentsProbe(env, settings),
    forwarding: createForwardingProbe(env, settings),
    agents: createAgentsProbe(env, settings),
  };
}

const TIMED_OUT = Symbol('timed out');

/**
 * Run probes in parallel, each under its own timeout. Never throws: a probe that throws,
 * returns garbage or outlives its budget becomes `unknown`. The race matters because a probe
 * that ignores its AbortSignal must still not hold up the checklist.
 */
export async function runProbes(probes: Probe[], opts: { timeoutMs: number; now: Date }): Promise<ProbeResult[]> {
  return Promise.all(probes.map((p) => runOne(p, opts)));
}

async function runOne(probe: Probe, opts: { timeoutMs: number; now: Date }): Promise<ProbeResult> {
  const controller = new AbortController();
  const checkedAt = new Date().toISOString();
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => {
      const reason = new Error(`timed out after ${opts.timeoutMs} ms`);
      reason.name = 'TimeoutError';
      controller.abort(reason);
      resolve(TIMED_OUT);
    }, opts.timeoutMs);
  });
  let result: ProbeOutcome;
  try {
    const work = Promise.resolve().then(() => probe.run({ signal: controller.signal, now: opts.now }));
    work.catch(() => undefined); // a late rejection after the timeout must not go unhandled
    const winner = await Promise.race([work, timeout]);
    result = winner === TIMED_OUT ? outcome('unknown', `timed out after ${opts.timeoutMs} ms`, { reason: 'timeout' }) : validOutcome(winner);
  } catch (err) {
    result = controller.signal.aborted ? outcome('unknown', `timed out after ${opts.timeoutMs} ms`, { reason: 'timeout' }) : errorOutcome(probe.name, err, []);
  } finally {
    clearTimeout(timer);
  }
  // A probe that noticed the abort itself reports its SDK's wording; normalise it.
  if (controller.signal.aborted && result.status === 'unknown' && result.evidence.reason === 'timeout') {
    result = outcome('unknown', `timed out after ${opts.timeoutMs} ms`, result.evidence);
  }
  return { ...result, probe: probe.name, durationMs: Math.round(performance.now() - started), checkedAt };
}

const STATUSES = new Set(['ok', 'warn', 'fail', 'unknown', 'skipped']);

function validOutcome(o: unknown): ProbeOutcome {
  const v = o as Partial<ProbeOutcome> | null;
  if (!v || typeof v !== 'object' || !STATUSES.has(String(v.status)) || typeof v.summary !== 'string') {
    return outcome('unknown', 'probe returned an invalid result', {});
  }
  return outcome(v.status as ProbeOutcome['status'], v.summary, v.evidence && typeof v.evidence === 'object' ? v.evidence : {});
}

import { probeSettingsSchema, type ProbeSettings, type ProbeSettingsInput } from '../../src/probes/settings';
import type { ProbeEnv } from '../../src/probes/env';
import type { Probe, ProbeOutcome } from '../../src/probes/types';
import { runProbes } from '../../src/probes/index';

export const NOW = new Date('2026-11-26T14:00:00Z'); // 09:00 in New York: morning checklist time

export function settingsWith(overrides: ProbeSettingsInput = {}): ProbeSettings {
  return probeSettingsSchema.parse({ timeoutMs: 2000, ...overrides });
}

export function awsEnv(url: string, extra: ProbeEnv = {}): ProbeEnv {
  return { AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL: url, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', ...extra };
}

/** Run one probe directly with a fresh signal (no runProbes timeout around it). */
export function runDirect(probe: Probe, now: Date = NOW): Promise<ProbeOutcome> {
  return probe.run({ signal: new AbortController().signal, now });
}

/** Run one probe the way the app does: under runProbes' timeout. Returns the result and wall time. */
export async function runTimed(probe: Probe, timeoutMs: number, now: Date = NOW) {
  const started = performance.now();
  const [result] = await runProbes([probe], { timeoutMs, now });
  if (!result) throw new Error('runProbes returned nothing');
  return { result, elapsedMs: performance.now() - started };
}

export function expectSummaryClean(summary: string): void {
  if (summary.length >= 200 || /[\n<>]/.test(summary)) throw new Error(`summary not one clean line: ${summary}`);
}

/**
 * Run without runProbes' outer race: the probe's own SDK/request timeout must end it.
 * Returns the outcome and how long it took.
 */
export async function runWithoutOuterTimeout(probe: Probe, now: Date = NOW) {
  const started = performance.now();
  const out = await probe.run({ signal: new AbortController().signal, now });
  return { out, elapsedMs: performance.now() - started };
}

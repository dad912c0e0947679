import { afterEach, describe, expect, it } from 'vitest';
import { buildProbes, runProbes } from '../../src/probes/index';
import { PROBE_NAMES, type Probe, type ProbeName, type ProbeOutcome } from '../../src/probes/types';
import type { ProbeEnv } from '../../src/probes/env';
import { startAwsStandin, startHealthStandin, startStripeStandin, startTwilioStandin, GUIDE_HEALTH_BODY, type Standin } from '../../sandbox/standins/index';
import { NOW, settingsWith } from './helpers';

const started: Standin[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.close()));
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function fakeProbe(name: ProbeName, run: Probe['run']): Probe {
  return { name, run };
}
const okAfter = (name: ProbeName, ms: number): Probe =>
  fakeProbe(name, async () => {
    await sleep(ms);
    return { status: 'ok', summary: `${name} fine`, evidence: {} };
  });

describe('runProbes', () => {
  it('runs probes in parallel', async () => {
    const probes = PROBE_NAMES.map((n) => okAfter(n, 200));
    const t0 = performance.now();
    const results = await runProbes(probes, { timeoutMs: 2000, now: NOW });
    const elapsed = performance.now() - t0;
    expect(results.map((r) => r.status)).toEqual(Array(7).fill('ok'));
    expect(elapsed).toBeLessThan(600); // sequential would be ≥ 1400 ms
    expect(results.map((r) => r.probe)).toEqual([...PROBE_NAMES]);
    for (const r of results) {
      expect(r.durationMs).toBeGreaterThanOrEqual(190);
      expect(new Date(r.checkedAt).toISOString()).toBe(r.checkedAt);
    }
  });

  it('turns a probe that ignores its signal into unknown at the timeout, leaving the others alone', async () => {
    const hanging = fakeProbe('payments', () => new Promise<ProbeOutcome>(() => undefined));
    const t0 = performance.now();
    const results = await runProbes([okAfter('health', 50), hanging, okAfter('alarms', 100)], { timeoutMs: 300, now: NOW });
    const elapsed = performance.now() - t0;
    expect(results.map((r) => [r.probe, r.status])).toEqual([
      ['health', 'ok'],
      ['payments', 'unknown'],
      ['alarms', 'ok'],
    ]);
    expect(results[1]).toMatchObject({ summary: 'timed out after 300 ms', evidence: { reason: 'timeout' } });
    expect(results[1]?.durationMs).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(1300);
  });

  it('aborts the signal it handed to a timed-out probe', async () => {
    let seen: AbortSignal | undefined;
    const probe = fakeProbe('errors', ({ signal }) => {
      seen = signal;
      return new Promise<ProbeOutcome>(() => undefined);
    });
    await runProbes([probe], { timeoutMs: 100, now: NOW });
    expect(seen?.aborted).toBe(true);
  });

  it('never throws: thrown errors, sync throws and invalid results become unknown', async () => {
    const results = await runProbes(
      [
        fakeProbe('health', async () => {
          throw new Error('socket hang up');
        }),
        fakeProbe('alarms', () => {
          throw new TypeError('boom');
        }),
        fakeProbe('errors', async () => ({ status: 'great' }) as unknown as ProbeOutcome),
        fakeProbe('backups', async () => ({ status: 'warn', summary: `line one\nline two <@U123> ${'x'.repeat(300)}`, evidence: { n: 1 } })),
      ],
      { timeoutMs: 1000, now: NOW },
    );
    expect(results.map((r) => r.status)).toEqual(['unknown', 'unknown', 'unknown', 'warn']);
    expect(results[0]?.summary).toBe('health: error: socket hang up');
    expect(results[2]?.summary).toBe('probe returned an invalid result');
    expect(results[3]?.summary.length).toBeLessThan(200);
    expect(results[3]?.summary).not.toMatch(/[\n<>]/);
  });

  it('passes the caller’s clock to every probe', async () => {
    let seenNow: Date | undefined;
    await runProbes([fakeProbe('agents', async ({ now }) => ((seenNow = now), { status: 'ok', summary: 'x', evidence: {} }))], { timeoutMs: 500, now: NOW });
    expect(seenNow).toBe(NOW);
  });
});

describe('buildProbes', () => {
  it('builds all seven probes; with an empty environment all are skipped', async () => {
    const probes = buildProbes({}, settingsWith());
    expect(Object.keys(probes).sort()).toEqual([...PROBE_NAMES].sort());
    for (const [name, p] of Object.entries(probes)) expect(p.name).toBe(name);
    const results = await runProbes(Object.values(probes), { timeoutMs: 1000, now: NOW });
    expect(results.every((r) => r.status === 'skipped')).toBe(true);
    expect(results.find((r) => r.probe === 'payments')?.summary).toBe('not configured: set STRIPE_SECRET_KEY');
  });

  it('runs every probe through its real SDK against the stand-ins, all ok', async () => {
    const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);
    const health = await startHealthStandin({
      body: {
        ...GUIDE_HEALTH_BODY,
        agents: {
          monitor: { last_run: minutesAgo(12).toISOString(), status: 'active' },
          diagnostic: { status: 'active', last_run: minutesAgo(300).toISOString() },
          optimizing: { status: 'active', last_run: minutesAgo(900).toISOString() },
        },
      },
    });
    const backup = (key: string, hoursAgo: number) => ({ key, size: 1000, lastModified: new Date(NOW.getTime() - hoursAgo * 3_600_000), sse: 'AES256' });
    const aws = await startAwsStandin({
      cloudwatch: {
        accessKeyId: 'test',
        alarms: [{ AlarmName: 'drainpro-system-down', StateValue: 'OK' }],
        metrics: [{ Namespace: 'DrainPro', MetricName: 'Errors', Datapoints: [{ Timestamp: minutesAgo(90), Sum: 2 }] }],
      },
      s3: { accessKeyId: 'test', buckets: { backups: [backup('database/a', 30), backup('database/b', 6), backup('files/b', 5.5), backup('config/b', 4.5)] } },
    });
    const stripe = await startStripeStandin({
      apiKey: 'sk_test_e2e',
      charges: [{ id: 'ch_1', status: 'succeeded', created: Math.floor(NOW.getTime() / 1000) - 60 }],
    });
    const twilio = await startTwilioStandin({
      accountSid: 'AC0000000000000000000000000000e2e0',
      authToken: 'tok',
      calls: [{ sid: 'CA1', status: 'completed', startTime: minutesAgo(30) }],
    });
    started.push(health, aws, stripe, twilio);
    const env: ProbeEnv = {
      HEALTH_URL: `${health.url}/api/health`,
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL: aws.url,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      BACKUP_BUCKET: 'backups',
      STRIPE_SECRET_KEY: 'sk_test_e2e',
      STRIPE_API_URL: stripe.url,
      TWILIO_ACCOUNT_SID: 'AC0000000000000000000000000000e2e0',
      TWILIO_AUTH_TOKEN: 'tok',
      TWILIO_API_URL: twilio.url,
    };
    // The wiring is under test here, not the stand-in's speed: a loaded CI box is not a slow API.
    const settings = settingsWith({ health: { responseTargetMs: 60_000 } });
    const results = await runProbes(Object.values(buildProbes(env, settings)), { timeoutMs: settings.timeoutMs, now: NOW });
    expect(Object.fromEntries(results.map((r) => [r.probe, r.status]))).toEqual(Object.fromEntries(PROBE_NAMES.map((n) => [n, 'ok'])));
    const leaked = JSON.stringify(results);
    expect(leaked).not.toContain('sk_test_e2e');
  });
});

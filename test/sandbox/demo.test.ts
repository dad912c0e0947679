import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv } from '../../src/config/env';
import { buildOpsConfig } from '../../src/config/ops-config';
import { buildProbes, runProbes } from '../../src/probes';
import { startDemoSystems, withDemoSystems, type DemoSystems } from '../../sandbox/demo';

let demo: DemoSystems;
beforeAll(async () => {
  demo = await startDemoSystems();
});
afterAll(() => demo.stop());

describe('--demo systems', () => {
  it('answer every probe through the real SDKs, with one firing alarm and one failed backup', async () => {
    const { env, used } = withDemoSystems(loadEnv({}), demo);
    expect(used).toEqual(['health', 'aws', 'stripe', 'twilio', 'openai']);
    const config = buildOpsConfig({});
    const results = await runProbes(Object.values(buildProbes(env, config.probes)), { timeoutMs: 10_000, now: new Date() });
    const by = Object.fromEntries(results.map((r) => [r.probe, r]));
    expect(['ok', 'warn']).toContain(by.health!.status); // warn when a loaded machine answers slower than 200 ms
    expect(by.alarms!.status).toBe('fail');
    expect(by.alarms!.summary).toContain('drainpro-low-forwarding-rate');
    expect(by.backups!.status).toBe('fail');
    expect(by.backups!.summary).toMatch(/files/);
    expect(by.payments!.status).toBe('ok');
    expect(by.errors!.status).toBe('ok');
    expect(by.agents!.status).toBe('ok');
    expect(['ok', 'fail']).toContain(by.forwarding!.status);
    expect(results.every((r) => r.status !== 'unknown' && r.status !== 'skipped')).toBe(true);
  });

  it('never replaces a system whose real credentials are set', () => {
    const { env, used } = withDemoSystems(loadEnv({ STRIPE_SECRET_KEY: 'sk_live_real' }), demo);
    expect(env.STRIPE_SECRET_KEY).toBe('sk_live_real');
    expect(env.STRIPE_API_URL).toBeUndefined();
    expect(used).not.toContain('stripe');
  });
});

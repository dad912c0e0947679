import { afterEach, describe, expect, it } from 'vitest';
import { createHealthProbe, judgeHealth } from '../../src/probes/health';
import { GUIDE_HEALTH_BODY, startHealthStandin, type HealthStandin } from '../../sandbox/standins/health';
import { runDirect, runTimed, settingsWith } from './helpers';

let hs: HealthStandin | undefined;
afterEach(async () => {
  await hs?.close();
  hs = undefined;
});

const env = (url: string) => ({ HEALTH_URL: `${url}/api/health` });

describe('health probe (GET HEALTH_URL)', () => {
  it('is ok for the guide’s expected answer, with uptime, last incident and response time as evidence', async () => {
    hs = await startHealthStandin();
    const out = await runDirect(createHealthProbe(env(hs.url), settingsWith()));
    expect(out.status).toBe('ok');
    expect(out.summary).toMatch(/^healthy, all systems operational, uptime 99\.98%, \d+ ms$/);
    expect(out.evidence).toMatchObject({ uptime: '99.98%', last_incident: 'none', responseMs: expect.any(Number) });
    expect(hs.requests).toHaveLength(1);
    expect(hs.requests[0]).toMatchObject({ method: 'GET', path: '/api/health' });
  });

  it('fails when the system is not healthy or not all systems are operational', async () => {
    hs = await startHealthStandin({ body: { ...GUIDE_HEALTH_BODY, status: 'degraded', last_incident: '2026-11-26T03:10Z' } });
    const degraded = await runDirect(createHealthProbe(env(hs.url), settingsWith()));
    expect(degraded).toMatchObject({ status: 'fail', summary: 'system degraded, systems operational (last incident: 2026-11-26T03:10Z)' });
    hs.setBody({ ...GUIDE_HEALTH_BODY, all_systems: 'partial_outage' });
    const partial = await runDirect(createHealthProbe(env(hs.url), settingsWith()));
    expect(partial).toMatchObject({ status: 'fail', evidence: { all_systems: 'partial_outage' } });
  });

  it('an error names the URL, the variable and what to check, never a bare "fetch failed"', async () => {
    hs = await startHealthStandin();
    hs.setFault({ kind: 'malformed' });
    const malformed = await runDirect(createHealthProbe(env(`${hs.url}`), settingsWith()));
    expect(malformed.summary).toBe(
      `health endpoint (${hs.url}/api/health): malformed response (body is not JSON): check HEALTH_URL: the answer is not what this API sends`,
    );
    const url = hs.url;
    await hs.close();
    hs = undefined;
    const refused = await runDirect(createHealthProbe({ HEALTH_URL: `${url}/api/health?token=abc` }, settingsWith()));
    expect(refused.summary).toBe(`health endpoint (${url}/api/health): cannot connect (ECONNREFUSED): check HEALTH_URL and that the service is up`);
    expect(refused.summary).not.toContain('token=abc');
  });

  it('the target is "< 200 ms": exactly 200 ms warns, 199 ms is ok', () => {
    expect(judgeHealth(GUIDE_HEALTH_BODY, 200, 200).status).toBe('warn');
    expect(judgeHealth(GUIDE_HEALTH_BODY, 199, 200).status).toBe('ok');
  });

  it('warns when healthy but slower than the response target', async () => {
    hs = await startHealthStandin();
    hs.setDelay(120);
    const out = await runDirect(createHealthProbe(env(hs.url), settingsWith({ health: { responseTargetMs: 50 } })));
    expect(out.status).toBe('warn');
    expect(out.summary).toMatch(/^healthy but slow: answered in \d+ ms \(target: under 50 ms\)$/);
    expect(out.evidence.responseMs).toBeGreaterThanOrEqual(100);
  });

  it.each([
    [{ kind: 'status', status: 500 } as const, expect.stringMatching(/^health endpoint \(.+\): HTTP 500 error(?: \(.+\))?: check /)],
    [{ kind: 'status', status: 401 } as const, expect.stringMatching(/^health endpoint \(.+\): credentials rejected \(HTTP 401\)(?: \(.+\))?: check /)],
    [{ kind: 'malformed' } as const, expect.stringMatching(/^health endpoint \(.+\): malformed response(?: \(.+\))?: check /)],
  ])('is unknown on %o', async (fault, summary) => {
    hs = await startHealthStandin();
    hs.setFault(fault);
    const out = await runDirect(createHealthProbe(env(hs.url), settingsWith()));
    expect(out).toMatchObject({ status: 'unknown', summary });
  });

  it('is unknown for JSON without a status field', async () => {
    hs = await startHealthStandin({ body: { ok: true } });
    const out = await runDirect(createHealthProbe(env(hs.url), settingsWith()));
    expect(out).toMatchObject({
      status: 'unknown',
      summary: 'health endpoint: malformed response (no "status" field): check that HEALTH_URL is the system\'s /api/health',
    });
  });

  it('times out against a hanging endpoint, both under runProbes and on its own fetch timeout', async () => {
    hs = await startHealthStandin();
    hs.setFault({ kind: 'hang' });
    const probe = createHealthProbe(env(hs.url), settingsWith({ timeoutMs: 300 }));
    const { result, elapsedMs } = await runTimed(probe, 300);
    expect(result).toMatchObject({ status: 'unknown', summary: 'timed out after 300 ms' });
    expect(elapsedMs).toBeLessThan(1300);
    const started = performance.now();
    const direct = await runDirect(probe); // no outer race: the probe's own timeout must fire
    expect(direct).toMatchObject({ status: 'unknown', summary: expect.stringMatching(/^health endpoint \(.+\): timed out after 300 ms(?: \(.+\))?: check /) });
    expect(performance.now() - started).toBeLessThan(1300);
  });

  it('is skipped without HEALTH_URL', async () => {
    hs = await startHealthStandin();
    const out = await runDirect(createHealthProbe({}, settingsWith()));
    expect(out).toMatchObject({ status: 'skipped', summary: 'not configured: set HEALTH_URL' });
    expect(hs.requests).toHaveLength(0);
  });
});

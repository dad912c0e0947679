import { afterEach, describe, expect, it } from 'vitest';
import { createAgentsProbe } from '../../src/probes/agents';
import { startCloudWatchStandin, type CloudWatchStandin } from '../../sandbox/standins/cloudwatch';
import { GUIDE_HEALTH_BODY, startHealthStandin, type HealthStandin } from '../../sandbox/standins/health';
import { awsEnv, NOW, runDirect, runTimed, settingsWith } from './helpers';

let hs: HealthStandin | undefined;
let cw: CloudWatchStandin | undefined;
afterEach(async () => {
  await hs?.close();
  await cw?.close();
  hs = undefined;
  cw = undefined;
});

const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);
const body = (monitorMinutesAgo: number, states: Partial<Record<'monitor' | 'diagnostic' | 'optimizing', string>> = {}) => ({
  ...GUIDE_HEALTH_BODY,
  agents: {
    monitor: { last_run: minutesAgo(monitorMinutesAgo).toISOString(), status: states.monitor ?? 'active' },
    diagnostic: { last_run: minutesAgo(600).toISOString(), status: states.diagnostic ?? 'active' },
    optimizing: { last_run: minutesAgo(1400).toISOString(), status: states.optimizing ?? 'active' },
  },
});
const env = (url: string) => ({ HEALTH_URL: `${url}/api/health` });

describe('agents probe, health source', () => {
  it('is ok when all agents are active and the monitor ran within the hour', async () => {
    hs = await startHealthStandin({ body: body(20) });
    const out = await runDirect(createAgentsProbe(env(hs.url), settingsWith()));
    expect(out).toMatchObject({ status: 'ok', summary: '3 agents active; monitor ran 20 min ago', evidence: { monitorGapMinutes: 20 } });
  });

  it('fails when the monitor agent has not run for longer than the max gap', async () => {
    hs = await startHealthStandin({ body: body(95) });
    const out = await runDirect(createAgentsProbe(env(hs.url), settingsWith()));
    expect(out).toMatchObject({ status: 'fail', summary: 'monitor agent last ran 95 min ago (max 60)' });
  });

  it('warns for an idle agent and fails for a failed one', async () => {
    hs = await startHealthStandin({ body: body(10, { optimizing: 'idle' }) });
    expect(await runDirect(createAgentsProbe(env(hs.url), settingsWith()))).toMatchObject({ status: 'warn', summary: 'optimizing agent idle' });
    hs.setBody(body(10, { diagnostic: 'failed', optimizing: 'paused' }));
    expect(await runDirect(createAgentsProbe(env(hs.url), settingsWith()))).toMatchObject({
      status: 'fail',
      summary: 'diagnostic agent failed; optimizing agent paused',
    });
  });

  it('is unknown when the health payload has no agents section, on 500 and on a non-JSON body', async () => {
    hs = await startHealthStandin();
    expect(await runDirect(createAgentsProbe(env(hs.url), settingsWith()))).toMatchObject({
      status: 'unknown',
      summary: expect.stringMatching(/^health endpoint \(.+\): malformed response(?: \(.+\))?: check /),
    });
    hs.setFault({ kind: 'status', status: 500 });
    expect(await runDirect(createAgentsProbe(env(hs.url), settingsWith()))).toMatchObject({
      status: 'unknown',
      summary: expect.stringMatching(/^health endpoint \(.+\): HTTP 500 error(?: \(.+\))?: check /),
    });
    hs.setFault({ kind: 'malformed' });
    expect(await runDirect(createAgentsProbe(env(hs.url), settingsWith()))).toMatchObject({
      status: 'unknown',
      summary: expect.stringMatching(/^health endpoint \(.+\): malformed response(?: \(.+\))?: check /),
    });
  });

  it('times out against a hanging health endpoint', async () => {
    hs = await startHealthStandin();
    hs.setFault({ kind: 'hang' });
    const { result, elapsedMs } = await runTimed(createAgentsProbe(env(hs.url), settingsWith({ timeoutMs: 300 })), 300);
    expect(result).toMatchObject({ status: 'unknown', summary: 'timed out after 300 ms', probe: 'agents' });
    expect(elapsedMs).toBeLessThan(1300);
  });

  it('is skipped without HEALTH_URL', async () => {
    hs = await startHealthStandin({ body: body(5) });
    expect(await runDirect(createAgentsProbe({}, settingsWith()))).toMatchObject({ status: 'skipped', summary: 'not configured: set HEALTH_URL' });
    expect(hs.requests).toHaveLength(0);
  });
});

describe('agents probe, CloudWatch source', () => {
  const cwSettings = () => settingsWith({ agents: { source: 'cloudwatch' } });
  const runs = (minutesAgoList: number[]) => [
    {
      Namespace: 'DrainPro/Agents',
      MetricName: 'AgentRuns',
      Dimensions: [{ Name: 'Agent', Value: 'monitor' }],
      Datapoints: minutesAgoList.map((m) => ({ Timestamp: minutesAgo(m), Sum: 1 })),
    },
  ];

  it('is ok when the monitor run metric has a recent datapoint', async () => {
    cw = await startCloudWatchStandin({ metrics: runs([25, 85, 145]) });
    const out = await runDirect(createAgentsProbe(awsEnv(cw.url), cwSettings()));
    expect(out.status).toBe('ok');
    expect(out.evidence.monitorGapMinutes).toBe(20); // end of the 5-minute bucket that started 25 min ago
    expect(JSON.parse(cw.requests[0]?.body ?? '{}')).toMatchObject({ Namespace: 'DrainPro/Agents', Dimensions: [{ Name: 'Agent', Value: 'monitor' }] });
  });

  it('fails when the last recorded run is older than the max gap, or there is none', async () => {
    cw = await startCloudWatchStandin({ metrics: runs([130]) });
    expect(await runDirect(createAgentsProbe(awsEnv(cw.url), cwSettings()))).toMatchObject({
      status: 'fail',
      summary: 'monitor agent last ran 125 min ago (max 60)',
    });
    cw.state.metrics = [];
    expect(await runDirect(createAgentsProbe(awsEnv(cw.url), cwSettings()))).toMatchObject({ status: 'fail', summary: 'monitor agent has no recorded run' });
  });

  it('is skipped without AWS_REGION', async () => {
    cw = await startCloudWatchStandin();
    expect(await runDirect(createAgentsProbe({ AWS_ENDPOINT_URL: cw.url }, cwSettings()))).toMatchObject({ status: 'skipped' });
    expect(cw.requests).toHaveLength(0);
  });
});

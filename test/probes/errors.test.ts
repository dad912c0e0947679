import { afterEach, describe, expect, it } from 'vitest';
import { createErrorsProbe } from '../../src/probes/errors';
import { startCloudWatchStandin, type CloudWatchStandin } from '../../sandbox/standins/cloudwatch';
import { awsEnv, NOW, runDirect, runTimed, runWithoutOuterTimeout, settingsWith } from './helpers';

let cw: CloudWatchStandin | undefined;
afterEach(async () => {
  await cw?.close();
  cw = undefined;
});

const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000);
const errorsMetric = (sums: number[]) => ({
  Namespace: 'DrainPro',
  MetricName: 'Errors',
  Datapoints: sums.map((Sum, i) => ({ Timestamp: hoursAgo(i + 1), Sum })),
});

describe('errors probe (CloudWatch GetMetricStatistics)', () => {
  it('sums the last 24 h and is ok under the threshold', async () => {
    cw = await startCloudWatchStandin({
      metrics: [{ ...errorsMetric([1, 2, 0, 1]), Datapoints: [...errorsMetric([1, 2, 0, 1]).Datapoints, { Timestamp: hoursAgo(30), Sum: 500 }] }],
    });
    const out = await runDirect(createErrorsProbe(awsEnv(cw.url), settingsWith()));
    expect(out).toMatchObject({ status: 'ok', summary: '4 errors in 24 h (limit: under 10)', evidence: { sum: 4, threshold: 10 } });
    const body = JSON.parse(cw.requests[0]?.body ?? '{}') as Record<string, unknown>;
    expect(cw.requests[0]?.headers['x-amz-target']).toBe('GraniteServiceVersion20100801.GetMetricStatistics');
    expect(body).toMatchObject({ Namespace: 'DrainPro', MetricName: 'Errors', Period: 3600, Statistics: ['Sum'] });
    expect(Number(body.EndTime) - Number(body.StartTime)).toBe(86_400);
  });

  it('fails at the threshold and warns close to it', async () => {
    cw = await startCloudWatchStandin({ metrics: [errorsMetric([6, 4])] });
    const failed = await runDirect(createErrorsProbe(awsEnv(cw.url), settingsWith()));
    expect(failed).toMatchObject({ status: 'fail', evidence: { sum: 10 } });
    cw.state.metrics = [errorsMetric([5, 3])];
    const warned = await runDirect(createErrorsProbe(awsEnv(cw.url), settingsWith()));
    expect(warned).toMatchObject({ status: 'warn', evidence: { sum: 8 } });
  });

  it('uses the configured metric and dimensions; no datapoints is ok', async () => {
    cw = await startCloudWatchStandin({
      metrics: [{ Namespace: 'App', MetricName: '5xx', Dimensions: [{ Name: 'Env', Value: 'prod' }], Datapoints: [{ Timestamp: hoursAgo(2), Sum: 50 }] }],
    });
    const settings = settingsWith({ errors: { namespace: 'App', metricName: '5xx', dimensions: [{ Name: 'Env', Value: 'prod' }] } });
    expect(await runDirect(createErrorsProbe(awsEnv(cw.url), settings))).toMatchObject({ status: 'fail', evidence: { sum: 50 } });
    const other = settingsWith({ errors: { namespace: 'App', metricName: '5xx', dimensions: [{ Name: 'Env', Value: 'staging' }] } });
    const empty = await runDirect(createErrorsProbe(awsEnv(cw.url), other));
    expect(empty).toMatchObject({ status: 'ok', evidence: { sum: 0, datapoints: 0 } });
    expect(empty.summary).toMatch(/no errors recorded/);
  });

  it.each([
    [{ kind: 'status', status: 500 } as const, /^CloudWatch \(.+\): HTTP 500 error(?: \(.+\))?: check /],
    [{ kind: 'status', status: 403 } as const, /^CloudWatch \(.+\): credentials rejected \(HTTP 403\)(?: \(.+\))?: check /],
    [{ kind: 'malformed' } as const, /^CloudWatch \(.+\): malformed response(?: \(.+\))?: check /],
  ])('is unknown on %o', async (fault, summary) => {
    cw = await startCloudWatchStandin();
    cw.setFault(fault);
    const out = await runDirect(createErrorsProbe(awsEnv(cw.url), settingsWith()));
    expect(out.status).toBe('unknown');
    expect(out.summary).toMatch(summary);
  });

  it('times out against a hanging CloudWatch', async () => {
    cw = await startCloudWatchStandin();
    cw.setFault({ kind: 'hang' });
    const { result, elapsedMs } = await runTimed(createErrorsProbe(awsEnv(cw.url), settingsWith({ timeoutMs: 300 })), 300);
    expect(result).toMatchObject({ status: 'unknown', summary: 'timed out after 300 ms' });
    expect(elapsedMs).toBeLessThan(1300);
    // Without the outer race the SDK's own request timeout must still end the probe.
    const own = await runWithoutOuterTimeout(createErrorsProbe(awsEnv(cw.url), settingsWith({ timeoutMs: 300 })));
    expect(own.out).toMatchObject({ status: 'unknown', summary: expect.stringMatching(/^CloudWatch \(.+\): timed out after 300 ms(?: \(.+\))?: check /) });
    expect(own.elapsedMs).toBeLessThan(1300);
  });

  it('is skipped when AWS is not configured, with no request', async () => {
    cw = await startCloudWatchStandin();
    const out = await runDirect(createErrorsProbe({ AWS_ENDPOINT_URL: cw.url }, settingsWith()));
    expect(out.status).toBe('skipped');
    expect(cw.requests).toHaveLength(0);
  });
});

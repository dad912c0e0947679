import { afterEach, describe, expect, it } from 'vitest';
import { createAlarmsProbe } from '../../src/probes/alarms';
import { startCloudWatchStandin, type CloudWatchStandin, type StandinAlarm } from '../../sandbox/standins/cloudwatch';
import { awsEnv, expectSummaryClean, runDirect, runTimed, runWithoutOuterTimeout, settingsWith } from './helpers';

let cw: CloudWatchStandin | undefined;
afterEach(async () => {
  await cw?.close();
  cw = undefined;
});

const firing = (name: string, reason = 'Threshold Crossed'): StandinAlarm => ({
  AlarmName: name,
  StateValue: 'ALARM',
  StateReason: reason,
  StateUpdatedTimestamp: new Date('2026-11-26T12:00:00Z'),
});

describe('alarms probe (CloudWatch DescribeAlarms over AWS JSON 1.0)', () => {
  it('is ok when nothing is in ALARM, and speaks the JSON 1.0 protocol', async () => {
    cw = await startCloudWatchStandin({ alarms: [{ AlarmName: 'drainpro-high-errors', StateValue: 'OK' }] });
    const out = await runDirect(createAlarmsProbe(awsEnv(cw.url), settingsWith()));
    expect(out).toMatchObject({ status: 'ok', evidence: { count: 0 } });
    const req = cw.requests[0];
    expect(req?.method).toBe('POST');
    expect(req?.headers['x-amz-target']).toBe('GraniteServiceVersion20100801.DescribeAlarms');
    expect(req?.headers['content-type']).toBe('application/x-amz-json-1.0');
    expect(JSON.parse(req?.body ?? '{}')).toMatchObject({ StateValue: 'ALARM' });
  });

  it('fails naming the firing alarms, following NextToken across pages', async () => {
    cw = await startCloudWatchStandin({
      pageSize: 2,
      alarms: [
        firing('drainpro-high-error-rate'),
        { AlarmName: 'drainpro-cpu', StateValue: 'OK' },
        firing('drainpro-low-forwarding-rate', 'forwarding 80% < 95%'),
        firing('drainpro-high-cpl'),
        firing('drainpro-system-down'),
        firing('drainpro-composite', 'children in alarm'),
      ],
    });
    const out = await runDirect(createAlarmsProbe(awsEnv(cw.url), settingsWith()));
    expect(out.status).toBe('fail');
    expect(out.summary).toMatch(/^5 alarms firing: drainpro-high-error-rate, drainpro-low-forwarding-rate, drainpro-high-cpl and 2 more$/);
    expect(out.evidence.count).toBe(5);
    expect(out.evidence.alarms).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'drainpro-low-forwarding-rate', reason: 'forwarding 80% < 95%' })]),
    );
    expect(cw.operations()).toEqual(['DescribeAlarms', 'DescribeAlarms', 'DescribeAlarms']);
    expect(JSON.parse(cw.requests[1]?.body ?? '{}')).toMatchObject({ NextToken: 'token-2' });
    expectSummaryClean(out.summary);
  });

  it('passes the optional name prefix and caps the evidence list', async () => {
    cw = await startCloudWatchStandin({
      alarms: [firing('prod-a'), firing('prod-b'), firing('prod-c'), firing('staging-x')],
    });
    const out = await runDirect(createAlarmsProbe(awsEnv(cw.url), settingsWith({ alarms: { namePrefix: 'prod-', maxListed: 2 } })));
    expect(out).toMatchObject({ status: 'fail', evidence: { count: 3, truncated: 1 } });
    expect(out.evidence.alarms).toHaveLength(2);
    expect(JSON.parse(cw.requests[0]?.body ?? '{}')).toMatchObject({ AlarmNamePrefix: 'prod-' });
  });

  it('reports unknown on HTTP 500 without SDK retries', async () => {
    cw = await startCloudWatchStandin();
    cw.setFault({ kind: 'status', status: 500 });
    const out = await runDirect(createAlarmsProbe(awsEnv(cw.url), settingsWith()));
    expect(out).toMatchObject({ status: 'unknown', summary: expect.stringMatching(/^CloudWatch \(.+\): HTTP 500 error(?: \(.+\))?: check /) });
    expect(cw.requests).toHaveLength(1);
  });

  it('reports credentials rejected when the access key is not accepted', async () => {
    cw = await startCloudWatchStandin({ accessKeyId: 'AKIDGOOD' });
    const out = await runDirect(createAlarmsProbe(awsEnv(cw.url, { AWS_SECRET_ACCESS_KEY: 'very-secret-value' }), settingsWith()));
    expect(out.status).toBe('unknown');
    expect(out.summary).toMatch(/credentials rejected/);
    expect(JSON.stringify(out)).not.toContain('very-secret-value');
  });

  it('reports a malformed body as unknown', async () => {
    cw = await startCloudWatchStandin();
    cw.setFault({ kind: 'malformed' });
    const out = await runDirect(createAlarmsProbe(awsEnv(cw.url), settingsWith()));
    expect(out.status).toBe('unknown');
    expect(out.summary).toMatch(/^CloudWatch \(.+\): malformed response(?: \(.+\))?: check /);
  });

  it('gives up at the timeout when CloudWatch hangs', async () => {
    cw = await startCloudWatchStandin();
    cw.setFault({ kind: 'hang' });
    const { result, elapsedMs } = await runTimed(createAlarmsProbe(awsEnv(cw.url), settingsWith({ timeoutMs: 300 })), 300);
    expect(result).toMatchObject({ status: 'unknown', summary: 'timed out after 300 ms', probe: 'alarms' });
    expect(elapsedMs).toBeLessThan(1300);
    // Without the outer race the SDK's own request timeout must still end the probe.
    const own = await runWithoutOuterTimeout(createAlarmsProbe(awsEnv(cw.url), settingsWith({ timeoutMs: 300 })));
    expect(own.out).toMatchObject({ status: 'unknown', summary: expect.stringMatching(/^CloudWatch \(.+\): timed out after 300 ms(?: \(.+\))?: check /) });
    expect(own.elapsedMs).toBeLessThan(1300);
    expect(cw.requests).toHaveLength(2); // one per run: no SDK retry after the timeout
  });

  it('is skipped without AWS_REGION and makes no request', async () => {
    cw = await startCloudWatchStandin();
    const out = await runDirect(createAlarmsProbe({ AWS_ENDPOINT_URL: cw.url }, settingsWith()));
    expect(out).toMatchObject({ status: 'skipped', summary: 'not configured: set AWS_REGION' });
    expect(cw.requests).toHaveLength(0);
  });
});

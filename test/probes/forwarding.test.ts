import { afterEach, describe, expect, it } from 'vitest';
import { createForwardingProbe } from '../../src/probes/forwarding';
import { startTwilioStandin, type CallStatus, type StandinCall, type TwilioStandin } from '../../sandbox/standins/twilio';
import { NOW, runDirect, runTimed, runWithoutOuterTimeout, settingsWith } from './helpers';

let tw: TwilioStandin | undefined;
afterEach(async () => {
  await tw?.close();
  tw = undefined;
});

const SID = 'AC00000000000000000000000000000001';
const TOKEN = 'twilio-auth-token-standin-0001';
const env = (url: string, token = TOKEN) => ({ TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: token, TWILIO_API_URL: url });

function calls(counts: Partial<Record<CallStatus, number>>, hoursBack = 1): StandinCall[] {
  let n = 0;
  return Object.entries(counts).flatMap(([status, count]) =>
    Array.from({ length: count ?? 0 }, () => {
      n += 1;
      return { sid: `CA${String(n).padStart(32, '0')}`, status: status as CallStatus, startTime: new Date(NOW.getTime() - hoursBack * 3_600_000 - n * 60_000) };
    }),
  );
}

describe('forwarding probe (Twilio calls.list through a redirecting httpClient)', () => {
  it('is ok above 95%, following next_page_uri across pages and filtering to 24 h', async () => {
    const old = calls({ failed: 30 }, 48).map((c) => ({ ...c, sid: c.sid.replace('CA', 'CB') }));
    tw = await startTwilioStandin({
      accountSid: SID,
      authToken: TOKEN,
      pageSize: 10,
      calls: [...calls({ completed: 24, 'no-answer': 1, 'in-progress': 2 }), ...old],
    });
    const out = await runDirect(createForwardingProbe(env(tw.url), settingsWith()));
    expect(out).toMatchObject({
      status: 'ok',
      evidence: { total: 27, finished: 25, successRate: 0.96, byStatus: { completed: 24, 'no-answer': 1, 'in-progress': 2 } },
    });
    expect(out.summary).toBe('96.0% of 25 calls completed in 24 h (target: over 95.0%)');
    expect(tw.requests).toHaveLength(3);
    expect(tw.requests[0]?.path).toBe(`/2010-04-01/Accounts/${SID}/Calls.json`);
    expect(tw.requests[0]?.query.get('StartTime>')).toBe('2026-11-25T14:00:00Z');
    expect(tw.requests[1]?.query.get('PageToken')).toBeTruthy();
    expect(tw.requests[0]?.headers.authorization).toBe(`Basic ${Buffer.from(`${SID}:${TOKEN}`).toString('base64')}`);
  });

  it('fails under 95%, naming what went wrong', async () => {
    tw = await startTwilioStandin({ accountSid: SID, authToken: TOKEN, calls: calls({ completed: 18, busy: 1, failed: 1 }) });
    const out = await runDirect(createForwardingProbe(env(tw.url), settingsWith()));
    expect(out).toMatchObject({ status: 'fail', evidence: { successRate: 0.9 } });
    expect(out.summary).toBe('90.0% of 20 calls completed in 24 h (target: over 95.0%): 1 busy, 1 failed');
  });

  it('fails at exactly 95.0%: the guide says "> 95 %"', async () => {
    tw = await startTwilioStandin({ accountSid: SID, authToken: TOKEN, calls: calls({ completed: 19, failed: 1 }) });
    const out = await runDirect(createForwardingProbe(env(tw.url), settingsWith()));
    expect(out).toMatchObject({ status: 'fail', evidence: { successRate: 0.95 } });
    expect(out.summary).toBe('95.0% of 20 calls completed in 24 h (target: over 95.0%): 1 failed');
  });

  it('warns when there were no calls in 24 h', async () => {
    tw = await startTwilioStandin({ accountSid: SID, authToken: TOKEN, calls: calls({ completed: 5 }, 30) });
    const out = await runDirect(createForwardingProbe(env(tw.url), settingsWith()));
    expect(out).toMatchObject({ status: 'warn', summary: 'no calls in 24 h', evidence: { total: 0 } });
  });

  it('reports credentials rejected for a wrong auth token, without the token in the result', async () => {
    tw = await startTwilioStandin({ accountSid: SID, authToken: TOKEN, calls: calls({ completed: 5 }) });
    const out = await runDirect(createForwardingProbe(env(tw.url, 'wrong-token-zyx987'), settingsWith()));
    expect(out).toMatchObject({ status: 'unknown', summary: expect.stringMatching(/^Twilio \(.+\): credentials rejected \(HTTP 401\)(?: \(.+\))?: check /) });
    expect(JSON.stringify(out)).not.toContain('wrong-token-zyx987');
  });

  it.each([
    [{ kind: 'status', status: 500 } as const, expect.stringMatching(/^Twilio \(.+\): HTTP 500 error(?: \(.+\))?: check /)],
    [{ kind: 'status', status: 403 } as const, expect.stringMatching(/^Twilio \(.+\): credentials rejected \(HTTP 403\)(?: \(.+\))?: check /)],
    [{ kind: 'malformed' } as const, expect.stringMatching(/^Twilio \(.+\): malformed response(?: \(.+\))?: check /)],
  ])('is unknown on %o', async (fault, summary) => {
    tw = await startTwilioStandin({ accountSid: SID, authToken: TOKEN });
    tw.setFault(fault);
    const out = await runDirect(createForwardingProbe(env(tw.url), settingsWith()));
    expect(out).toMatchObject({ status: 'unknown', summary });
    expect(tw.requests).toHaveLength(1);
  });

  it('times out against a hanging Twilio', async () => {
    tw = await startTwilioStandin({ accountSid: SID, authToken: TOKEN });
    tw.setFault({ kind: 'hang' });
    const { result, elapsedMs } = await runTimed(createForwardingProbe(env(tw.url), settingsWith({ timeoutMs: 300 })), 300);
    expect(result).toMatchObject({ status: 'unknown', summary: 'timed out after 300 ms' });
    expect(elapsedMs).toBeLessThan(1300);
    // Without the outer race the SDK's own request timeout must still end the probe.
    const own = await runWithoutOuterTimeout(createForwardingProbe(env(tw.url), settingsWith({ timeoutMs: 300 })));
    expect(own.out).toMatchObject({ status: 'unknown', summary: expect.stringMatching(/^Twilio \(.+\): timed out after 300 ms(?: \(.+\))?: check /) });
    expect(own.elapsedMs).toBeLessThan(1300);
  });

  it('is skipped without Twilio credentials and makes no request', async () => {
    tw = await startTwilioStandin({ accountSid: SID, authToken: TOKEN });
    const out = await runDirect(createForwardingProbe({ TWILIO_ACCOUNT_SID: SID, TWILIO_API_URL: tw.url }, settingsWith()));
    expect(out).toMatchObject({ status: 'skipped', summary: 'not configured: set TWILIO_AUTH_TOKEN' });
    expect(tw.requests).toHaveLength(0);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { createPaymentsProbe } from '../../src/probes/payments';
import { startStripeStandin, type StandinCharge, type StripeStandin } from '../../sandbox/standins/stripe';
import { NOW, runDirect, runTimed, runWithoutOuterTimeout, settingsWith } from './helpers';

let stripe: StripeStandin | undefined;
afterEach(async () => {
  await stripe?.close();
  stripe = undefined;
});

const KEY = 'sk_test_51DrainProStandinKey0000';
const env = (url: string, key = KEY) => ({ STRIPE_SECRET_KEY: key, STRIPE_API_URL: url });
const nowSec = Math.floor(NOW.getTime() / 1000);

function charges(succeeded: number, failed: number, pending = 0): StandinCharge[] {
  const mk = (status: StandinCharge['status'], n: number, offset: number) =>
    Array.from({ length: n }, (_, i) => ({ id: `ch_${status}_${i}`, status, created: nowSec - 60 * (offset + i + 1) }));
  return [...mk('succeeded', succeeded, 0), ...mk('failed', failed, succeeded), ...mk('pending', pending, succeeded + failed)];
}

describe('payments probe (Stripe charges, disputes, early fraud warnings)', () => {
  it('is ok under 5% failures, auto-paginating with starting_after and only the last 24 h', async () => {
    stripe = await startStripeStandin({
      apiKey: KEY,
      pageSize: 10,
      charges: [...charges(39, 1, 2), { id: 'ch_old_failed', status: 'failed', created: nowSec - 2 * 86_400 }],
    });
    const out = await runDirect(createPaymentsProbe(env(stripe.url), settingsWith()));
    expect(out).toMatchObject({ status: 'ok', evidence: { charges: 42, succeeded: 39, failed: 1, pending: 2, disputes: 0, earlyFraudWarnings: 0 } });
    expect(out.summary).toBe('39/40 payments succeeded (2.5% failed), no disputes or fraud warnings');
    const chargeReqs = stripe.requests.filter((r) => r.path === '/v1/charges');
    expect(chargeReqs).toHaveLength(5);
    expect(chargeReqs[0]?.query.get('created[gte]')).toBe(String(nowSec - 86_400));
    expect(chargeReqs[1]?.query.get('starting_after')).toBe('ch_succeeded_9');
    expect(chargeReqs[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(stripe.requests.map((r) => r.path)).toContain('/v1/radar/early_fraud_warnings');
  });

  it('fails at a 5% fail rate', async () => {
    stripe = await startStripeStandin({ apiKey: KEY, charges: charges(19, 1) });
    const out = await runDirect(createPaymentsProbe(env(stripe.url), settingsWith()));
    expect(out).toMatchObject({ status: 'fail', evidence: { failRate: 0.05 } });
    expect(out.summary).toBe('5.0% of payments failed (1/20, limit: under 5.0%)');
  });

  it('fails on any dispute or early fraud warning', async () => {
    stripe = await startStripeStandin({
      apiKey: KEY,
      charges: charges(10, 0),
      disputes: [
        { id: 'dp_1', created: nowSec - 3600 },
        { id: 'dp_old', created: nowSec - 3 * 86_400 },
      ],
      earlyFraudWarnings: [{ id: 'issfr_1', created: nowSec - 7200 }],
    });
    const out = await runDirect(createPaymentsProbe(env(stripe.url), settingsWith()));
    expect(out).toMatchObject({ status: 'fail', summary: '1 new dispute; 1 early fraud warning', evidence: { disputes: 1, earlyFraudWarnings: 1 } });
  });

  it('is ok with no payments at all', async () => {
    stripe = await startStripeStandin({ apiKey: KEY });
    const out = await runDirect(createPaymentsProbe(env(stripe.url), settingsWith()));
    expect(out).toMatchObject({ status: 'ok', summary: 'no payments in 24 h; no disputes or fraud warnings', evidence: { charges: 0 } });
    expect(stripe.requests).toHaveLength(3);
  });

  it('reports credentials rejected for a wrong key, without the key in the result', async () => {
    stripe = await startStripeStandin({ apiKey: KEY, charges: charges(5, 0) });
    const wrong = 'sk_test_WRONGkeyWRONGkey9876';
    const out = await runDirect(createPaymentsProbe(env(stripe.url, wrong), settingsWith()));
    expect(out).toMatchObject({ status: 'unknown', summary: expect.stringMatching(/^Stripe \(.+\): credentials rejected \(HTTP 401\)(?: \(.+\))?: check /) });
    expect(JSON.stringify(out)).not.toMatch(/WRONGkey|9876/);
    expect(stripe.requests).toHaveLength(1); // no retries, no further lists after the first refusal
  });

  it.each([
    [{ kind: 'status', status: 500 } as const, expect.stringMatching(/^Stripe \(.+\): HTTP 500 error(?: \(.+\))?: check /)],
    [{ kind: 'status', status: 403 } as const, expect.stringMatching(/^Stripe \(.+\): credentials rejected \(HTTP 403\)(?: \(.+\))?: check /)],
    [{ kind: 'malformed' } as const, expect.stringMatching(/^Stripe \(.+\): malformed response(?: \(.+\))?: check /)],
  ])('is unknown on %o', async (fault, summary) => {
    stripe = await startStripeStandin({ apiKey: KEY });
    stripe.setFault(fault);
    const out = await runDirect(createPaymentsProbe(env(stripe.url), settingsWith()));
    expect(out).toMatchObject({ status: 'unknown', summary });
    expect(stripe.requests).toHaveLength(1);
  });

  it('times out against a hanging Stripe', async () => {
    stripe = await startStripeStandin({ apiKey: KEY });
    stripe.setFault({ kind: 'hang' });
    const { result, elapsedMs } = await runTimed(createPaymentsProbe(env(stripe.url), settingsWith({ timeoutMs: 300 })), 300);
    expect(result).toMatchObject({ status: 'unknown', summary: 'timed out after 300 ms' });
    expect(elapsedMs).toBeLessThan(1300);
    // Without the outer race the SDK's own request timeout must still end the probe.
    const own = await runWithoutOuterTimeout(createPaymentsProbe(env(stripe.url), settingsWith({ timeoutMs: 300 })));
    expect(own.out).toMatchObject({ status: 'unknown', summary: expect.stringMatching(/^Stripe \(.+\): timed out after 300 ms(?: \(.+\))?: check /) });
    expect(own.elapsedMs).toBeLessThan(1300);
  });

  it('is skipped without STRIPE_SECRET_KEY and makes no request', async () => {
    stripe = await startStripeStandin({ apiKey: KEY });
    const out = await runDirect(createPaymentsProbe({ STRIPE_API_URL: stripe.url }, settingsWith()));
    expect(out).toMatchObject({ status: 'skipped', summary: 'not configured: set STRIPE_SECRET_KEY' });
    expect(stripe.requests).toHaveLength(0);
  });
});

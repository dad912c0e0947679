import type Stripe from 'stripe';
import { raceAbort } from './abort';
import { missingVars, secretValues, type ProbeEnv } from './env';
import { probeTargets } from './hints';
import { errorOutcome } from './errors-map';
import { outcome, pct, skipped } from './outcome';
import type { ProbeSettings } from './settings';
import { createStripeClient } from './stripe-client';
import type { Probe, ProbeContext, ProbeOutcome } from './types';

interface PaymentCounts {
  charges: number;
  succeeded: number;
  failed: number;
  pending: number;
  disputes: number;
  earlyFraudWarnings: number;
  truncated: boolean;
}

/**
 * Morning checklist item 6 (Stripe, last 24 h): fail rate < 5 %, no chargebacks, no fraud alerts.
 * A day with no charges is `ok` ("no payments in 24 h"): every guide criterion holds vacuously,
 * and quiet days (weekends, holidays) are normal for a local service business.
 */
export function createPaymentsProbe(env: ProbeEnv, settings: ProbeSettings, deps: { client?: Stripe } = {}): Probe {
  const secrets = secretValues(env);
  let client = deps.client;
  return {
    name: 'payments',
    async run(ctx: ProbeContext): Promise<ProbeOutcome> {
      const missing = missingVars(env, ['STRIPE_SECRET_KEY']);
      if (missing.length > 0) return skipped(missing);
      const stripe = (client ??= await createStripeClient(env, settings.timeoutMs));
      const since = { gte: Math.floor(ctx.now.getTime() / 1000) - 86_400 };
      const cap = settings.payments.maxCharges;
      try {
        // Sequential on purpose: a bad key fails on the first call instead of three times at once.
        const charges = await raceAbort(collect(stripe.charges.list({ created: since, limit: 100 }), cap, ctx.signal), ctx.signal);
        const disputes = await raceAbort(collect(stripe.disputes.list({ created: since, limit: 100 }), cap, ctx.signal), ctx.signal);
        const efws = await raceAbort(collect(stripe.radar.earlyFraudWarnings.list({ created: since, limit: 100 }), cap, ctx.signal), ctx.signal);
        const counts: PaymentCounts = {
          charges: charges.items.length,
          succeeded: charges.items.filter((c) => c.status === 'succeeded').length,
          failed: charges.items.filter((c) => c.status === 'failed').length,
          pending: charges.items.filter((c) => c.status === 'pending').length,
          disputes: disputes.items.length,
          earlyFraudWarnings: efws.items.length,
          truncated: charges.truncated,
        };
        return judgePayments(counts, settings);
      } catch (err) {
        return errorOutcome('Stripe', err, secrets, settings.timeoutMs, probeTargets.stripe(env));
      }
    },
  };
}

/** Auto-paginate (the SDK follows `starting_after`) up to `cap` items, stopping early on abort. */
async function collect<T>(list: AsyncIterable<T>, cap: number, signal: AbortSignal): Promise<{ items: T[]; truncated: boolean }> {
  const items: T[] = [];
  for await (const item of list) {
    if (signal.aborted) break;
    if (items.length >= cap) return { items, truncated: true };
    items.push(item);
  }
  return { items, truncated: false };
}

export function judgePayments(c: PaymentCounts, settings: ProbeSettings): ProbeOutcome {
  const { maxFailRate, maxDisputes, maxEarlyFraudWarnings } = settings.payments;
  const settled = c.succeeded + c.failed;
  const failRate = settled > 0 ? c.failed / settled : 0;
  const evidence = { ...c, failRate };
  const problems: string[] = [];
  if (settled > 0 && failRate >= maxFailRate) problems.push(`${pct(failRate)} of payments failed (${c.failed}/${settled}, limit: under ${pct(maxFailRate)})`);
  if (c.disputes > maxDisputes) problems.push(`${c.disputes} new dispute${c.disputes === 1 ? '' : 's'}`);
  if (c.earlyFraudWarnings > maxEarlyFraudWarnings) {
    problems.push(`${c.earlyFraudWarnings} early fraud warning${c.earlyFraudWarnings === 1 ? '' : 's'}`);
  }
  if (problems.length > 0) return outcome('fail', problems.join('; '), evidence);
  if (c.charges === 0) return outcome('ok', 'no payments in 24 h; no disputes or fraud warnings', evidence);
  const capped = c.truncated ? ' (first charges only: cap reached)' : '';
  return outcome('ok', `${c.succeeded}/${settled} payments succeeded (${pct(failRate)} failed), no disputes or fraud warnings${capped}`, evidence);
}

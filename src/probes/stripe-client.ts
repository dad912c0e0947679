import Stripe from 'stripe';
import type { ProbeEnv } from './env';

/** A Stripe client honouring STRIPE_API_URL (tests, proxies) with no SDK retries. */
export function createStripeClient(env: ProbeEnv, timeoutMs: number): Stripe {
  const base = env.STRIPE_API_URL ? new URL(env.STRIPE_API_URL) : undefined;
  const protocol = base?.protocol === 'http:' ? 'http' : 'https';
  return new Stripe(env.STRIPE_SECRET_KEY ?? '', {
    maxNetworkRetries: 0,
    timeout: timeoutMs,
    telemetry: false,
    ...(base
      ? { host: base.hostname, port: base.port || (protocol === 'http' ? 80 : 443), protocol }
      : {}),
  });
}

import type Stripe from 'stripe';
import type { ProbeEnv } from './env';

type StripeSdk = typeof import('stripe');

// Loaded by the first payments check that has a key, once: most starts never need it.
let sdk: Promise<StripeSdk> | undefined;
const loadStripeSdk = (): Promise<StripeSdk> => (sdk ??= import('stripe'));

/** A Stripe client honouring STRIPE_API_URL (tests, proxies) with no SDK retries. */
export async function createStripeClient(env: ProbeEnv, timeoutMs: number): Promise<Stripe> {
  const { default: StripeClient } = await loadStripeSdk();
  const base = env.STRIPE_API_URL ? new URL(env.STRIPE_API_URL) : undefined;
  const protocol = base?.protocol === 'http:' ? 'http' : 'https';
  return new StripeClient(env.STRIPE_SECRET_KEY ?? '', {
    maxNetworkRetries: 0,
    timeout: timeoutMs,
    telemetry: false,
    ...(base ? { host: base.hostname, port: base.port || (protocol === 'http' ? 80 : 443), protocol } : {}),
  });
}

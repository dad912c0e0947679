import type twilio from 'twilio';
import type BaseRequestClient from 'twilio/lib/base/RequestClient.js';
import type { ProbeEnv } from './env.js';

const TWILIO_ORIGIN = /^https:\/\/([a-z0-9-]+\.)*twilio\.com(?::443)?/i;

type Sdk = typeof import('twilio');
type RequestOptions<TData> = BaseRequestClient.RequestOptions<TData>;
type Response<TData> = Awaited<ReturnType<BaseRequestClient['request']>> & { body: TData };

// Loaded by the first forwarding check that has credentials, once: most starts never need it.
let sdk: Promise<Sdk> | undefined;
const loadTwilioSdk = (): Promise<Sdk> => (sdk ??= import('twilio').then((mod) => ((mod as { default?: Sdk }).default ?? mod) as Sdk));

/**
 * The Twilio SDK has no base-URL option: every request (including `next_page_uri` pages,
 * which the SDK makes absolute against https://api.twilio.com) goes through `httpClient`.
 * This subclass of the SDK's RequestClient (made once the SDK is loaded) rewrites the origin to
 * TWILIO_API_URL and caps each request's timeout.
 */
function redirectingRequestClient(Twilio: Sdk, baseUrl: string | undefined, timeoutMs: number): BaseRequestClient {
  class RedirectingRequestClient extends Twilio.RequestClient {
    override request<TData>(opts: RequestOptions<TData>): Promise<Response<TData>> {
      const base = baseUrl?.replace(/\/+$/, '');
      const uri = base ? opts.uri.replace(TWILIO_ORIGIN, base) : opts.uri;
      return super.request<TData>({ ...opts, uri, timeout: Math.min(opts.timeout ?? timeoutMs, timeoutMs) });
    }
  }
  // autoRetry off: the probe reports what it sees instead of backing off on 429s.
  return new RedirectingRequestClient({ timeout: timeoutMs, autoRetry: false, keepAlive: false });
}

export async function createTwilioClient(env: ProbeEnv, timeoutMs: number): Promise<twilio.Twilio> {
  const Twilio = await loadTwilioSdk();
  return Twilio(env.TWILIO_ACCOUNT_SID, env.TWILIO_AUTH_TOKEN, {
    httpClient: redirectingRequestClient(Twilio, env.TWILIO_API_URL, timeoutMs),
    autoRetry: false,
    timeout: timeoutMs,
  });
}

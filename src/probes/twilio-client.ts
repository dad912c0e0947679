import twilio from 'twilio';
import type BaseRequestClient from 'twilio/lib/base/RequestClient.js';
import type { ProbeEnv } from './env';

const TWILIO_ORIGIN = /^https:\/\/([a-z0-9-]+\.)*twilio\.com(?::443)?/i;

type RequestOptions<TData> = BaseRequestClient.RequestOptions<TData>;
type Response<TData> = Awaited<ReturnType<BaseRequestClient['request']>> & { body: TData };

/**
 * The Twilio SDK has no base-URL option: every request (including `next_page_uri` pages,
 * which the SDK makes absolute against https://api.twilio.com) goes through `httpClient`.
 * This subclass rewrites the origin to TWILIO_API_URL and caps each request's timeout.
 */
export class RedirectingRequestClient extends twilio.RequestClient {
  constructor(
    private readonly baseUrl: string | undefined,
    private readonly timeoutMs: number,
  ) {
    // autoRetry off: the probe reports what it sees instead of backing off on 429s.
    super({ timeout: timeoutMs, autoRetry: false, keepAlive: false });
  }

  override request<TData>(opts: RequestOptions<TData>): Promise<Response<TData>> {
    const base = this.baseUrl?.replace(/\/+$/, '');
    const uri = base ? opts.uri.replace(TWILIO_ORIGIN, base) : opts.uri;
    return super.request<TData>({ ...opts, uri, timeout: Math.min(opts.timeout ?? this.timeoutMs, this.timeoutMs) });
  }
}

export function createTwilioClient(env: ProbeEnv, timeoutMs: number): twilio.Twilio {
  return twilio(env.TWILIO_ACCOUNT_SID, env.TWILIO_AUTH_TOKEN, {
    httpClient: new RedirectingRequestClient(env.TWILIO_API_URL, timeoutMs),
    autoRetry: false,
    timeout: timeoutMs,
  });
}

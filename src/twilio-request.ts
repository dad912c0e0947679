import type BaseRequestClient from 'twilio/lib/base/RequestClient.js';

type Sdk = typeof import('twilio');
type RequestOptions<TData> = BaseRequestClient.RequestOptions<TData>;
type Response<TData> = Awaited<ReturnType<BaseRequestClient['request']>> & { body: TData };

const TWILIO_ORIGIN = /^https:\/\/([a-z0-9-]+\.)*twilio\.com(?::443)?/i;

export interface TwilioRequestOptions {
  /** Replaces Twilio's origin (a local stand-in in tests, a proxy in production); unset: Twilio itself. */
  baseUrl: string | undefined;
  /** Each request's timeout, and its cap. */
  timeoutMs: number;
  autoRetry?: boolean;
  keepAlive?: boolean;
}

/**
 * The one Twilio HTTP client of the bot (SMS and the forwarding probe). The SDK has no base-URL
 * option: every request, including `next_page_uri` pages the SDK makes absolute against
 * https://api.twilio.com, goes through `httpClient`, so this subclass rewrites the origin and caps
 * each request's timeout. The SDK is passed in, so callers that load it lazily still can.
 */
export function twilioRequestClient(sdk: Sdk, opts: TwilioRequestOptions): BaseRequestClient {
  const base = opts.baseUrl?.replace(/\/+$/, '');
  class RebasedRequestClient extends sdk.RequestClient {
    override request<TData>(req: RequestOptions<TData>): Promise<Response<TData>> {
      const uri = base ? req.uri.replace(TWILIO_ORIGIN, base) : req.uri;
      return super.request<TData>({ ...req, uri, timeout: Math.min(req.timeout ?? opts.timeoutMs, opts.timeoutMs) });
    }
  }
  return new RebasedRequestClient({
    timeout: opts.timeoutMs,
    ...(opts.autoRetry !== undefined ? { autoRetry: opts.autoRetry } : {}),
    ...(opts.keepAlive !== undefined ? { keepAlive: opts.keepAlive } : {}),
  });
}

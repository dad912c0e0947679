import twilio from 'twilio';
import type { Env } from '../config/env';

export interface SmsSender {
  send(to: string, body: string): Promise<{ sid: string }>;
}

const TWILIO_API = 'https://api.twilio.com';

type RequestOpts<T> = Parameters<InstanceType<typeof twilio.RequestClient>['request']>[0] & { data?: T };

/**
 * The SDK has no base-URL option: this RequestClient rewrites `https://api.twilio.com` to the
 * configured URL (a local stand-in in tests, a proxy in production) and is passed as `httpClient`.
 */
class RebasedRequestClient extends twilio.RequestClient {
  constructor(private readonly base: string) {
    super({ timeout: 10_000 });
  }

  override request<TData>(opts: RequestOpts<TData>) {
    const uri = typeof opts.uri === 'string' && opts.uri.startsWith(TWILIO_API) ? this.base + opts.uri.slice(TWILIO_API.length) : opts.uri;
    return super.request<TData>({ ...opts, uri });
  }
}

/** The SMS sender, or null (with the reason) when Twilio is not configured. */
export function createSmsSender(env: Env): { sender: SmsSender } | { sender: null; why: string } {
  const { TWILIO_ACCOUNT_SID: sid, TWILIO_AUTH_TOKEN: token, TWILIO_FROM_NUMBER: from } = env;
  if (!sid || !token || !from) return { sender: null, why: 'Twilio is not configured (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM_NUMBER)' };
  const base = env.TWILIO_API_URL?.replace(/\/+$/, '');
  const client = twilio(sid, token, base ? { httpClient: new RebasedRequestClient(base) } : {});
  return {
    sender: {
      send: async (to, body) => {
        const msg = await client.messages.create({ to, from, body: body.slice(0, 1500) });
        return { sid: msg.sid };
      },
    },
  };
}

const cache = new WeakMap<Env, ReturnType<typeof createSmsSender>>();

/** One sender per environment object (Deps carries the env, not the client). */
export function smsSenderFor(env: Env): ReturnType<typeof createSmsSender> {
  let s = cache.get(env);
  if (!s) {
    s = createSmsSender(env);
    cache.set(env, s);
  }
  return s;
}

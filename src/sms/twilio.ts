import type { Env } from '../config/env';

export interface SmsSender {
  send(to: string, body: string): Promise<{ sid: string }>;
}

const TWILIO_API = 'https://api.twilio.com';

type Sdk = typeof import('twilio');

/**
 * The SDK has no base-URL option: this RequestClient rewrites `https://api.twilio.com` to the
 * configured URL (a local stand-in in tests, a proxy in production) and is passed as `httpClient`.
 */
function rebasedRequestClient(sdk: Sdk, base: string) {
  type RequestOpts<T> = Parameters<InstanceType<typeof sdk.RequestClient>['request']>[0] & { data?: T };
  class RebasedRequestClient extends sdk.RequestClient {
    override request<TData>(opts: RequestOpts<TData>) {
      const uri = typeof opts.uri === 'string' && opts.uri.startsWith(TWILIO_API) ? base + opts.uri.slice(TWILIO_API.length) : opts.uri;
      return super.request<TData>({ ...opts, uri });
    }
  }
  return new RebasedRequestClient({ timeout: 10_000 });
}

export type SmsSetup = { sender: SmsSender } | { sender: null; why: string };

/** The SMS sender, or null (with the reason) when Twilio is not configured. */
export function createSmsSender(env: Env): SmsSetup {
  const { TWILIO_ACCOUNT_SID: sid, TWILIO_AUTH_TOKEN: token, TWILIO_FROM_NUMBER: from } = env;
  if (!sid || !token || !from) return { sender: null, why: 'Twilio is not configured (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM_NUMBER)' };
  const base = env.TWILIO_API_URL?.replace(/\/+$/, '');
  // The SDK is loaded on first use: it costs ~0.5 s of start-up that most deployments never need.
  let client: Promise<ReturnType<Sdk>> | undefined;
  const getClient = () =>
    (client ??= import('twilio').then((mod) => {
      const sdk = ((mod as { default?: Sdk }).default ?? mod) as Sdk;
      return sdk(sid, token, base ? { httpClient: rebasedRequestClient(sdk, base) } : {});
    }));
  return {
    sender: {
      send: async (to, body) => {
        const msg = await (await getClient()).messages.create({ to, from, body: body.slice(0, 1500) });
        return { sid: msg.sid };
      },
    },
  };
}

const cache = new WeakMap<Env, SmsSetup>();

/** One sender per environment object (Deps carries the env, not the client). */
export function smsSenderFor(env: Env): SmsSetup {
  let s = cache.get(env);
  if (!s) {
    s = createSmsSender(env);
    cache.set(env, s);
  }
  return s;
}

import type { Env } from '../config/env';
import { describeError } from '../errors';
import { twilioRequestClient } from '../twilio-request';

export interface SmsSender {
  send(to: string, body: string): Promise<{ sid: string }>;
}

type Sdk = typeof import('twilio');

/**
 * Twilio's failures as one clear line. The SDK builds its error from the answer's `message` and
 * `code`: an answer without them (a 503 from Twilio's edge, an HTML page, an empty or cut body)
 * gives an error with no message, or a bare JSON SyntaxError.
 */
export function twilioError(err: unknown): Error {
  const e = err as { status?: unknown; code?: unknown; message?: unknown } | null;
  const status = typeof e?.status === 'number' ? e.status : undefined;
  const message = typeof e?.message === 'string' && e.message.trim() !== '' ? e.message : undefined;
  let text: string;
  if (err instanceof SyntaxError) text = 'malformed response (not JSON)';
  else if (status !== undefined)
    text = `HTTP ${status}${typeof e?.code === 'number' ? ` (error ${e.code})` : ''}: ${message ?? 'no error message in the answer'}`;
  else text = message ?? describeError(err);
  return new Error(`Twilio: ${text.slice(0, 300)}`, { cause: err });
}

export type SmsSetup = { sender: SmsSender } | { sender: null; why: string };

/** The SMS sender, or null (with the reason) when Twilio is not configured; built once per bot (`deps.sms`). */
export function createSmsSender(env: Env): SmsSetup {
  const { TWILIO_ACCOUNT_SID: sid, TWILIO_AUTH_TOKEN: token, TWILIO_FROM_NUMBER: from } = env;
  if (!sid || !token || !from) return { sender: null, why: 'Twilio is not configured (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM_NUMBER)' };
  const base = env.TWILIO_API_URL?.replace(/\/+$/, '');
  // The SDK is loaded on first use: it costs ~0.5 s of start-up that most deployments never need.
  let client: Promise<ReturnType<Sdk>> | undefined;
  const getClient = () =>
    (client ??= import('twilio').then((mod) => {
      const sdk = ((mod as { default?: Sdk }).default ?? mod) as Sdk;
      return sdk(sid, token, base ? { httpClient: twilioRequestClient(sdk, { baseUrl: base, timeoutMs: 10_000 }) } : {});
    }));
  return {
    sender: {
      send: async (to, body) => {
        let msg: unknown;
        try {
          msg = await (await getClient()).messages.create({ to, from, body: body.slice(0, 1500) });
        } catch (err) {
          throw twilioError(err);
        }
        // A 2xx that is not a message resource (an empty body, a proxy's page) was not a sent SMS.
        const sid = (msg as { sid?: unknown } | null)?.sid;
        if (typeof sid !== 'string' || sid === '') throw new Error('Twilio: malformed response (no message sid)');
        return { sid };
      },
    },
  };
}

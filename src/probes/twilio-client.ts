import type twilio from 'twilio';
import { twilioRequestClient } from '../twilio-request';
import type { ProbeEnv } from './env';

type Sdk = typeof import('twilio');

// Loaded by the first forwarding check that has credentials, once: most starts never need it.
let sdk: Promise<Sdk> | undefined;
const loadTwilioSdk = (): Promise<Sdk> => (sdk ??= import('twilio').then((mod) => ((mod as { default?: Sdk }).default ?? mod) as Sdk));

export async function createTwilioClient(env: ProbeEnv, timeoutMs: number): Promise<twilio.Twilio> {
  const Twilio = await loadTwilioSdk();
  return Twilio(env.TWILIO_ACCOUNT_SID, env.TWILIO_AUTH_TOKEN, {
    // autoRetry off: the probe reports what it sees instead of backing off on 429s.
    httpClient: twilioRequestClient(Twilio, { baseUrl: env.TWILIO_API_URL, timeoutMs, autoRetry: false, keepAlive: false }),
    autoRetry: false,
    timeout: timeoutMs,
  });
}

import twilio from 'twilio';
import { twilioRequestClient } from '../twilio-request';
import type { ProbeEnv } from './env';

export function createTwilioClient(env: ProbeEnv, timeoutMs: number): twilio.Twilio {
  return twilio(env.TWILIO_ACCOUNT_SID, env.TWILIO_AUTH_TOKEN, {
    // autoRetry off: the probe reports what it sees instead of backing off on 429s.
    httpClient: twilioRequestClient(twilio, { baseUrl: env.TWILIO_API_URL, timeoutMs, autoRetry: false, keepAlive: false }),
    autoRetry: false,
    timeout: timeoutMs,
  });
}

import type { Env } from '../config/env';

/**
 * The --demo hook: local stand-ins of the outside systems (health endpoint, CloudWatch, S3,
 * Stripe, Twilio, OpenAI) with realistic data (one failing backup, one firing alarm), so probes
 * show evidence and the summary can be generated in the sandbox.
 *
 * MERGE HOOK: the stand-ins are being written under test/support/standins/ and move here at
 * merge. Each adds one DemoSystem whose `env` points its SDK at it (HEALTH_URL, AWS_ENDPOINT_URL,
 * STRIPE_API_URL, TWILIO_API_URL, OPENAI_BASE_URL plus dummy credentials). Until then nothing
 * starts and no variable changes.
 */
export interface DemoSystem {
  name: 'health' | 'aws' | 'stripe' | 'twilio' | 'openai';
  /** The variable that says the real system is configured; when set, this stand-in is not used. */
  configuredBy: keyof Env;
  env: Partial<Env>;
}

export interface DemoSystems {
  systems: DemoSystem[];
  stop(): Promise<void>;
}

export async function startDemoSystems(): Promise<DemoSystems> {
  return { systems: [], stop: async () => undefined };
}

/**
 * Points each unconfigured system at its stand-in. A system whose credentials are set keeps them
 * and its real URL whole (a real key must never be sent to a stand-in, nor a stand-in URL mixed
 * with a real key).
 */
export function withDemoSystems(env: Env, demo: DemoSystems): { env: Env; used: string[] } {
  let out: Env = { ...env };
  const used: string[] = [];
  for (const s of demo.systems) {
    if (env[s.configuredBy] !== undefined) continue;
    out = { ...out, ...s.env };
    used.push(s.name);
  }
  return { env: out, used };
}

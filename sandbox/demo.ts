import type { Env } from '../src/config/env';
import { GUIDE_HEALTH_BODY, startAwsStandin, startHealthStandin, startStripeStandin, startTwilioStandin } from './standins';
import { startOpenAiStandin } from './standins/openai';

/**
 * The --demo hook: local stand-ins of the outside systems (health endpoint, CloudWatch, S3,
 * Stripe, Twilio, OpenAI) with realistic data (one failing backup, one firing alarm), so probes
 * show evidence and the summary can be generated in the sandbox.
 *
 * They are the same stand-ins the tests use (sandbox/standins). Each DemoSystem's `env`
 * points its SDK at it (HEALTH_URL, AWS_ENDPOINT_URL, STRIPE_API_URL, TWILIO_API_URL,
 * OPENAI_BASE_URL plus dummy credentials).
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

const DEMO_KEYS = {
  aws: 'demo-access-key',
  stripe: 'sk_test_demo_sandbox',
  twilioSid: 'AC00000000000000000000000000demo01',
  twilioToken: 'demo-twilio-token',
  openai: 'sk-demo-openai',
};

/** Realistic data relative to `now`: healthy system, one firing alarm, one failed backup. */
function demoData(now: Date) {
  const ago = (min: number) => new Date(now.getTime() - min * 60_000);
  const sec = (min: number) => Math.floor(ago(min).getTime() / 1000);
  const backup = (key: string, minAgo: number, size: number, sse?: string) => ({ key, size, lastModified: ago(minAgo), ...(sse ? { sse } : {}) });
  return {
    health: {
      ...GUIDE_HEALTH_BODY,
      agents: {
        monitor: { status: 'active', last_run: ago(12).toISOString() },
        diagnostic: { status: 'active', last_run: ago(190).toISOString() },
        optimizing: { status: 'active', last_run: ago(600).toISOString() },
      },
    },
    alarms: [
      { AlarmName: 'drainpro-high-error-rate', StateValue: 'OK' as const },
      {
        AlarmName: 'drainpro-low-forwarding-rate',
        StateValue: 'ALARM' as const,
        StateReason: 'Threshold Crossed: forwarding rate 93.1% < 95%',
        StateUpdatedTimestamp: ago(47),
      },
      { AlarmName: 'drainpro-high-cpl', StateValue: 'OK' as const },
      { AlarmName: 'drainpro-system-down', StateValue: 'OK' as const },
    ],
    metrics: [
      {
        Namespace: 'DrainPro',
        MetricName: 'Errors',
        Datapoints: [
          { Timestamp: ago(300), Sum: 3 },
          { Timestamp: ago(90), Sum: 2 },
        ],
      },
    ],
    // The files backup has not run for two nights: the evening checklist's backup probe fails.
    objects: [
      backup('database/2026-db-prev.sql.gz', 24 * 60 + 300, 48_200_000, 'AES256'),
      backup('database/2026-db.sql.gz', 300, 48_900_000, 'AES256'),
      backup('files/2026-files-prev.tar.gz', 3 * 24 * 60 + 240, 310_000_000, 'AES256'),
      backup('files/2026-files.tar.gz', 2 * 24 * 60 + 240, 301_000_000, 'AES256'),
      backup('config/2026-config-prev.tgz', 24 * 60 + 180, 120_000, 'aws:kms'),
      backup('config/2026-config.tgz', 180, 121_500, 'aws:kms'),
    ],
    charges: Array.from({ length: 40 }, (_, i) => ({
      id: `ch_demo_${i}`,
      status: (i === 7 ? 'failed' : 'succeeded') as 'failed' | 'succeeded',
      created: sec(20 + i * 30),
      amount: 18_900,
    })),
    calls: Array.from({ length: 60 }, (_, i) => ({
      sid: `CAdemo${String(i).padStart(4, '0')}`,
      status: (i % 25 === 3 ? 'no-answer' : 'completed') as 'no-answer' | 'completed',
      startTime: ago(15 + i * 20),
    })),
  };
}

/** Starts local stand-ins of every outside system, speaking each API's real wire format. */
export async function startDemoSystems(now: () => Date = () => new Date()): Promise<DemoSystems> {
  const data = demoData(now());
  const health = await startHealthStandin({ body: data.health });
  const aws = await startAwsStandin({
    cloudwatch: { alarms: data.alarms, metrics: data.metrics },
    s3: { buckets: { 'drainpro-backups': data.objects } },
  });
  const stripe = await startStripeStandin({ apiKey: DEMO_KEYS.stripe, charges: data.charges });
  const twilio = await startTwilioStandin({ accountSid: DEMO_KEYS.twilioSid, authToken: DEMO_KEYS.twilioToken, calls: data.calls });
  const openai = await startOpenAiStandin(DEMO_KEYS.openai);
  // Prose without figures: the numbers in the summary come from the facts, never the model.
  openai.answer({
    kind: 'json',
    value: {
      executiveSummary: 'A steady week in the sandbox: checklists ran on schedule and the team signed them off.',
      wins: ['Checklists were signed off by the owners'],
      challenges: ['A backup and a forwarding alarm need attention'],
      planNextWeek: ['Follow up the open problems from the checklists'],
    },
  });
  const systems: DemoSystem[] = [
    { name: 'health', configuredBy: 'HEALTH_URL', env: { HEALTH_URL: `${health.url}/api/health` } },
    {
      name: 'aws',
      configuredBy: 'AWS_REGION',
      env: {
        AWS_REGION: 'us-east-1',
        AWS_ENDPOINT_URL: aws.url,
        AWS_ACCESS_KEY_ID: DEMO_KEYS.aws,
        AWS_SECRET_ACCESS_KEY: DEMO_KEYS.aws,
        BACKUP_BUCKET: 'drainpro-backups',
      },
    },
    { name: 'stripe', configuredBy: 'STRIPE_SECRET_KEY', env: { STRIPE_SECRET_KEY: DEMO_KEYS.stripe, STRIPE_API_URL: stripe.url } },
    {
      name: 'twilio',
      configuredBy: 'TWILIO_ACCOUNT_SID',
      env: { TWILIO_ACCOUNT_SID: DEMO_KEYS.twilioSid, TWILIO_AUTH_TOKEN: DEMO_KEYS.twilioToken, TWILIO_API_URL: twilio.url },
    },
    { name: 'openai', configuredBy: 'OPENAI_API_KEY', env: { OPENAI_API_KEY: DEMO_KEYS.openai, OPENAI_BASE_URL: openai.baseUrl } },
  ];
  return {
    systems,
    stop: async () => {
      await Promise.all([health, aws, stripe, twilio, openai].map((s) => s.close()));
    },
  };
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

import { z } from 'zod';

/** A URL that must end with a slash so relative API paths resolve under it. */
const baseUrl = z.url().transform((u) => (u.endsWith('/') ? u : `${u}/`));

const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

/** A port number written in decimal digits, `min`–65535. */
const decimalPort = (min: number) =>
  z
    .string()
    .regex(/^\d{1,5}$/, `must be a decimal port number (${min}-65535)`)
    .transform(Number)
    .refine((n) => n >= min && n <= 65535, `must be a decimal port number (${min}-65535)`);

export const envSchema = z
  .object({
    NODE_ENV: optional(z.enum(['development', 'production', 'test'])),
    LOG_LEVEL: optional(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])),
    SLACK_BOT_TOKEN: optional(z.string().regex(/^xoxb-/, 'must start with xoxb-')),
    SLACK_SIGNING_SECRET: optional(z.string().min(8, 'looks too short to be a signing secret')),
    SLACK_APP_TOKEN: optional(z.string().regex(/^xapp-/, 'must start with xapp-')),
    SLACK_API_URL: optional(baseUrl),
    // Decimal digits only: Number() would take 0x1F90 as 8080 and 1e3 as 1000.
    PORT: optional(decimalPort(1)),
    /** Serves /metrics and /healthz on their own port (and then not /metrics on PORT); 0 picks a free one. */
    METRICS_PORT: optional(decimalPort(0)),
    /** /metrics answers only `Authorization: Bearer <token>`. */
    METRICS_TOKEN: optional(
      z
        .string()
        .min(16, 'must be at least 16 characters')
        .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces'),
    ),
    // The messages never echo the value: it holds the password.
    DATABASE_URL: optional(
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
        .refine((u) => URL.canParse(u), 'is not a valid URL (a password with @, : or / must be percent-encoded)'),
    ),
    /** Dead-man's switch (healthchecks.io style): GET every minute while healthy, `<url>/fail` when a job keeps failing. */
    HEARTBEAT_URL: optional(z.url()),
    DATA_DIR: optional(z.string().min(1)),
    OPS_CONFIG: optional(z.string().min(1)),
    HEALTH_URL: optional(z.url()),
    AWS_REGION: optional(z.string().min(1)),
    AWS_ENDPOINT_URL: optional(z.url()),
    AWS_ACCESS_KEY_ID: optional(z.string().min(1)),
    AWS_SECRET_ACCESS_KEY: optional(z.string().min(1)),
    BACKUP_BUCKET: optional(z.string().min(1)),
    STRIPE_SECRET_KEY: optional(z.string().min(1)),
    STRIPE_API_URL: optional(z.url()),
    TWILIO_ACCOUNT_SID: optional(z.string().min(1)),
    TWILIO_AUTH_TOKEN: optional(z.string().min(1)),
    TWILIO_API_URL: optional(z.url()),
    TWILIO_FROM_NUMBER: optional(z.string().min(1)),
    OPENAI_API_KEY: optional(z.string().min(1)),
    OPENAI_BASE_URL: optional(z.url()),
    OPENAI_MODEL: optional(z.string().min(1)),
  })
  .superRefine((env, ctx) => {
    if (env.SLACK_BOT_TOKEN && !env.SLACK_APP_TOKEN && !env.SLACK_SIGNING_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['SLACK_SIGNING_SECRET'],
        message: 'is required in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)',
      });
    }
    if (env.METRICS_PORT !== undefined && env.METRICS_PORT !== 0 && env.METRICS_PORT === (env.PORT ?? 3000)) {
      ctx.addIssue({ code: 'custom', path: ['METRICS_PORT'], message: 'must differ from PORT (leave it unset to serve /metrics on PORT)' });
    }
    if ((env.SLACK_APP_TOKEN || env.SLACK_SIGNING_SECRET) && !env.SLACK_BOT_TOKEN) {
      ctx.addIssue({ code: 'custom', path: ['SLACK_BOT_TOKEN'], message: 'is required when other Slack credentials are set' });
    }
  });

export type Env = z.infer<typeof envSchema>;

/** Names of variables whose values must never appear in logs or messages. */
export const SECRET_VARS = [
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'DATABASE_URL',
  'AWS_SECRET_ACCESS_KEY',
  'STRIPE_SECRET_KEY',
  'TWILIO_AUTH_TOKEN',
  'OPENAI_API_KEY',
  'METRICS_TOKEN',
  // A ping URL usually carries the check's token: whoever has it can silence the alarm.
  'HEARTBEAT_URL',
] as const satisfies readonly (keyof Env)[];

export class ConfigError extends Error {
  readonly code = 'drainpro_config_error';
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Formats zod issues as "NAME: message" lines, never echoing the value (it may be a secret). */
export function formatIssues(issues: readonly z.core.$ZodIssue[], prefix = ''): string {
  return issues.map((i) => `  ${prefix}${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('\n');
}

/** Parses the environment once; the only place in the bot that reads process.env. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(`Invalid environment:\n${formatIssues(parsed.error.issues)}`);
  }
  return parsed.data;
}

export type SlackMode = 'http' | 'socket' | 'none';

export function slackMode(env: Env): SlackMode {
  if (env.SLACK_BOT_TOKEN && env.SLACK_APP_TOKEN) return 'socket';
  if (env.SLACK_BOT_TOKEN && env.SLACK_SIGNING_SECRET) return 'http';
  return 'none';
}

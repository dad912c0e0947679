import { pino, type Logger as PinoLogger, type DestinationStream } from 'pino';
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';

export type Logger = PinoLogger;

const TOKEN_PATTERNS = [
  /xox[abposr]-[A-Za-z0-9-]+/g, // Slack tokens
  /xapp-[A-Za-z0-9-]+/g,
  /\b(sk|rk)_(live|test)_[A-Za-z0-9]+/g, // Stripe keys
  /postgres(ql)?:\/\/[^\s'"]*@/g, // connection strings with credentials
];

/** Replaces known secret values and anything shaped like a token with [redacted]. */
export function makeScrubber(secrets: readonly (string | undefined)[]) {
  const values = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 6);
  return (text: string): string => {
    let out = text;
    for (const v of values) out = out.split(v).join('[redacted]');
    for (const p of TOKEN_PATTERNS) out = out.replace(p, '[redacted]');
    return out;
  };
}

export interface LoggerOptions {
  level?: string;
  secrets?: readonly (string | undefined)[];
  destination?: DestinationStream;
}

/**
 * Structured JSON logger. Every line passes through a scrubber, so a secret that slips into an
 * error message or a Slack API error body never reaches the log.
 */
export function createLogger(opts: LoggerOptions = {}): Logger {
  const scrub = makeScrubber(opts.secrets ?? []);
  // Synchronous, as pino's default: nothing is left to flush at exit. sonic-boom 4's exit flush of
  // an asynchronous stdout retries a broken pipe forever (the reader of `npm start | pino-pretty`
  // gone after Ctrl-C), so the bot could never exit; a synchronous write sees EPIPE and stops logging.
  const dest: DestinationStream = opts.destination ?? pino.destination({ dest: 1, sync: true });
  const scrubbing: DestinationStream = { write: (line: string) => dest.write(scrub(line)) };
  return pino(
    {
      level: opts.level ?? 'info',
      base: { app: 'drainpro-ops' },
      redact: { paths: ['token', '*.token', 'headers.authorization', '*.headers.authorization', 'signingSecret'], censor: '[redacted]' },
    },
    scrubbing,
  );
}

const boltLevels: Record<string, LogLevel> = {
  trace: LogLevel.DEBUG,
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
  error: LogLevel.ERROR,
  fatal: LogLevel.ERROR,
  silent: LogLevel.ERROR,
};

/** Adapts pino to the logger interface Bolt and the Web API client expect. */
export function toBoltLogger(logger: Logger): BoltLogger {
  const child = logger.child({ component: 'slack' });
  const join = (msg: unknown[]) => msg.map((m) => (m instanceof Error ? m.message : typeof m === 'string' ? m : JSON.stringify(m))).join(' ');
  return {
    debug: (...msg) => child.debug(join(msg)),
    info: (...msg) => child.info(join(msg)),
    warn: (...msg) => child.warn(join(msg)),
    error: (...msg) => child.error(join(msg)),
    setLevel: () => undefined,
    getLevel: () => boltLevels[logger.level] ?? LogLevel.INFO,
    setName: () => undefined,
  };
}

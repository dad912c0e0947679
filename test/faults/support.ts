import { execFileSync, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { RunningBot } from '../../src/bot';
import { loadEnv, type Env } from '../../src/config/env';
import type { OpsConfig } from '../../src/config/ops-config';
import type { Database } from '../../src/db';
import type { Clock } from '../../src/deps';
import type { Probe, ProbeName } from '../../src/probes';
import { openTestDatabase } from '../support/db';
import { postSlash, startLocalBot } from '../support/harness';
import { SlackWorkspace } from '../../sandbox/slack-workspace';
import { blockAction } from '../../sandbox/payloads';
import { BOT_TOKEN, postSigned, SIGNING_SECRET, type SendOptions } from '../support/slack-requests';

/** Secrets the fault suite gives the bot, so the log grep has something real to look for. */
export const FAULT_SECRETS = {
  STRIPE_SECRET_KEY: 'sk_test_faultsuiteStripeSecret0123456789',
  TWILIO_ACCOUNT_SID: 'AC0123456789abcdef0123456789abcdef',
  TWILIO_AUTH_TOKEN: 'twilio-auth-token-fault-suite-0123456789',
  AWS_SECRET_ACCESS_KEY: 'aws-secret-fault-suite-0123456789abcdef',
} as const;

export const ALL_SECRETS = [BOT_TOKEN, SIGNING_SECRET, ...Object.values(FAULT_SECRETS)];

/** Greps captured log lines for every secret value (and for the signing key's HMAC input form). */
export function expectNoSecrets(logs: readonly string[]): void {
  const text = logs.join('\n');
  for (const s of ALL_SECRETS) expect(text.includes(s), `a log line contains ${s.slice(0, 6)}…`).toBe(false);
  expect(text).not.toMatch(/xox[abposr]-[A-Za-z0-9-]{6,}/);
}

export interface FaultBot {
  bot: RunningBot;
  slack: SlackWorkspace;
  database: Database;
  config: OpsConfig;
  env: Env;
  logs: string[];
  slash(text: string, o?: { userId?: string; triggerId?: string; responseId?: string; send?: SendOptions }): ReturnType<typeof postSigned>;
  click(
    input: { actionId: string; value: string; channelId: string; messageTs: string; userId?: string; actionTs?: string },
    send?: SendOptions,
  ): ReturnType<typeof postSigned>;
  close(): Promise<void>;
}

export interface FaultBotOptions {
  config?: unknown;
  /** An open database; by default a per-file test database (destroyed on close). */
  database?: Database;
  probes?: Partial<Record<ProbeName, Probe>>;
  clock?: Clock;
  jobs?: boolean;
  slackTimeoutMs?: number;
  env?: Record<string, string>;
  /** Called with the Slack stand-in before the bot starts (e.g. to make auth.test fail). */
  beforeStart?: (slack: SlackWorkspace) => void;
}

/** Like test/support/harness's startTestBot, plus injected probes, any database and a short Slack timeout. */
export async function startFaultBot(opts: FaultBotOptions = {}): Promise<FaultBot> {
  const slack = await new SlackWorkspace(BOT_TOKEN).start();
  opts.beforeStart?.(slack);
  const own = opts.database ? undefined : await openTestDatabase();
  const database = opts.database ?? own!;
  const env = loadEnv({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.apiUrl, ...FAULT_SECRETS, ...opts.env });
  const { bot, config, logs } = await startLocalBot(env, opts.config, database, {
    slackTimeoutMs: opts.slackTimeoutMs ?? 2000,
    jobs: opts.jobs ?? false,
    ...(opts.probes ? { probes: opts.probes } : {}),
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  return {
    bot,
    slack,
    database,
    config,
    env,
    logs,
    slash: (text, o = {}) => postSlash(bot.url, slack, { command: '/ops', text, ...o }),
    click: (input, send) => postSigned(bot.url, blockAction({ ...input, responseUrl: slack.responseUrl(randomUUID()) }), send),
    close: async () => {
      await bot.stop();
      await bot.deps.refreshes.checklists.idle();
      await slack.close();
      if (own) await own.destroy();
    },
  };
}

/** Probes that answer `ok` after `ms` (no network): checklist tests without outside systems. */
export function fakeProbes(ms = 0, status: 'ok' | 'warn' = 'ok'): Record<ProbeName, Probe> {
  const names: ProbeName[] = ['health', 'alarms', 'errors', 'backups', 'payments', 'forwarding', 'agents'];
  return Object.fromEntries(
    names.map((name) => [
      name,
      {
        name,
        run: async ({ signal }) => {
          await new Promise<void>((resolve) => {
            const t = setTimeout(resolve, ms);
            signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
          });
          return { status, summary: `${name} fine`, evidence: {} };
        },
      } satisfies Probe,
    ]),
  ) as Record<ProbeName, Probe>;
}

export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

export const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

/** Why a throwaway PostgreSQL cannot be started here, or null when it can. */
export function throwawayPostgresUnavailable(): string | null {
  if (!existsSync(join(PG_BIN, 'initdb'))) return `PostgreSQL server binaries not found in ${PG_BIN} (set PG_BIN)`;
  if (process.getuid?.() === 0 && spawnSync('id', ['postgres']).status !== 0) return 'running as root and there is no `postgres` user to run the server as';
  return null;
}

export interface ThrowawayPostgres {
  url: string;
  start(): void;
  /** `pg_ctl -m fast stop`: connections are cut, new ones refused until start(). */
  stop(): void;
  destroy(): void;
}

/**
 * Our own PostgreSQL in a temp dir on a free port, started exactly like .ci/run does (as the
 * `postgres` user when we are root), so the "database goes away" case can stop it and start it
 * again without touching the shared server.
 */
export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'drainpro-faultpg-'));
  chmodSync(dir, 0o777);
  const port = await freePort();
  const asRoot = process.getuid?.() === 0;
  const sh = (cmd: string) => {
    if (asRoot) execFileSync('su', ['postgres', '-s', '/bin/sh', '-c', cmd], { stdio: 'pipe' });
    else execFileSync('/bin/sh', ['-c', cmd], { stdio: 'pipe' });
  };
  sh(`${PG_BIN}/initdb -D ${dir}/data -U postgres --auth=trust -E UTF8 >/dev/null`);
  const start = () =>
    sh(`${PG_BIN}/pg_ctl -D ${dir}/data -l ${dir}/log -o '-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off' -w start >/dev/null`);
  start();
  let running = true;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start: () => {
      start();
      running = true;
    },
    stop: () => {
      sh(`${PG_BIN}/pg_ctl -D ${dir}/data -m fast -w stop >/dev/null`);
      running = false;
    },
    destroy: () => {
      try {
        if (running) sh(`${PG_BIN}/pg_ctl -D ${dir}/data -m immediate -w stop >/dev/null`);
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

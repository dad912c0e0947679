import { randomUUID } from 'node:crypto';
import { startBot, type BotOptions, type RunningBot } from '../../src/bot';
import { loadEnv, SECRET_VARS, type Env } from '../../src/config/env';
import { buildOpsConfig, type OpsConfig } from '../../src/config/ops-config';
import type { Database } from '../../src/db';
import type { Clock } from '../../src/deps';
import { createLogger } from '../../src/logger';
import { openTestDatabase, type TestDatabase } from './db';
import { SlackWorkspace } from '../../sandbox/slack-workspace';
import { blockAction, slashCommand, viewSubmission, type ViewInput } from '../../sandbox/payloads';
import { BOT_TOKEN, postSigned, SIGNING_SECRET, type SendOptions } from './slack-requests';

/** A clock tests move by hand: escalation and schedule tests never sleep. */
export class FakeClock implements Clock {
  constructor(private at: Date = new Date('2026-03-02T14:00:00Z')) {}
  now(): Date {
    return new Date(this.at);
  }
  set(at: Date | string): void {
    this.at = new Date(at);
  }
  advance(ms: number): void {
    this.at = new Date(this.at.getTime() + ms);
  }
}

export interface TestBotOptions {
  config?: unknown;
  env?: Record<string, string>;
  clock?: Clock;
  database?: TestDatabase;
  /** Run the periodic jobs on real timers (default false: tests call job bodies themselves). */
  jobs?: boolean;
  afterAck?: BotOptions['afterAck'];
  /** Stand-ins for the bot's services (SMS, LLM, permalinks, queues, Home); the rest are built from the env. */
  services?: BotOptions['services'];
  /** Runs on the Slack stand-in before the bot starts (e.g. to offer Socket Mode). */
  beforeStart?: (slack: SlackWorkspace) => void | Promise<void>;
}

export interface TestBot {
  bot: RunningBot;
  slack: SlackWorkspace;
  database: TestDatabase;
  config: OpsConfig;
  env: Env;
  logs: string[];
  slash(command: string, text: string, opts?: { userId?: string; triggerId?: string; send?: SendOptions }): Promise<Awaited<ReturnType<typeof postSigned>>>;
  click(
    input: { actionId: string; value: string; channelId: string; messageTs: string; userId?: string; actionTs?: string },
    send?: SendOptions,
  ): Promise<Awaited<ReturnType<typeof postSigned>>>;
  submitView(input: ViewInput, send?: SendOptions): Promise<Awaited<ReturnType<typeof postSigned>>>;
  /** Waits for the work a listener does after its ack (message updates). */
  settle(): Promise<void>;
  close(opts?: { keepDatabase?: boolean }): Promise<void>;
}

/**
 * The bot on a free local port, without Web API retries, its log lines (debug and up, secrets
 * masked) kept in `logs`; `more` adds the caller's own bot options.
 */
export async function startLocalBot(env: Env, rawConfig: unknown, database: Database, more: Partial<BotOptions> = {}) {
  const config = buildOpsConfig(rawConfig ?? {});
  const logs: string[] = [];
  const logger = createLogger({ level: 'debug', secrets: SECRET_VARS.map((k) => env[k]), destination: { write: (l: string) => void logs.push(l) } });
  const bot = await startBot({ env, config, logger, database, port: 0, host: '127.0.0.1', slackRetryConfig: { retries: 0 }, ...more });
  return { bot, config, logs };
}

/** A signed slash command to the bot; its response_url is one of the Slack stand-in's (`responseId`, or a new one). */
export function postSlash(
  botUrl: string,
  slack: SlackWorkspace,
  o: { command: string; text: string; userId?: string; triggerId?: string; responseId?: string; send?: SendOptions },
) {
  return postSigned(
    botUrl,
    slashCommand({
      command: o.command,
      text: o.text,
      responseUrl: slack.responseUrl(o.responseId ?? randomUUID()),
      ...(o.userId ? { userId: o.userId } : {}),
      ...(o.triggerId ? { triggerId: o.triggerId } : {}),
    }),
    o.send,
  );
}

/**
 * The real bot (our receiver, Bolt, listeners, database) on a free port, talking to a local Slack
 * stand-in through the real Web API client.
 */
export async function startTestBot(opts: TestBotOptions = {}): Promise<TestBot> {
  const slack = await new SlackWorkspace(BOT_TOKEN).start();
  await opts.beforeStart?.(slack);
  const database = opts.database ?? (await openTestDatabase());
  const env = loadEnv({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    ...opts.env,
  });
  const { bot, config, logs } = await startLocalBot(env, opts.config, database, {
    jobs: opts.jobs ?? false,
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.afterAck ? { afterAck: opts.afterAck } : {}),
    ...(opts.services ? { services: opts.services } : {}),
  });
  return {
    bot,
    slack,
    database,
    config,
    env,
    logs,
    slash: (command, text, o = {}) => postSlash(bot.url, slack, { command, text, ...o }),
    click: (input, send) => postSigned(bot.url, blockAction({ ...input, responseUrl: slack.responseUrl(randomUUID()) }), send),
    submitView: (input, send) => postSigned(bot.url, viewSubmission(input), send),
    settle: () => bot.idle(),
    close: async (o = {}) => {
      await bot.stop();
      await slack.close();
      if (!o.keepDatabase) await database.destroy();
    },
  };
}

import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { startBot, type RunningBot } from '../src/bot';
import type { Env } from '../src/config/env';
import type { OpsConfig } from '../src/config/ops-config';
import { openDatabase, type Database } from '../src/db';
import { newRefreshQueues } from '../src/services';
import type { Deps } from '../src/deps';
import type { Logger } from '../src/logger';
import { startDemoSystems, withDemoSystems } from './demo';
import { sandboxRoutes } from './server';
import { SlackWorkspace } from './slack-workspace';
import { withDemoUsers } from './users';

/** The slash commands the Slack app declares, so the sandbox accepts exactly those. */
export function manifestCommands(path = new URL('../manifest.yml', import.meta.url)): string[] | undefined {
  try {
    const manifest = parseYaml(readFileSync(path, 'utf8')) as { features?: { slash_commands?: { command?: unknown }[] } };
    const commands = (manifest.features?.slash_commands ?? []).map((c) => c.command).filter((c): c is string => typeof c === 'string');
    return commands.length ? commands : undefined;
  } catch {
    return undefined; // the workspace's defaults are the same two commands
  }
}

export interface SandboxOptions {
  env: Env;
  config: OpsConfig;
  logger: Logger;
  port: number;
  /** Default 127.0.0.1: the page lets anyone who reaches it act as anyone, so it stays local. */
  host?: string;
  /** The sandbox keeps its embedded database in `<dataDir>/sandbox`, apart from real data. */
  dataDir: string;
  /** Run local stand-ins of the outside systems that have no credentials (default true). */
  demo?: boolean;
  /** Tests pass their own migrated database. */
  database?: Database;
  jobs?: boolean;
}

export interface RunningSandbox {
  bot: RunningBot;
  workspace: SlackWorkspace;
  database: Database;
  /** Systems answered by local stand-ins (empty with `demo: false` or when every system has credentials). */
  demoSystems: string[];
  stop(): Promise<void>;
}

/**
 * The bot against a local workspace instead of Slack: fresh credentials made up in-process, the
 * Web API answered by the workspace (its own loopback port, because Bolt calls auth.test while
 * the bot is being built, before the bot's port listens), and the page served by the bot.
 */
export async function startSandbox(opts: SandboxOptions): Promise<RunningSandbox> {
  const token = `xoxb-sandbox-${randomBytes(12).toString('hex')}`;
  const signingSecret = randomBytes(24).toString('hex');
  const commands = manifestCommands();
  const workspace = await new SlackWorkspace(token, commands ? { commands } : {}).start();
  const demo = opts.demo === false ? undefined : await startDemoSystems();
  const { env: base, used } = demo ? withDemoSystems(opts.env, demo) : { env: opts.env, used: [] };
  const env: Env = {
    ...base,
    SLACK_BOT_TOKEN: token,
    SLACK_SIGNING_SECRET: signingSecret,
    SLACK_API_URL: workspace.apiUrl,
    SLACK_APP_TOKEN: undefined,
    DATABASE_URL: undefined,
  };
  const config = withDemoUsers(opts.config);
  for (const name of new Set(Object.values(config.channels))) workspace.addChannel(name, true);

  // Never DATABASE_URL: a reset truncates every table, which must only ever hit sandbox data.
  const database = opts.database ?? (await openDatabase({ dataDir: join(opts.dataDir, 'sandbox') }));
  try {
    if (!opts.database) await database.migrate();
    // The sandbox page's "settle" waits on the bot's checklist re-renders: made here, passed in.
    let started: Deps | undefined;
    const refreshes = newRefreshQueues(() => started!);
    const bot = await startBot({
      env,
      config,
      logger: opts.logger,
      database,
      port: opts.port,
      host: opts.host ?? '127.0.0.1',
      // The workspace is local: a failure is a bug to see now, not a reason to retry for minutes.
      slackRetryConfig: { retries: 1, minTimeout: 100, maxTimeout: 200 },
      routes: sandboxRoutes({ workspace, database, logger: opts.logger, idle: () => refreshes.checklists.idle() }),
      services: { refreshes },
      ...(opts.jobs === false ? { jobs: false } : {}),
    });
    started = bot.deps;
    workspace.connect({ url: bot.url, signingSecret });
    return {
      bot,
      workspace,
      database,
      demoSystems: used,
      stop: async () => {
        await bot.stop();
        await workspace.close();
        await demo?.stop();
        if (!opts.database) await database.close();
      },
    };
  } catch (err) {
    await workspace.close();
    await demo?.stop();
    if (!opts.database) await database.close();
    throw err;
  }
}

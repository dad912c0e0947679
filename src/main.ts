import { ConfigError, loadEnv, SECRET_VARS, slackMode } from './config/env';
import { loadOpsConfig } from './config/ops-config';
import { openDatabase } from './db';
import { createLogger } from './logger';
import { startBot } from './bot';

const NO_CREDENTIALS = `DrainPro Ops needs Slack credentials to start.
Set SLACK_BOT_TOKEN (xoxb-…) and SLACK_SIGNING_SECRET to receive Slack's requests on
http://<host>:PORT/slack/events, or SLACK_BOT_TOKEN and SLACK_APP_TOKEN (xapp-…) for Socket Mode
(no public URL needed). README.md, "Create the Slack app", explains where to find them and how to
create the app from manifest.yml in two minutes.`;

async function main(): Promise<void> {
  let env;
  let config;
  try {
    env = loadEnv();
    config = loadOpsConfig(env.OPS_CONFIG);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger({ level: env.LOG_LEVEL ?? 'info', secrets: SECRET_VARS.map((k) => env[k]) });
  if (slackMode(env) === 'none') {
    process.stderr.write(`${NO_CREDENTIALS}\n`);
    process.exit(2);
  }
  // Handlers first: a stop request during a slow start still shuts down cleanly.
  let bot: Awaited<ReturnType<typeof startBot>> | undefined;
  let database: Awaited<ReturnType<typeof openDatabase>> | undefined;
  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    try {
      await bot?.stop();
      await database?.close();
    } finally {
      logger.flush();
      process.exit(0);
    }
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));

  database = await openDatabase({ ...(env.DATABASE_URL ? { url: env.DATABASE_URL } : { dataDir: env.DATA_DIR ?? './data' }) });
  await database.migrate();
  bot = await startBot({ env, config, logger, database, port: env.PORT ?? 3000 });
}

main().catch((err: unknown) => {
  process.stderr.write(`DrainPro Ops failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});

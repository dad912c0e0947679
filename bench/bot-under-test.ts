import { startBot, type RunningBot } from '../src/bot';
import { loadEnv } from '../src/config/env';
import { buildOpsConfig } from '../src/config/ops-config';
import { openDatabase, type Database } from '../src/db';
import { createLogger } from '../src/logger';
import type { Probe, ProbeName } from '../src/probes';
import { scratchDatabase, SECRET, TOKEN } from './lib';

export interface BotUnderTest {
  bot: RunningBot;
  database: Database;
  close(): Promise<void>;
}

/**
 * The real bot (receiver, Bolt, listeners, database) on loopback; its Slack is the stand-in at
 * `slackApiUrl`, which runs in another process (bench/slack-child.ts) as real Slack would.
 */
export async function startBotUnderTest(db: 'pglite' | 'postgres', slackApiUrl: string, probes?: Partial<Record<ProbeName, Probe>>): Promise<BotUnderTest> {
  const scratch = db === 'postgres' ? await scratchDatabase() : undefined;
  const database = await openDatabase(scratch ? { url: scratch.url, poolSize: 10 } : {});
  await database.migrate();
  const env = loadEnv({ SLACK_BOT_TOKEN: TOKEN, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slackApiUrl });
  const logger = createLogger({ level: 'warn', destination: { write: () => true } });
  const bot = await startBot({
    env,
    config: buildOpsConfig({}),
    logger,
    database,
    port: 0,
    host: '127.0.0.1',
    slackRetryConfig: { retries: 0 },
    jobs: false,
    ...(probes ? { probes } : {}),
    ...(process.env.BENCH_AFTER_ACK ? { afterAck: JSON.parse(process.env.BENCH_AFTER_ACK) } : {}),
  });
  return {
    bot,
    database,
    close: async () => {
      await bot.stop();
      await database.close();
      await scratch?.drop();
    },
  };
}

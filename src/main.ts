import { ConfigError, loadEnv, SECRET_VARS, slackMode, type Env } from './config/env';
import { loadOpsConfig, type OpsConfig } from './config/ops-config';
import { opsConfigWarnings } from './config/references';
import { databaseStartError, openDatabase, type Database } from './db';
import { createLogger, type Logger } from './logger';
import { Shutdown, type Stoppable } from './shutdown';
import { releaseYoungGeneration } from './young-generation';

/**
 * No Slack credentials: the local sandbox workspace, so a first `npm start` shows the bot working.
 * The sandbox (top-level sandbox/) is imported only here and for `--demo`, never statically, so a
 * production start does not load it (test/main.test.ts watches the modules a start loads).
 */
async function runSandbox(env: Env, config: OpsConfig, logger: Logger, demo: boolean): Promise<Stoppable> {
  const { startSandbox } = await import('../sandbox/start');
  const sandbox = await startSandbox({ env, config, logger, port: env.PORT ?? 3000, dataDir: env.DATA_DIR ?? './data', demo });
  // The one line a new user needs; everything else goes to the structured log.
  process.stdout.write(`DrainPro Ops sandbox: http://localhost:${sandbox.bot.port}/ (no Slack credentials set; see README to connect a real workspace)\n`);
  return { drain: sandbox.stop, close: async () => undefined };
}

/** The database, migrated; a DATABASE_URL that does not work stops start-up naming the variable, never its password. */
async function openMigrated(env: Env, logger: Logger): Promise<Database> {
  if (!env.DATABASE_URL) {
    const onDataDir = (source: string) => {
      if (source !== 'existing') logger.info({ dataDir: env.DATA_DIR ?? './data', from: source }, 'made the embedded database directory');
    };
    const database = await openDatabase({ dataDir: env.DATA_DIR ?? './data', onDataDir });
    await database.migrate();
    return database;
  }
  let database: Database | undefined;
  try {
    database = await openDatabase({ url: env.DATABASE_URL });
    // The first connection is made here.
    await database.migrate();
    return database;
  } catch (err) {
    await database?.close().catch(() => undefined);
    throw databaseStartError(err, env.DATABASE_URL);
  }
}

/** `--demo` with real Slack: the sandbox's stand-ins answer for systems without credentials. */
async function startDemo(env: Env): Promise<{ env: Env; stop: () => Promise<void> }> {
  const { startDemoSystems, withDemoSystems } = await import('../sandbox/demo');
  const systems = await startDemoSystems();
  return { env: withDemoSystems(env, systems).env, stop: () => systems.stop() };
}

async function main(): Promise<void> {
  let env: Env;
  let config: OpsConfig;
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
  const sandbox = slackMode(env) === 'none';
  // In the sandbox the address line should stand out; the log still says what goes wrong.
  const logger = createLogger({ level: env.LOG_LEVEL ?? (sandbox ? 'warn' : 'info'), secrets: SECRET_VARS.map((k) => env[k]) });
  const args = process.argv.slice(2);
  // Before anything starts, so a signal during start-up is handled too (src/shutdown.ts).
  const shutdown = new Shutdown({ logger });
  // A stray rejection inside a library (a dropped database connection during its set-up query)
  // is logged; the bot's own flows handle their errors and keep serving.
  process.on('unhandledRejection', (reason) => {
    logger.error({ err: reason instanceof Error ? reason.message : String(reason) }, 'unhandled rejection');
  });
  if (sandbox) {
    shutdown.ready(await runSandbox(env, config, logger, !args.includes('--no-demo')));
  } else {
    // The sandbox fills the roles with its demo people; a real workspace is told what pages nobody.
    for (const warning of opsConfigWarnings(config)) logger.warn({ config: env.OPS_CONFIG ?? 'built-in defaults' }, warning);
    // `--demo` with real Slack: systems without credentials are answered by the local stand-ins.
    const demo = args.includes('--demo') ? await startDemo(env) : undefined;
    const runEnv = demo?.env ?? env;
    // The database opens (PGlite compiles its WebAssembly and starts PostgreSQL) while the bot's
    // modules load: a restart waits for the slower of the two, not for both.
    const opening = openMigrated(env, logger);
    opening.catch(() => undefined); // awaited below; not unhandled while the modules load
    const { startBot } = await import('./bot');
    const database = await opening;
    const bot = await startBot({ env: runEnv, config, logger, database, port: env.PORT ?? 3000 });
    shutdown.ready({
      drain: bot.stop,
      close: async () => {
        await demo?.stop();
        await database.close();
      },
    });
  }
  // Held since src/start.ts's first line: the young generation's size is for serving, not start-up.
  releaseYoungGeneration();
}

main().catch((err: unknown) => {
  const hint = (err as { code?: string }).code === 'EADDRINUSE' ? ' (another program uses that port: set PORT to a free one)' : '';
  process.stderr.write(`DrainPro Ops failed to start: ${err instanceof Error ? err.message : String(err)}${hint}\n`);
  process.exit(1);
});

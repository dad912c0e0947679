import { changeLinkHook } from './changes/link';
import { changeProbeLinkHook } from './changes/probe-link';
import { disasterRecoveryHook } from './dr/flow';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { App } from '@slack/bolt';
import webApi, { type RetryOptions } from '@slack/web-api';
import { registerListeners } from '../commands';
import { allJobs } from '../jobs';
import { startLoops, type Loops } from '../jobs/loop';
import { heartbeatJob } from './watchdog/heartbeat';
import { combineHooks, JobMonitor } from './watchdog/monitor';
import { watchdogJob } from './watchdog/pages';
import { slackMode, type Env } from './config/env';
import type { OpsConfig } from './config/ops-config';
import type { Database } from './db';
import { systemClock, type Clock, type Deps } from './deps';
import { describeError } from './errors';
import { withServices, type Services } from './services';
import { closeServer, createHttpServer, listen, type Routes } from './http/server';
import { healthzRoutes } from './http/healthz';
import { toBoltLogger, type Logger } from './logger';
import { buildProbes, type Probe, type ProbeName } from './probes';
import { singleWorkspaceAuthorize } from './slack/authorize';
import type { AfterAckOptions } from './slack/after-ack';
import { SignedHttpReceiver } from './slack/receiver';
import { SocketReceiver } from './slack/socket-receiver';
import { IntakeStore } from './slack/intake';
import { BotMetrics } from './metrics';
import { metricsExposure, metricsRoute } from './http/metrics-routes';
import { intakeRecoveryJob } from '../jobs/intake';

export const VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export interface BotOptions {
  env: Env;
  config: OpsConfig;
  logger: Logger;
  database: Database;
  clock?: Clock;
  /** Port for HTTP (Slack events in HTTP mode, /healthz in both); 0 picks a free one. */
  port: number;
  host?: string;
  /** Web API retry policy; tests use `{ retries: 0 }`. */
  slackRetryConfig?: RetryOptions;
  /** Web API request timeout (default 10 s); the fault suite shortens it to exercise timeouts. */
  slackTimeoutMs?: number;
  /** Extra HTTP routes (the sandbox). */
  routes?: Routes;
  /** Probes to use instead of the ones built from the environment. */
  probes?: Partial<Record<ProbeName, Probe>>;
  /** Run the periodic jobs (default true); tests drive job bodies with their own clock instead. */
  jobs?: boolean;
  /** When listeners' post-ack work may run (both transports; see slack/after-ack.ts). */
  afterAck?: Partial<AfterAckOptions>;
  /** How long a stored request is held by its processor (default INTAKE_LEASE_MS); the crash drill shortens it. */
  intakeLeaseMs?: number;
  /** How long /metrics waits for the database before answering without its gauges (default 2 s). */
  metricsDatabaseTimeoutMs?: number;
  /** Services to use instead of the ones built from the environment (SMS, LLM, queues…). */
  services?: Partial<Services>;
}

export interface RunningBot {
  deps: Deps;
  app: App;
  server: Server;
  port: number;
  url: string;
  /** This bot's metrics (its own registry). */
  metrics: BotMetrics;
  /** The port serving /metrics and /healthz when METRICS_PORT is set. */
  metricsPort?: number;
  /** Replays stored requests left unfinished by a dead process (the jobs do this every 2 s); returns how many. */
  recoverIntake(all?: boolean): Promise<number>;
  /** Resolves when no listener is still working after its ack (at most `ms`); the bench waits on it. */
  idle(ms?: number): Promise<void>;
  stop(): Promise<void>;
}

/** Our receiver (HTTP or Socket Mode) and the Bolt app on it, with our own Web API client. */
function buildSlackApp(opts: BotOptions, mode: 'http' | 'socket', intake: IntakeStore, metrics: BotMetrics) {
  const { env, logger } = opts;
  const boltLogger = toBoltLogger(logger);
  const clientOptions = {
    ...(env.SLACK_API_URL ? { slackApiUrl: env.SLACK_API_URL } : {}),
    retryConfig: opts.slackRetryConfig ?? webApi.retryPolicies.fiveRetriesInFiveMinutes,
    timeout: opts.slackTimeoutMs ?? 10_000,
  };
  const dispatchOptions = { logger, intake, onAck: metrics.observeAck, ...(opts.afterAck ? { afterAck: opts.afterAck } : {}) };
  const receiver =
    mode === 'http'
      ? new SignedHttpReceiver({ signingSecret: env.SLACK_SIGNING_SECRET!, ...dispatchOptions })
      : new SocketReceiver({ appToken: env.SLACK_APP_TOKEN!, boltLogger, clientOptions, ...dispatchOptions });
  // Our own client and authorize instead of Bolt's `token` option: see slack/authorize.ts.
  const slack = new webApi.WebClient(env.SLACK_BOT_TOKEN!, { ...clientOptions, logger: boltLogger });
  const auth = singleWorkspaceAuthorize(slack, env.SLACK_BOT_TOKEN!, logger);
  // No conversation store: nothing reads context.conversation, and its middleware ran on every request.
  const app = new App({ authorize: auth.authorize, receiver, logger: boltLogger, clientOptions, convoStore: false });
  void auth.warm();
  app.error(async (err: Error) => {
    logger.error({ err: describeError(err), code: (err as { code?: string }).code }, 'unhandled listener error');
  });
  return { receiver, slack, app };
}

/** The HTTP servers: the main port (Slack events, /healthz, /metrics unless it has a port of its own) and METRICS_PORT. */
async function serveHttp(opts: BotOptions, mode: 'http' | 'socket', receiver: SignedHttpReceiver | SocketReceiver, metrics: BotMetrics, healthz: Routes) {
  const { env, logger } = opts;
  const exposure = metricsExposure(env, mode, opts.host);
  // Info, not a warning: not every deployment scrapes metrics.
  if (exposure.where === 'off') logger.info({}, exposure.why);
  const metricsRoutes: Routes = exposure.where === 'off' ? {} : { 'GET /metrics': metricsRoute(metrics, exposure.token) };
  const routes: Routes = {
    ...healthz,
    ...(exposure.where === 'main' ? metricsRoutes : {}),
    ...(receiver instanceof SignedHttpReceiver ? { 'POST /slack/events': receiver.handle } : {}),
    ...opts.routes,
  };
  const server = createHttpServer(routes, logger);
  const port = await listen(server, opts.port, opts.host);
  // A port of its own (not published to the internet): /metrics and /healthz, nothing of Slack's.
  const metricsServer = exposure.where === 'separate' ? createHttpServer({ ...healthz, ...metricsRoutes }, logger) : undefined;
  let metricsPort: number | undefined;
  try {
    if (metricsServer) metricsPort = await listen(metricsServer, env.METRICS_PORT!, opts.host);
  } catch (err) {
    await closeServer(server);
    const taken = (err as { code?: string }).code === 'EADDRINUSE' ? ' (another program uses that port: set METRICS_PORT to a free one)' : '';
    throw new Error(`could not serve /metrics on METRICS_PORT ${env.METRICS_PORT}: ${describeError(err)}${taken}`);
  }
  return { server, port, metricsServer, metricsPort };
}

/** The composition root: builds the Bolt app on our receiver, registers listeners, serves HTTP. */
export async function startBot(opts: BotOptions): Promise<RunningBot> {
  const { env, logger, database } = opts;
  const mode = slackMode(env);
  if (mode === 'none') throw new Error('startBot needs Slack credentials');
  const intake = new IntakeStore(database.db, Date.now, opts.intakeLeaseMs);
  const clock = opts.clock ?? systemClock;
  const metrics = new BotMetrics({ database, clock, logger, ...(opts.metricsDatabaseTimeoutMs ? { databaseTimeoutMs: opts.metricsDatabaseTimeoutMs } : {}) });
  const { receiver, slack, app } = buildSlackApp(opts, mode, intake, metrics);

  const probes = { ...buildProbes(env, opts.config.probes), ...opts.probes };
  const deps: Deps = withServices(
    {
      env,
      config: opts.config,
      database,
      db: database.db,
      slack,
      clock,
      logger,
      probes,
      declareHooks: [disasterRecoveryHook, changeLinkHook],
      // A raise to P0 whose system is down gets the DR procedure too (attached once per incident).
      severityHooks: [disasterRecoveryHook],
      probeHooks: [changeProbeLinkHook],
    },
    opts.services,
  );
  registerListeners(app, deps);

  const { server, port, metricsServer, metricsPort } = await serveHttp(opts, mode, receiver, metrics, healthzRoutes(database, clock, mode, VERSION));
  if (mode === 'socket') await app.start();
  // Requests a dead process stored but never finished. A PGlite directory has one process, so at
  // its start every unfinished row is orphaned; PostgreSQL replicas wait for the row's lease.
  const recoverIntake = (all = false) =>
    receiver.dispatch.recover(all).catch((err: unknown) => {
      logger.error({ err: describeError(err) }, 'could not replay stored requests');
      return 0;
    });
  if (opts.jobs !== false) void recoverIntake(database.kind === 'pglite');
  // The watchdog and the heartbeat judge the loop by the same hooks /metrics uses.
  const monitor = new JobMonitor();
  const loopJobs = [...allJobs, intakeRecoveryJob(receiver.dispatch, intake), watchdogJob(monitor), heartbeatJob(monitor)];
  const loops: Loops | undefined = opts.jobs === false ? undefined : startLoops(deps, loopJobs, combineHooks(metrics.loopHooks, monitor.hooks));
  logger.info({ port, ...(metricsPort !== undefined ? { metricsPort } : {}), mode, db: database.kind, version: VERSION }, 'DrainPro Ops is running');

  let stopped = false;
  return {
    deps,
    app,
    server,
    port,
    url: `http://127.0.0.1:${port}`,
    metrics,
    ...(metricsPort !== undefined ? { metricsPort } : {}),
    recoverIntake,
    idle: async (ms = 30_000) => {
      await receiver.drain(ms);
      await refreshesIdle(deps);
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await loops?.stop();
      // No new requests (HTTP server closed, socket disconnected), then the work already acked.
      await closeServer(server);
      if (metricsServer) await closeServer(metricsServer);
      if (mode === 'socket') await app.stop();
      await receiver.drain(10_000, true);
      await refreshesIdle(deps);
    },
  };
}

/** Every re-render and timeline flush the bot has started has finished. */
async function refreshesIdle(deps: Deps): Promise<void> {
  await deps.refreshes.checklists.idle();
  await deps.refreshes.incidents.idle();
  await deps.refreshes.timelines.idle();
}

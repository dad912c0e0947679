/**
 * One life of the bot for test/faults/crash.test.ts, in its own process so the test can
 * `kill -9` it. Run as `node --import tsx test/faults/crash-child.ts` (not the tsx CLI: that is a
 * wrapper process, and SIGKILL would leave the real bot running as an orphan).
 *
 * The parent keeps everything that must outlive a kill: the Slack stand-in (which records every
 * call) and the database (a PostgreSQL database, or a PGlite directory). Time is a scaled clock
 * the parent defines, so an escalation step of one minute comes due in a couple of seconds and
 * the time keeps running while the bot is dead, as it would in production.
 *
 * Protocol: the child loads every module, prints `loaded`, and waits for its spec (one JSON line
 * on stdin) before it opens the database, so the parent can warm up the next life while the
 * current one runs. It prints `ready <port>` once the bot serves and its jobs run, answers
 * `status` lines with `status <json>`; its logs are JSON lines on stdout.
 */
import { createInterface } from 'node:readline';
import { startBot } from '../../src/bot';
import { loadEnv } from '../../src/config/env';
import { buildOpsConfig } from '../../src/config/ops-config';
import { openDatabase, type Db } from '../../src/db';
import { count, isNull } from 'drizzle-orm';
import { checklistRuns, inboundRequests, incidents } from '../../src/db/schema';
import type { Clock } from '../../src/deps';
import { declareIncident } from '../../src/incidents/flows';
import { createLogger } from '../../src/logger';
import { pendingOutboxCount } from '../../src/outbox';
import { PROBE_NAMES, type Probe, type ProbeName } from '../../src/probes';

export interface CrashChildSpec {
  databaseUrl?: string;
  dataDir?: string;
  slackApiUrl: string;
  botToken: string;
  signingSecret: string;
  config: unknown;
  /** The scaled clock: fake = fakeOrigin + (Date.now() - realOrigin) * speed. */
  clock: { fakeOrigin: number; realOrigin: number; speed: number };
  /** Each probe answers `ok` after this many real milliseconds. */
  probeMs: number;
  /** Keys of the incidents of the drill so far (declared with dedupe key `crash:<key>`). */
  declare: string[];
  /** How long a stored request is held by its processor (the intake drill shortens it). */
  intakeLeaseMs?: number;
}

const out = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const lines = createInterface({ input: process.stdin });
  out('loaded');
  const spec = JSON.parse(await new Promise<string>((resolve) => lines.once('line', resolve))) as CrashChildSpec;

  const { fakeOrigin, realOrigin, speed } = spec.clock;
  const clock: Clock = { now: () => new Date(fakeOrigin + (Date.now() - realOrigin) * speed) };
  const env = loadEnv({ SLACK_BOT_TOKEN: spec.botToken, SLACK_SIGNING_SECRET: spec.signingSecret, SLACK_API_URL: spec.slackApiUrl });
  const config = buildOpsConfig(spec.config);
  const logger = createLogger({ level: 'info', destination: { write: (l: string) => void process.stdout.write(l) } });
  const probes = Object.fromEntries(
    PROBE_NAMES.map((name) => [
      name,
      { name, run: () => new Promise((r) => setTimeout(() => r({ status: 'ok', summary: `${name} fine`, evidence: {} }), spec.probeMs)) } satisfies Probe,
    ]),
  ) as unknown as Record<ProbeName, Probe>;
  const database = await openDatabase(spec.databaseUrl ? { url: spec.databaseUrl, poolSize: 5 } : { dataDir: spec.dataDir! });
  await database.migrate();
  const bot = await startBot({
    env,
    config,
    logger,
    database,
    clock,
    probes,
    port: 0,
    host: '127.0.0.1',
    slackRetryConfig: { retries: 0 },
    slackTimeoutMs: 5000,
    jobs: true,
    ...(spec.intakeLeaseMs ? { intakeLeaseMs: spec.intakeLeaseMs } : {}),
  });
  out(`ready ${bot.port}`);
  // The last life is stopped cleanly, as main.ts does.
  process.once('SIGTERM', () => {
    void (async () => {
      await bot.stop();
      await database.close();
      process.exit(0);
    })();
  });
  // `status`: what is still to do, so the parent knows when the last life has finished.
  lines.on('line', (line) => {
    if (line !== 'status') return;
    void status(database.db).then(
      (s) => out(`status ${JSON.stringify(s)}`),
      (err: unknown) => out(`status ${JSON.stringify({ error: String(err) })}`),
    );
  });

  // The incidents of the drill so far; the dedupe key makes a repeat after a restart a no-op, as
  // a retried /incident declare would be.
  for (const key of spec.declare) {
    const r = await declareIncident(bot.deps, { severity: 'p1', summary: key, declaredBy: 'UOPS', source: 'slash', dedupeKey: `crash:${key}` });
    out(`declared ${key} ${r.incident.id} ${r.kind}`);
  }
}

async function status(db: Db) {
  const open = await db
    .select({ id: incidents.id, key: incidents.dedupeKey, level: incidents.level, messageTs: incidents.messageTs, channel: incidents.incidentChannel })
    .from(incidents);
  const [intake] = await db.select({ n: count() }).from(inboundRequests).where(isNull(inboundRequests.doneAt));
  const runs = await db
    .select({ id: checklistRuns.id, state: checklistRuns.state, messageTs: checklistRuns.messageTs, lease: checklistRuns.deliveryLeaseUntil })
    .from(checklistRuns);
  return {
    incidents: open,
    pendingOutbox: await pendingOutboxCount(db),
    pendingIntake: intake?.n ?? 0,
    // No message yet, or a delivery never finished (its lease still held).
    unpostedRuns: runs.filter((r) => r.state !== 'missed' && (!r.messageTs || r.lease)).map((r) => r.id),
  };
}

main().catch((err: unknown) => {
  process.stderr.write(`crash-child failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});

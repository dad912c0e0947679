/**
 * Escalation sweep cost with 1k, 10k and 100k open incidents of which ~10 are due.
 * The sweep must cost in proportion to the due rows, not the open ones (partial index on due_at).
 *
 *   npx tsx bench/escalation-sweep.ts                 # PGlite (in memory)
 *   DATABASE_URL=postgres://… npx tsx bench/escalation-sweep.ts   # also PostgreSQL (a scratch database)
 *
 * Prints a markdown table and updates the "Escalation sweep" section of BENCHMARKS.md.
 */
import { buildProbes } from '../src/probes';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { buildOpsConfig } from '../src/config/ops-config';
import { loadEnv } from '../src/config/env';
import { openDatabase, type Database } from '../src/db';
import type { Deps } from '../src/deps';
import { withServices } from '../src/services';
import { fireDueSteps } from '../src/incidents/escalation';
import { freezePolicy } from '../src/incidents/policy';
import { createLogger } from '../src/logger';

const SIZES = [1_000, 10_000, 100_000];
const DUE_PER_SWEEP = 10;
const ROUNDS = 5;
const T0 = new Date('2026-03-02T14:00:00Z');
const MIN = 60_000;

const config = buildOpsConfig({
  roles: {
    'ops-team': { name: 'Operations team', members: ['UOPS'] },
    'tech-lead': { name: 'Technical Lead', members: ['UTECH'] },
    cto: { name: 'CTO', members: ['UCTO'] },
    ceo: { name: 'CEO', members: ['UCEO'] },
  },
});

interface Row {
  db: string;
  open: number;
  seedMs: number;
  sweepMs: number;
  emptyMs: number;
  plan: string;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function seed(database: Database, n: number): Promise<void> {
  const db = database.db;
  await db.execute(sql`truncate incidents, incident_events, timers, outbox restart identity cascade`);
  const policy = JSON.stringify(freezePolicy(config, 'p1'));
  await db.execute(sql`
    insert into incidents (dedupe_key, severity, summary, system, declared_by, source, level, policy, declared_at, response_due_at, resolution_due_at, channel, message_ts)
    select 'bench:' || g, 'p1', 'Bench incident ' || g, 'other', 'UBENCH', 'slash', 1, ${policy}::jsonb,
           ${T0.toISOString()}::timestamptz, ${T0.toISOString()}::timestamptz + interval '2 hours', ${T0.toISOString()}::timestamptz + interval '24 hours', 'incidents', '1.000001'
    from generate_series(1, ${n}) g`);
  // Every open incident has a pending response step and resolution deadline, all in the future…
  await db.execute(sql`
    insert into timers (kind, ref_id, step, due_at)
    select k.kind, i.id::text, 0, ${T0.toISOString()}::timestamptz + interval '1 day' + (i.id % 1440) * interval '1 minute'
    from incidents i cross join (values ('incident-response'), ('incident-resolution')) k(kind)`);
  // …except DUE_PER_SWEEP per round, due just before that round's sweep.
  const stride = Math.floor(n / (DUE_PER_SWEEP * ROUNDS));
  await db.execute(sql`
    update timers set due_at = ${T0.toISOString()}::timestamptz + ((ref_id::int / ${stride}) % ${ROUNDS}) * interval '1 minute' - interval '1 second'
    where kind = 'incident-response' and ref_id::int % ${stride} = 0 and ref_id::int / ${stride} <= ${DUE_PER_SWEEP * ROUNDS}`);
  await db.execute(sql`analyze`);
}

async function explain(database: Database, at: Date): Promise<string> {
  const res = (await database.db.execute(sql`
    explain select * from timers
    where fired_at is null and cancelled_at is null and due_at <= ${at.toISOString()}::timestamptz
      and kind in ('incident-response', 'incident-resolution', 'incident-sms')
    order by due_at, id limit 1 for update skip locked`)) as unknown as { rows?: Record<string, string>[] } | Record<string, string>[];
  const rows = Array.isArray(res) ? res : (res.rows ?? []);
  const text = rows.map((r) => Object.values(r)[0]).join(' ');
  const m = /(Index Scan using \w+|Index Only Scan using \w+|Bitmap Index Scan on \w+|Seq Scan on \w+)/.exec(text);
  return m ? m[1]! : text.slice(0, 60);
}

async function benchOne(kind: string, database: Database): Promise<Row[]> {
  const env = loadEnv({});
  const deps: Deps = withServices({
    env,
    config,
    database,
    db: database.db,
    slack: undefined as never,
    clock: { now: () => T0 },
    logger: createLogger({ level: 'silent' }),
    probes: buildProbes({}, config.probes),
  });
  const rows: Row[] = [];
  for (const n of SIZES) {
    const s0 = performance.now();
    await seed(database, n);
    const seedMs = performance.now() - s0;
    // One warm-up sweep (round 0), then timed rounds.
    const sweeps: number[] = [];
    const empties: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const now = new Date(T0.getTime() + round * MIN);
      const a = performance.now();
      const r = await fireDueSteps(deps, now, 1000);
      const b = performance.now();
      const fired = r.fired.filter((f) => f.kind === 'incident-response').length;
      if (fired !== DUE_PER_SWEEP)
        throw new Error(`${kind} n=${n} round ${round}: fired ${fired}, expected ${DUE_PER_SWEEP} (failed: ${JSON.stringify(r.failed.slice(0, 2))})`);
      const e0 = performance.now();
      await fireDueSteps(deps, now, 1000);
      const e1 = performance.now();
      if (round > 0) {
        sweeps.push(b - a);
        empties.push(e1 - e0);
      }
    }
    const plan = await explain(database, T0);
    rows.push({ db: kind, open: n, seedMs, sweepMs: median(sweeps), emptyMs: median(empties), plan });
    process.stderr.write(`${kind} ${n}: sweep ${median(sweeps).toFixed(1)} ms, empty ${median(empties).toFixed(2)} ms, ${plan}\n`);
  }
  return rows;
}

async function onPglite(): Promise<Row[]> {
  const database = await openDatabase({ pglite: new PGlite() });
  try {
    await database.migrate();
    return await benchOne('PGlite', database);
  } finally {
    await database.close();
  }
}

async function onPostgres(url: string): Promise<Row[]> {
  const name = `drainpro_bench_${randomBytes(4).toString('hex')}`;
  const admin = postgres(url, { max: 1, onnotice: () => undefined });
  await admin.unsafe(`create database ${name}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  const database = await openDatabase({ url: u.toString(), poolSize: 4 });
  try {
    await database.migrate();
    return await benchOne('PostgreSQL', database);
  } finally {
    await database.close();
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

function table(rows: Row[]): string {
  const head =
    '| database | open incidents | pending timers | due per sweep | sweep (10 due) median | empty sweep median | claim query plan | seed |\n| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |';
  const body = rows
    .map(
      (r) =>
        `| ${r.db} | ${r.open.toLocaleString('en-US')} | ${(r.open * 2).toLocaleString('en-US')} | ${DUE_PER_SWEEP} | ${r.sweepMs.toFixed(1)} ms | ${r.emptyMs.toFixed(2)} ms | ${r.plan} | ${(r.seedMs / 1000).toFixed(1)} s |`,
    )
    .join('\n');
  return `${head}\n${body}`;
}

async function main() {
  const rows = [...(await onPglite())];
  if (process.env.DATABASE_URL) rows.push(...(await onPostgres(process.env.DATABASE_URL)));
  const machine = `${cpus().length} CPUs (${cpus()[0]?.model.trim() ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM (${(freemem() / 2 ** 30).toFixed(1)} GiB free), Node ${process.version}, ${process.platform}, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ')} at the end (a shared machine: absolute times are noisy, the trend is the point)`;
  const md = table(rows);
  console.log(md);
  const section = [
    '<!-- escalation-sweep:start -->',
    '## Escalation sweep (`npx tsx bench/escalation-sweep.ts`)',
    '',
    `Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine}.`,
    '',
    `Each open incident has two pending timers (response step, resolution deadline); ${DUE_PER_SWEEP} are due per sweep. A sweep claims them one`,
    'by one with `FOR UPDATE SKIP LOCKED` and fires each (escalate one level, timeline entry, pages into the outbox, next step).',
    'The "empty sweep" is the claim query alone when nothing is due. Medians of 4 rounds after a warm-up.',
    '',
    md,
    '',
    'Reading: the cost follows the due rows, not the open ones — the claim query walks the partial index',
    '`timers_due_idx (due_at) where fired_at is null and cancelled_at is null` from its start and stops at the first due row.',
    '<!-- escalation-sweep:end -->',
  ].join('\n');
  const file = new URL('../BENCHMARKS.md', import.meta.url);
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const re = /<!-- escalation-sweep:start -->[\s\S]*?<!-- escalation-sweep:end -->/;
  writeFileSync(file, re.test(current) ? current.replace(re, section) : `${current.trimEnd()}\n\n${section}\n`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

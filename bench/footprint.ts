/**
 * Footprint, one run, side by side, each subject alone in its own node process (`node --import tsx`,
 * or plain node with BENCH_PLAIN_NODE=1; the figure is the RSS of the one node process running it):
 * a bare Bolt app and a bare PGlite (fresh and existing directory, the bot's settings) as floors;
 * the bot (`src/main.ts`, or `dist/main.js` with BENCH_PLAIN_NODE=1) on PGlite (a first start on a fresh directory, two restarts) and on PostgreSQL.
 * Start = spawn → first 200 from /healthz (floors: → ready line). Idle = RSS `BENCH_SETTLE_MS`
 * (default 10 s) after that; peak = highest RSS sampled every 50 ms during 3 bursts of 200
 * concurrent `/ops help`.
 *   npx tsx bench/footprint.ts        (PostgreSQL at BENCH_DATABASE_URL)
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SlackWorkspace as SlackStandin } from '../sandbox/slack-workspace';
import { PRODUCTION_ENV } from '../src/production-env';
import { emit, postSignedForm, scratchDatabase, SECRET, TOKEN } from './lib';

const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 10_000);
/**
 * A second idle reading, once V8's memory reducer has had its chance in every process: it runs
 * 8 s after a full GC, and again every 8 s until the allocation rate it keeps (averaged over its
 * last ten samples, most of them start-up's) looks low. Bare Bolt is reduced by ~9 s; the bot was reduced 20–35 s after
 * start until start-up stopped growing its young generation (src/young-generation.ts), and by 9–12 s since.
 */
const SETTLED_MS = Number(process.env.BENCH_SETTLED_MS ?? 45_000);
const PLAIN = process.env.BENCH_PLAIN_NODE === '1';

export interface FootprintRow {
  subject: string;
  startMs: number;
  idleMiB: number;
  settledMiB: number;
  peakMiB?: number;
}

function rssMiB(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return Math.round(Number(m?.[1] ?? 0) / 102.4) / 10;
  } catch {
    return 0;
  }
}

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * `BENCH_PLAIN_NODE=1`: the bot runs as production runs it, `node dist/main.js` after
 * `npm run build` (dist/ holds the PGlite template its first start copies), and the floors as plain
 * `node` on an esbuild bundle (packages external), instead of under tsx, whose loader adds
 * ~35–50 MiB to every process. The floors' bundle sits in a temporary tree whose links keep the
 * `import.meta.url` paths (package.json, node_modules) pointing at this checkout.
 */
function plainNodeBundles(): (args: string[]) => string[] {
  const out = mkdtempSync(join(tmpdir(), 'drainpro-footprint-js-'));
  for (const f of ['node_modules', 'drizzle', 'manifest.yml']) symlinkSync(resolve(f), join(out, f));
  mkdirSync(join(out, 'x'));
  symlinkSync(resolve('package.json'), join(out, 'x', 'package.json'));
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  execFileSync(resolve('node_modules/.bin/esbuild'), [
    'bench/footprint-floor.ts',
    '--outbase=.',
    '--bundle',
    '--platform=node',
    '--format=esm',
    '--packages=external',
    '--log-level=warning',
    `--outdir=${join(out, 'x')}`,
    '--out-extension:.js=.mjs',
  ]);
  process.on('exit', () => rmSync(out, { recursive: true, force: true }));
  return ([script, ...rest]) => (script === 'src/main.ts' ? ['dist/main.js', ...rest] : [join(out, 'x', script!.replace(/\.ts$/, '.mjs')), ...rest]);
}
const nodeArgs: (args: string[]) => string[] = PLAIN ? plainNodeBundles() : (args) => ['--import', 'tsx', ...args];

/** Spawns `node --import tsx <args>` (or plain node, above) and waits until `ready()` says so; returns the start time. */
async function run(args: string[], env: Record<string, string>, ready: (stdout: string) => Promise<boolean>) {
  const t0 = performance.now();
  const child = spawn(process.execPath, nodeArgs(args), {
    env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  while (!(await ready(out))) {
    if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${child.exitCode}`);
    if (performance.now() - t0 > 120_000) throw new Error(`${args.join(' ')} not ready within 120 s`);
    await sleep(10);
  }
  const startMs = Math.round(performance.now() - t0);
  return {
    startMs,
    pid: child.pid!,
    out: () => out,
    stop: async () => {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(t);
    },
  };
}

async function healthy(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/healthz`)).status === 200;
  } catch {
    return false;
  }
}

/** Idle RSS after the settle time and once settled (both from ready), then the peak under 3 × 200 concurrent /ops help. */
async function measure(pid: number, url: string | undefined, responseUrl: () => string): Promise<{ idleMiB: number; settledMiB: number; peakMiB?: number }> {
  const ready = performance.now();
  await sleep(SETTLE_MS);
  const idleMiB = rssMiB(pid);
  await sleep(Math.max(0, SETTLED_MS - (performance.now() - ready)));
  const settledMiB = rssMiB(pid);
  if (!url) return { idleMiB, settledMiB };
  let peakMiB = settledMiB;
  const sampler = setInterval(() => (peakMiB = Math.max(peakMiB, rssMiB(pid))), 50);
  for (let round = 0; round < 3; round += 1) {
    await Promise.all(
      Array.from({ length: 200 }, () =>
        postSignedForm(url, {
          command: '/ops',
          text: 'help',
          user_id: 'UALICE',
          channel_id: 'COPS',
          team_id: 'T0DRAIN',
          response_url: responseUrl(),
          trigger_id: `t-${randomUUID()}`,
        }),
      ),
    );
  }
  await sleep(500); // the follow-ups after the acks
  clearInterval(sampler);
  return { idleMiB, settledMiB, peakMiB: Math.max(peakMiB, rssMiB(pid)) };
}

async function main() {
  const slack = await new SlackStandin(TOKEN).start();
  const responseUrl = () => slack.responseUrl(randomUUID());
  const dirs: string[] = [];
  const tmp = () => {
    const d = mkdtempSync(join(tmpdir(), 'drainpro-footprint-'));
    dirs.push(d);
    return d;
  };
  const rows: FootprintRow[] = [];
  const floorReady = async (out: string) => out.includes('FLOOR_READY ');
  try {
    const bolt = await run(['bench/footprint-floor.ts', 'bolt', slack.apiUrl], {}, floorReady);
    const boltUrl = (JSON.parse(bolt.out().split('FLOOR_READY ')[1]!.split('\n')[0]!) as { url: string }).url;
    rows.push({ subject: 'bare Bolt app', startMs: bolt.startMs, ...(await measure(bolt.pid, boltUrl, responseUrl)) });
    await bolt.stop();

    const pgDir = join(tmp(), 'pglite');
    for (const subject of ['bare PGlite, fresh directory', 'bare PGlite, existing directory']) {
      const pg = await run(['bench/footprint-floor.ts', 'pglite', pgDir], {}, floorReady);
      rows.push({ subject, startMs: pg.startMs, ...(await measure(pg.pid, undefined, responseUrl)) });
      await pg.stop();
    }

    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    // The environment the bot ships with (npm start, the image): src/production-env.ts.
    const base = { ...PRODUCTION_ENV, SLACK_BOT_TOKEN: TOKEN, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.apiUrl, PORT: String(port) };
    // A first start copies the template data directory: the build's (dist/pglite-template) with
    // plain node, the checkout's cache under tsx (src/db/pglite-dir.ts).
    const dataDir = tmp();
    const bots = [
      [`bot on PGlite, first start (fresh directory, ${PLAIN ? "the build's template" : 'the cached template'})`, dataDir],
      ['bot on PGlite, restart', dataDir],
      ['bot on PGlite, restart (again)', dataDir],
    ] as const;
    for (const [subject, dir] of bots) {
      const bot = await run(['src/main.ts'], { ...base, DATA_DIR: dir }, () => healthy(url));
      rows.push({ subject, startMs: bot.startMs, ...(await measure(bot.pid, url, responseUrl)) });
      await bot.stop();
    }
    const scratch = await scratchDatabase();
    try {
      const bot = await run(['src/main.ts'], { ...base, DATABASE_URL: scratch.url }, () => healthy(url));
      rows.push({ subject: 'bot on PostgreSQL', startMs: bot.startMs, ...(await measure(bot.pid, url, responseUrl)) });
      await bot.stop();
    } finally {
      await scratch.drop();
    }
    emit({
      runner: PLAIN ? 'node dist/main.js (the build), floors as an esbuild bundle' : 'node --import tsx',
      load: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
      rows,
    });
  } finally {
    await slack.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}

void main();

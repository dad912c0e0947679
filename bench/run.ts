/**
 * `npm run bench`: every scenario in its own child process, one after another (2 cores: running
 * them side by side would measure the contention), then a markdown summary printed and written
 * into BENCHMARKS.md between the `<!-- bench:… -->` markers. The bench reports; the tests assert.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { TSX } from './child';
import type { Stats } from './lib';

/** Runs a bench script; it prints one `BENCH_RESULT` line per result (ack-latency.ts one per target it runs side by side). */
function children<T>(script: string, args: string[], expected = 1): T[] {
  const r = spawnSync(TSX, [`bench/${script}`, ...args], { encoding: 'utf8', timeout: 1_800_000, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = r.stdout.split('\n').filter((l) => l.startsWith('BENCH_RESULT '));
  if (lines.length !== expected) throw new Error(`bench/${script} ${args.join(' ')} gave ${lines.length} results (exit ${r.status})`);
  return lines.map((l) => JSON.parse(l.slice('BENCH_RESULT '.length)) as T);
}
const child = <T>(script: string, args: string[]): T => children<T>(script, args)[0]!;

type Ack = { target: string; results: { scenario: string; concurrency: number; stats: Stats; opened?: Stats }[] };
type Checklist = { target: string; sevenProbes200ms: Stats; oneHangingProbe: Stats };

const only = process.argv.slice(2);
const want = (s: string) => only.length === 0 || only.includes(s);
const sections: Record<string, string> = {};

const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}; load average at start ${load()}; ${new Date().toISOString()}`;
// A partial run leaves the machine line of the full run (the other sections' figures) alone.
if (only.length === 0) sections.machine = machine;

if (want('ack')) {
  // `bare-control`: a second bare Bolt app in the same run, measured as the bot is. Its ratio to
  // the first is what two identical floors give here: the bench's resolution for a ratio goal.
  const runs = children<Ack>('ack-latency.ts', ['bare', 'bare-control', 'pglite', 'postgres'], 4);
  const bare = runs[0]!;
  const rows = [
    '| scenario | concurrent | target | p50 ms | p95 ms | p99 ms | max ms | non-200 | p99 ÷ bare |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  const ratios = new Map<string, number[]>();
  for (const r of bare.results) {
    for (const run of runs) {
      const x = run.results.find((y) => y.scenario === r.scenario && y.concurrency === r.concurrency)!;
      const ratio = x.stats.p99 / r.stats.p99;
      if (run.target !== 'bare') ratios.set(run.target, [...(ratios.get(run.target) ?? []), ratio]);
      rows.push(
        `| ${r.scenario} | ${r.concurrency} | ${run.target} | ${x.stats.p50} | ${x.stats.p95} | ${x.stats.p99} | ${x.stats.max} | ${x.stats.errors} | ${ratio.toFixed(2)} |`,
      );
    }
  }
  rows.push('');
  for (const [target, rs] of ratios) {
    const sorted = [...rs].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    rows.push(
      `- ${target}: p99 ÷ bare over ${rs.length} rows: median ${median.toFixed(2)}, range ${sorted[0]!.toFixed(2)}–${sorted.at(-1)!.toFixed(2)}, ${rs.filter((r) => r > 1.2).length} rows over 1.2`,
    );
  }
  sections.ack = rows.join('\n');
  const opens = [
    '| concurrent /incident (form) | target | p50 ms | p95 ms | p99 ms | max ms | forms not opened |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of bare.results.filter((x) => x.opened)) {
    for (const run of runs) {
      const x = run.results.find((y) => y.scenario === r.scenario && y.concurrency === r.concurrency)!;
      opens.push(`| ${r.concurrency} | ${run.target} | ${x.opened!.p50} | ${x.opened!.p95} | ${x.opened!.p99} | ${x.opened!.max} | ${x.stats.errors} |`);
    }
  }
  sections.modal = opens.join('\n');
}
if (want('intake')) {
  type Intake = { target: string; intake: { sequential: Stats; burst: Stats }; floor: { sequential: Stats; burst: Stats } };
  const rows = ['| database | write | one at a time p50 ms | p99 ms | 200 at once p50 ms | p99 ms |', '| --- | --- | --- | --- | --- | --- |'];
  for (const t of ['pglite', 'postgres']) {
    const r = child<Intake>('intake-write.ts', [t]);
    rows.push(
      `| ${t} | intake row (drizzle, fair queue) | ${r.intake.sequential.p50} | ${r.intake.sequential.p99} | ${r.intake.burst.p50} | ${r.intake.burst.p99} |`,
    );
    rows.push(
      `| ${t} | floor: the same insert, bare driver | ${r.floor.sequential.p50} | ${r.floor.sequential.p99} | ${r.floor.burst.p50} | ${r.floor.burst.p99} |`,
    );
  }
  sections.intake = rows.join('\n');
}
if (want('checklist')) {
  const rows = ['| database | probes | runs | p50 ms | p95 ms | max ms |', '| --- | --- | --- | --- | --- | --- |'];
  for (const t of ['pglite', 'postgres']) {
    const r = child<Checklist>('checklist-latency.ts', [t]);
    rows.push(`| ${t} | 7 × 200 ms | ${r.sevenProbes200ms.n} | ${r.sevenProbes200ms.p50} | ${r.sevenProbes200ms.p95} | ${r.sevenProbes200ms.max} |`);
    rows.push(
      `| ${t} | 6 × 200 ms + 1 hanging (5 s timeout) | ${r.oneHangingProbe.n} | ${r.oneHangingProbe.p50} | ${r.oneHangingProbe.p95} | ${r.oneHangingProbe.max} |`,
    );
  }
  sections.checklist = rows.join('\n');
}
if (want('footprint')) {
  type Row = { subject: string; startMs: number; idleMiB: number; settledMiB: number; peakMiB?: number };
  const r = child<{ runner: string; load: string; rows: Row[] }>('footprint.ts', []);
  const rows = [
    '| process | start → ready / 200 | RSS idle, 10 s | RSS idle, 45 s (settled) | RSS peak under 3 × 200 concurrent /ops help |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const x of r.rows)
    rows.push(`| ${x.subject} | ${x.startMs} ms | ${x.idleMiB} MiB | ${x.settledMiB} MiB | ${x.peakMiB === undefined ? '—' : `${x.peakMiB} MiB`} |`);
  const get = (s: string) => r.rows.find((x) => x.subject.startsWith(s));
  const goal = (ok: boolean) => (ok ? 'met' : '**not met**');
  const bolt = get('bare Bolt')!;
  const pglite = get('bare PGlite, existing')!;
  const pg = get('bot on PostgreSQL')!;
  rows.push('', `Run with ${r.runner}: ${machine}; load average at the end ${r.load}. Goals (idle at 10 s; settled at 45 s):`);
  for (const at of ['idleMiB', 'settledMiB'] as const) {
    const when = at === 'idleMiB' ? 'at 10 s' : 'settled';
    rows.push(
      `- PostgreSQL idle ${when} ≤ 1.5 × bare Bolt (${(1.5 * bolt[at]).toFixed(1)} MiB): ${pg[at]} MiB = ${(pg[at] / bolt[at]).toFixed(2)} × — ${goal(pg[at] <= 1.5 * bolt[at])}`,
    );
    const cap = pglite[at] + 1.5 * bolt[at];
    for (const x of r.rows.filter((y) => y.subject.startsWith('bot on PGlite')))
      rows.push(`- ${x.subject}, idle ${when}: ${x[at]} MiB ≤ bare PGlite + 1.5 × bare Bolt (${cap.toFixed(1)} MiB) — ${goal(x[at] <= cap)}`);
  }
  // The issue's 50 MB, in the MiB this table reads in (earlier runs compared with 50 MiB).
  const peakCap = 50e6 / 2 ** 20;
  for (const x of r.rows.filter((y) => y.subject.startsWith('bot on'))) {
    const rise = (x.peakMiB ?? 0) - x.idleMiB;
    rows.push(`- ${x.subject}: peak − idle at 10 s ${rise.toFixed(1)} MiB ≤ 50 MB (${peakCap.toFixed(1)} MiB) — ${goal(rise <= peakCap)}`);
  }
  const first = get('bot on PGlite, first start')!;
  const restarts = r.rows.filter((x) => x.subject.startsWith('bot on PGlite, restart'));
  rows.push(`- first start on a fresh directory ≤ 3 s: ${first.startMs} ms — ${goal(first.startMs <= 3000)}`);
  for (const x of restarts) rows.push(`- ${x.subject.replace('bot on PGlite, ', '')} ≤ 1.5 s: ${x.startMs} ms — ${goal(x.startMs <= 1500)}`);
  sections.footprint = rows.join('\n');
}
const summary = Object.entries(sections)
  .map(([k, v]) => `### ${k}\n\n${v}\n`)
  .join('\n');
process.stdout.write(`${summary}\n`);

const FILE = 'BENCHMARKS.md';
if (existsSync(FILE)) {
  let doc = readFileSync(FILE, 'utf8');
  for (const [k, v] of Object.entries(sections)) {
    const re = new RegExp(`<!-- bench:${k} -->[\\s\\S]*?<!-- /bench:${k} -->`);
    doc = doc.replace(re, `<!-- bench:${k} -->\n${v}\n<!-- /bench:${k} -->`);
  }
  writeFileSync(FILE, doc);
  // The tables as the formatter writes them, so `npm run lint` stays clean after a run.
  spawnSync('npx', ['biome', 'format', '--write', FILE], { stdio: 'ignore' });
}

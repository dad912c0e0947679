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

function child<T>(script: string, args: string[]): T {
  const r = spawnSync(TSX, [`bench/${script}`, ...args], { encoding: 'utf8', timeout: 300_000, stdio: ['ignore', 'pipe', 'inherit'] });
  const line = r.stdout.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
  if (!line) throw new Error(`bench/${script} ${args.join(' ')} gave no result (exit ${r.status})`);
  return JSON.parse(line.slice('BENCH_RESULT '.length)) as T;
}

type Ack = { target: string; results: { scenario: string; concurrency: number; stats: Stats; opened?: Stats }[] };
type Checklist = { target: string; sevenProbes200ms: Stats; oneHangingProbe: Stats };
type Footprint = { target: string; firstStartMs: number; restartMs: number; idleMiB: number; loadedMiB: number };

const only = process.argv.slice(2);
const want = (s: string) => only.length === 0 || only.includes(s);
const sections: Record<string, string> = {};

const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
sections.machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}; load average at start ${load()}; ${new Date().toISOString()}`;

if (want('ack')) {
  const runs = (['bare', 'pglite', 'postgres'] as const).map((t) => child<Ack>('ack-latency.ts', [t]));
  const bare = runs[0]!;
  const rows = ['| scenario | concurrent | target | p50 ms | p95 ms | p99 ms | max ms | non-200 | p99 ÷ bare |', '| --- | --- | --- | --- | --- | --- | --- | --- | --- |'];
  for (const r of bare.results) {
    for (const run of runs) {
      const x = run.results.find((y) => y.scenario === r.scenario && y.concurrency === r.concurrency)!;
      const ratio = run.target === 'bare' ? '1.00' : (x.stats.p99 / r.stats.p99).toFixed(2);
      rows.push(`| ${r.scenario} | ${r.concurrency} | ${run.target} | ${x.stats.p50} | ${x.stats.p95} | ${x.stats.p99} | ${x.stats.max} | ${x.stats.errors} | ${ratio} |`);
    }
  }
  sections.ack = rows.join('\n');
  const opens = ['| concurrent /incident (form) | target | p50 ms | p95 ms | p99 ms | max ms | forms not opened |', '| --- | --- | --- | --- | --- | --- | --- |'];
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
    rows.push(`| ${t} | intake row (drizzle, fair queue) | ${r.intake.sequential.p50} | ${r.intake.sequential.p99} | ${r.intake.burst.p50} | ${r.intake.burst.p99} |`);
    rows.push(`| ${t} | floor: the same insert, bare driver | ${r.floor.sequential.p50} | ${r.floor.sequential.p99} | ${r.floor.burst.p50} | ${r.floor.burst.p99} |`);
  }
  sections.intake = rows.join('\n');
}
if (want('checklist')) {
  const rows = ['| database | probes | runs | p50 ms | p95 ms | max ms |', '| --- | --- | --- | --- | --- | --- |'];
  for (const t of ['pglite', 'postgres']) {
    const r = child<Checklist>('checklist-latency.ts', [t]);
    rows.push(`| ${t} | 7 × 200 ms | ${r.sevenProbes200ms.n} | ${r.sevenProbes200ms.p50} | ${r.sevenProbes200ms.p95} | ${r.sevenProbes200ms.max} |`);
    rows.push(`| ${t} | 6 × 200 ms + 1 hanging (5 s timeout) | ${r.oneHangingProbe.n} | ${r.oneHangingProbe.p50} | ${r.oneHangingProbe.p95} | ${r.oneHangingProbe.max} |`);
  }
  sections.checklist = rows.join('\n');
}
if (want('footprint')) {
  const rows = ['| database | first start → /healthz 200 | restart → 200 | RSS idle | RSS peak under 3 × 200 concurrent /ops help |', '| --- | --- | --- | --- | --- |'];
  for (const t of ['pglite', 'postgres']) {
    const r = child<Footprint>('footprint.ts', [t]);
    rows.push(`| ${t} | ${r.firstStartMs} ms | ${r.restartMs} ms | ${r.idleMiB} MiB | ${r.loadedMiB} MiB |`);
  }
  sections.footprint = rows.join('\n');
}

const summary = Object.entries(sections).map(([k, v]) => `### ${k}\n\n${v}\n`).join('\n');
process.stdout.write(`${summary}\n`);

const FILE = 'BENCHMARKS.md';
if (existsSync(FILE)) {
  let doc = readFileSync(FILE, 'utf8');
  for (const [k, v] of Object.entries(sections)) {
    const re = new RegExp(`<!-- bench:${k} -->[\\s\\S]*?<!-- /bench:${k} -->`);
    doc = doc.replace(re, `<!-- bench:${k} -->\n${v}\n<!-- /bench:${k} -->`);
  }
  writeFileSync(FILE, doc);
}

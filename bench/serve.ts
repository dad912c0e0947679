/**
 * The system under test in its own process, so the load generator never shares its event loop:
 *   npx tsx bench/serve.ts bare|bare-control|pglite|postgres|pglite-semi<MiB> [items] [probeMs] [hang]
 * (`-semi<MiB>`: bench/child.ts starts it with NODE_OPTIONS=--max-semi-space-size=<MiB>;
 * `-defaultenv`: without the environment the bot ships with, src/production-env.ts)
 * prints `BENCH_READY {"url","responseBase","items":[…],"pid"}` and serves until SIGTERM.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { findChecklist } from '../src/checklists';
import { postChecklist } from '../src/runs/flow';
import type { Probe, ProbeName } from '../src/probes';
import { startBareBolt } from './bare-bolt';
import { startBotUnderTest } from './bot-under-test';
import { spawnChild } from './child';

const NAMES: ProbeName[] = ['health', 'alarms', 'errors', 'backups', 'payments', 'forwarding', 'agents'];

/** Probes that answer ok after `ms`; with `hang`, the `health` probe never answers (until aborted by the timeout). */
export function benchProbes(ms: number, hang: boolean): Record<ProbeName, Probe> {
  return Object.fromEntries(
    NAMES.map((name) => [
      name,
      {
        name,
        run: ({ signal }) =>
          new Promise((resolve) => {
            if (hang && name === 'health')
              return signal.addEventListener('abort', () => resolve({ status: 'unknown', summary: 'timed out', evidence: {} }), { once: true });
            setTimeout(() => resolve({ status: 'ok', summary: 'ok', evidence: {} }), ms);
          }),
      } satisfies Probe,
    ]),
  ) as Record<ProbeName, Probe>;
}

async function main() {
  const [target = 'pglite', itemsArg = '0', probeMsArg = '0', hang] = process.argv.slice(2);
  const slack = await spawnChild<{ apiUrl: string; responseBase: string }>('bench/slack-child.ts', [], 'SLACK_READY');
  const ask = (line: string, tag: string) => {
    const answer = slack.line(tag);
    slack.child.stdin!.write(`${line}\n`);
    return answer;
  };
  // `idle`: answers once the work after the acks has finished, so each burst is measured alone.
  process.stdin.setEncoding('utf8');
  // bare-control: the same floor again (bench/run.ts: the bench's resolution).
  if (target === 'bare' || target === 'bare-control') {
    process.stdin.on('data', (line: string) => {
      if (line.trim() === 'idle') process.stdout.write('BENCH_IDLE {}\n');
      if (line.trim() === 'views') void ask('views', 'SLACK_VIEWS').then((v) => process.stdout.write(`BENCH_VIEWS ${v}\n`));
    });
    const bare = await startBareBolt(slack.ready.apiUrl);
    process.stdout.write(
      `BENCH_READY ${JSON.stringify({ url: bare.url, responseBase: slack.ready.responseBase, items: Array.from({ length: Number(itemsArg) }, (_, i) => ({ value: `1|item-${i}`, channel: 'COPS', ts: '1.000001' })), pid: process.pid })}\n`,
    );
    process.once('SIGTERM', () => void Promise.all([bare.close(), slack.stop()]).then(() => process.exit(0)));
    return;
  }
  const db = target.replace(/-(semi\d+|defaultenv)$/, '') as 'pglite' | 'postgres';
  const b = await startBotUnderTest(db, slack.ready.apiUrl, benchProbes(Number(probeMsArg), hang === 'hang'));
  const def = findChecklist(b.bot.deps.config.checklists, 'morning')!;
  const items: { value: string; channel: string; ts: string }[] = [];
  for (let r = 0; items.length < Number(itemsArg); r += 1) {
    const res = await postChecklist(b.bot.deps, def, { kind: 'on_demand', periodKey: `bench:${r}` });
    if (res.kind !== 'posted') throw new Error('could not post');
    const msg = JSON.parse(await ask(`message ${res.channel} ${res.ts}`, 'SLACK_MESSAGE')) as { blocks: any[] };
    for (const blk of msg.blocks.filter((x) => x.type === 'actions')) items.push({ value: blk.elements[0].value, channel: res.channel, ts: res.ts });
  }
  // The parent asks for stand-in figures (e.g. when a checklist was posted) on stdin.
  process.stdin.on('data', (line: string) => {
    if (line.trim() === 'posts') void ask('posts', 'SLACK_POSTS').then((posts) => process.stdout.write(`BENCH_POSTS ${posts}\n`));
    if (line.trim() === 'idle') void b.bot.idle().then(() => process.stdout.write('BENCH_IDLE {}\n'));
    if (line.trim() === 'views') void ask('views', 'SLACK_VIEWS').then((v) => process.stdout.write(`BENCH_VIEWS ${v}\n`));
  });
  // BENCH_CPU_PROF=<dir>: a CPU profile of the bot under test (open it in Chrome DevTools).
  const profiling = process.env.BENCH_CPU_PROF ? await startProfile() : undefined;
  process.stdout.write(`BENCH_READY ${JSON.stringify({ url: b.bot.url, responseBase: slack.ready.responseBase, items, pid: process.pid })}\n`);
  process.once(
    'SIGTERM',
    () =>
      void (async () => {
        if (profiling) writeFileSync(join(process.env.BENCH_CPU_PROF!, `${target}-${process.pid}.cpuprofile`), JSON.stringify(await profiling()));
        await b.close();
        await slack.stop();
        process.exit(0);
      })(),
  );
}

/** Starts the inspector's sampling profiler; the returned function stops it and gives the profile. */
async function startProfile(): Promise<() => Promise<unknown>> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  return async () => (await session.post('Profiler.stop')).profile;
}

void main();

/**
 * The system under test in its own process, so the load generator never shares its event loop:
 *   npx tsx bench/serve.ts bare|pglite|postgres [items] [probeMs] [hang]
 * prints `BENCH_READY {"url","responseBase","items":[…],"pid"}` and serves until SIGTERM.
 */
import { findChecklist } from '../src/checklists';
import { postChecklist } from '../src/flows/checklist';
import type { Probe, ProbeName } from '../src/probes';
import { startBareBolt } from './bare-bolt';
import { startBotUnderTest } from './bot-under-test';
import { SlackStandin } from '../test/support/slack-standin';

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
            if (hang && name === 'health') return signal.addEventListener('abort', () => resolve({ status: 'unknown', summary: 'timed out', evidence: {} }), { once: true });
            setTimeout(() => resolve({ status: 'ok', summary: 'ok', evidence: {} }), ms);
          }),
      } satisfies Probe,
    ]),
  ) as Record<ProbeName, Probe>;
}

async function main() {
  const [target = 'pglite', itemsArg = '0', probeMsArg = '0', hang] = process.argv.slice(2);
  if (target === 'bare') {
    const bare = await startBareBolt();
    const slack = await new SlackStandin().start();
    process.stdout.write(`BENCH_READY ${JSON.stringify({ url: bare.url, responseBase: slack.responseUrl(''), items: Array.from({ length: Number(itemsArg) }, (_, i) => ({ value: `1|item-${i}`, channel: 'COPS', ts: '1.000001' })), pid: process.pid })}\n`);
    process.once('SIGTERM', () => void bare.close().then(() => process.exit(0)));
    return;
  }
  const b = await startBotUnderTest(target as 'pglite' | 'postgres', benchProbes(Number(probeMsArg), hang === 'hang'));
  const def = findChecklist(b.bot.deps.config.checklists, 'morning')!;
  const items: { value: string; channel: string; ts: string }[] = [];
  for (let r = 0; items.length < Number(itemsArg); r += 1) {
    const res = await postChecklist(b.bot.deps, def, { kind: 'on_demand', periodKey: `bench:${r}` });
    if (res.kind !== 'posted') throw new Error('could not post');
    const msg = b.slack.findMessage(res.channel, res.ts)!;
    for (const blk of msg.blocks!.filter((x: any) => x.type === 'actions')) items.push({ value: blk.elements[0].value, channel: res.channel, ts: res.ts });
  }
  // The parent asks for stand-in figures (e.g. when a checklist was posted) on stdin.
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (line: string) => {
    if (line.trim() === 'posts') process.stdout.write(`BENCH_POSTS ${JSON.stringify(b.slack.callsOf('chat.postMessage').map((c) => c.at))}\n`);
  });
  process.stdout.write(`BENCH_READY ${JSON.stringify({ url: b.bot.url, responseBase: b.slack.responseUrl(''), items, pid: process.pid })}\n`);
  process.once('SIGTERM', () => void b.close().then(() => process.exit(0)));
}

void main();

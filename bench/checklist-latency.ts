/**
 * Checklist latency: `/ops morning` to the chat.postMessage that carries it, with seven probes
 * answering in 200 ms each, and with one of them hanging (cut by the probe timeout, 5 s by
 * default). The bot runs in its own process; times are taken from the Slack stand-in's record.
 *   npx tsx bench/checklist-latency.ts pglite|postgres
 */
import { randomUUID } from 'node:crypto';
import { serve } from './child';
import { emit, postSignedForm, stats } from './lib';

const RUNS = 8;

async function measure(target: string, hang: boolean) {
  const sut = await serve([target, '0', '200', ...(hang ? ['hang'] : [])]);
  const ms: number[] = [];
  try {
    for (let i = 0; i < RUNS; i += 1) {
      const t0 = Date.now();
      const res = await postSignedForm(sut.url, {
        command: '/ops',
        text: 'morning',
        user_id: 'UALICE',
        channel_id: 'COPS',
        team_id: 'T0DRAIN',
        response_url: `${sut.responseBase}${randomUUID()}`,
        trigger_id: `trigger-${randomUUID()}`,
      });
      if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
      for (let tries = 0; ; tries += 1) {
        sut.child.stdin!.write('posts\n');
        const posts = JSON.parse(await sut.line('BENCH_POSTS')) as number[];
        if (posts.length > i) {
          ms.push(posts[i]! - t0);
          break;
        }
        if (tries > 400) throw new Error('checklist never posted');
        await new Promise((r) => setTimeout(r, 25));
      }
    }
  } finally {
    await sut.stop();
  }
  return stats(ms);
}

async function main() {
  const target = process.argv[2] ?? 'pglite';
  emit({ target, sevenProbes200ms: await measure(target, false), oneHangingProbe: await measure(target, true) });
}

void main();

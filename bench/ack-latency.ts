/**
 * Ack latency: N concurrent signed requests over loopback, time to the HTTP reply (the ack).
 * The system under test runs in its own child process (bench/serve.ts), one per target, so the
 * load generator never shares its event loop:  npx tsx bench/ack-latency.ts pglite|postgres|bare
 */
import { randomUUID } from 'node:crypto';
import { ActionIds } from '../blocks/ids';
import { serve } from './child';
import { emit, postSignedForm, stats, type Stats } from './lib';

interface Ctx {
  responseBase: string;
  /** A fresh, never-clicked checklist item each call (clicks write to the database). */
  nextItem(): { value: string; channel: string; ts: string };
}

const slash = (c: Ctx, text: string, command = '/ops') => ({
  token: 'x',
  team_id: 'T0DRAIN',
  channel_id: 'COPS',
  user_id: 'UALICE',
  command,
  text,
  api_app_id: 'A0DRAINPRO',
  response_url: `${c.responseBase}${randomUUID()}`,
  trigger_id: `trigger-${randomUUID()}`,
});
const click = (c: Ctx, actionId: string) => {
  const i = c.nextItem();
  return {
    payload: JSON.stringify({
      type: 'block_actions',
      user: { id: 'UBOB', name: 'bob', team_id: 'T0DRAIN' },
      api_app_id: 'A0DRAINPRO',
      team: { id: 'T0DRAIN', domain: 'drainpro' },
      container: { type: 'message', message_ts: i.ts, channel_id: i.channel },
      channel: { id: i.channel, name: 'ops' },
      message: { type: 'message', ts: i.ts, text: '' },
      trigger_id: `trigger-${randomUUID()}`,
      response_url: `${c.responseBase}${randomUUID()}`,
      actions: [
        {
          action_id: actionId,
          block_id: 'b',
          type: 'button',
          value: i.value,
          action_ts: `${Date.now() / 1000}${Math.random().toString().slice(2, 8)}`,
          text: { type: 'plain_text', text: 'Done' },
        },
      ],
    }),
  };
};

/** One line per scenario. `BENCH_SCENARIOS=button,status` keeps those whose name contains a word. */
const ALL_SCENARIOS: { name: string; form: (ctx: Ctx) => Record<string, string>; opensModal?: boolean }[] = [
  { name: '/ops help', form: (c) => slash(c, 'help') },
  { name: '/ops status', form: (c) => slash(c, 'status') },
  { name: '/incident list', form: (c) => slash(c, 'list', '/incident') },
  { name: '/ops probe health (ack)', form: (c) => slash(c, 'probe health') },
  { name: 'button: Done', form: (c) => click(c, ActionIds.itemDone) },
  { name: '/incident p3 (declare)', form: (c) => slash(c, 'p3 bench declaration', '/incident') },
  // Trigger → views.open is measured too (a trigger id lives 3 s): the declare form.
  { name: '/incident (form)', form: (c) => slash(c, '', '/incident'), opensModal: true },
];
const only = (process.env.BENCH_SCENARIOS ?? '')
  .split(',')
  .map((w) => w.trim())
  .filter(Boolean);
export const SCENARIOS = only.length ? ALL_SCENARIOS.filter((s) => only.some((w) => s.name.includes(w))) : ALL_SCENARIOS;

export const CONCURRENCY = [50, 200];
/** Bursts per level: enough samples for a p99 without making the bench slow on 2 cores. */
const ROUNDS: Record<number, number> = { 50: 6, 200: 3 };
const WARMUP = 20;

async function main() {
  const target = process.argv[2] ?? 'pglite';
  const clicks = SCENARIOS.filter((s) => s.name.startsWith('button')).length;
  const needed = clicks * (CONCURRENCY.reduce((s, c) => s + c * (ROUNDS[c] ?? 1), 0) + WARMUP) + 10;
  const sut = await serve([target, String(needed)]);
  let n = 0;
  const ctx: Ctx = { responseBase: sut.responseBase, nextItem: () => sut.items[n++]! };
  const results: { scenario: string; concurrency: number; stats: Stats; opened?: Stats }[] = [];
  /** Real time each trigger id was sent, to time its views.open as the Slack stand-in saw it. */
  const sentAt = new Map<string, number>();
  const views = async (): Promise<{ trigger: string; at: number }[]> => {
    const answer = sut.line('BENCH_VIEWS', 10_000);
    sut.child.stdin!.write('views\n');
    return JSON.parse(await answer) as { trigger: string; at: number }[];
  };
  try {
    for (const s of SCENARIOS) for (let i = 0; i < WARMUP; i += 1) await postSignedForm(sut.url, s.form(ctx));
    for (const s of SCENARIOS) {
      for (const c of CONCURRENCY) {
        const ms: number[] = [];
        const opened: number[] = [];
        let errors = 0;
        for (let round = 0; round < (ROUNDS[c] ?? 1); round += 1) {
          const forms = Array.from({ length: c }, () => s.form(ctx));
          const res = await Promise.all(
            forms.map((f) => {
              sentAt.set(f.trigger_id ?? '', Date.now());
              return postSignedForm(sut.url, f);
            }),
          );
          for (const r of res) {
            ms.push(r.ms);
            if (r.status !== 200) errors += 1;
          }
          // Each burst alone: wait until the work after its acks (DB, Slack calls, response_url)
          // has finished, so a burst is not measured on top of the previous one's backlog.
          const idle = sut.line('BENCH_IDLE', 60_000);
          sut.child.stdin!.write('idle\n');
          await idle;
          await new Promise((r) => setTimeout(r, 100));
          if (s.opensModal) {
            const mine = new Set(forms.map((f) => f.trigger_id));
            const seen = (await views()).filter((v) => mine.has(v.trigger));
            for (const v of seen) opened.push(v.at - sentAt.get(v.trigger)!);
            errors += forms.length - seen.length; // a form that never opened counts as a failure
          }
        }
        results.push({ scenario: s.name, concurrency: c, stats: stats(ms, errors), ...(s.opensModal ? { opened: stats(opened) } : {}) });
      }
    }
  } finally {
    await sut.stop();
  }
  emit({ target, results });
}

void main();

/**
 * Ack latency: N concurrent signed requests over loopback, time to the HTTP reply (the ack).
 * The system under test runs in its own child process (bench/serve.ts), one per target, so the
 * load generator never shares its event loop:  npx tsx bench/ack-latency.ts bare pglite postgres
 * Every target named is up at once and the bursts alternate between them (the order rotates each
 * round), so a drift of the machine's speed during the run (the floor moves 2–4 × between runs on
 * two shared cores) weighs on every target alike instead of on whichever ran at the time.
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
const ROUNDS: Record<number, number> = { 50: 6, 200: 4 };
const WARMUP = 20;

interface Target {
  name: string;
  sut: Awaited<ReturnType<typeof serve>>;
  ctx: Ctx;
  ms: number[];
  opened: number[];
  errors: number;
}

/** Every target's server at once; each burst goes to one target at a time, in an order that rotates. */
async function main() {
  const names = process.argv.slice(2).length ? process.argv.slice(2) : ['pglite'];
  const clicks = SCENARIOS.filter((s) => s.name.startsWith('button')).length;
  const needed = clicks * (CONCURRENCY.reduce((s, c) => s + c * ((ROUNDS[c] ?? 1) + 1), 0) + WARMUP) + 10;
  const targets: Target[] = [];
  /** Real time each trigger id was sent, to time its views.open as the Slack stand-in saw it. */
  const sentAt = new Map<string, number>();
  const results = new Map<string, { scenario: string; concurrency: number; stats: Stats; opened?: Stats }[]>(names.map((n) => [n, []]));
  try {
    for (const name of names) {
      const sut = await serve([name, String(needed)]);
      let n = 0;
      targets.push({ name, sut, ctx: { responseBase: sut.responseBase, nextItem: () => sut.items[n++]! }, ms: [], opened: [], errors: 0 });
    }
    for (const t of targets) for (const s of SCENARIOS) for (let i = 0; i < WARMUP; i += 1) await postSignedForm(t.sut.url, s.form(t.ctx));
    // The warm-up's own work after its acks (declarations announced, items updated) must be over
    // too: measured on top of it, PGlite's first burst took 5–10 × its others.
    for (const t of targets) await idle(t);
    for (const s of SCENARIOS) {
      for (const c of CONCURRENCY) {
        // One burst each, not counted: the first burst of a size opens that many new connections
        // (the client keeps them ~4 s), and in every target that was the slowest burst of its
        // scenario by up to 2–3 × (BENCHMARKS.md, ack latency); the counted bursts reuse them.
        for (const t of targets) await burst(t, s, c, sentAt, ' (not counted: new connections)');
        for (const t of targets) Object.assign(t, { ms: [], opened: [], errors: 0 });
        for (let round = 0; round < (ROUNDS[c] ?? 1); round += 1) {
          for (let k = 0; k < targets.length; k += 1) await burst(targets[(round + k) % targets.length]!, s, c, sentAt);
        }
        for (const t of targets)
          results.get(t.name)!.push({ scenario: s.name, concurrency: c, stats: stats(t.ms, t.errors), ...(s.opensModal ? { opened: stats(t.opened) } : {}) });
      }
    }
  } finally {
    for (const t of targets) await t.sut.stop();
  }
  for (const name of names) emit({ target: name, results: results.get(name) });
}

/** One burst of `c` concurrent requests to one target, measured alone: it returns once the work after the acks is done. */
async function burst(t: Target, s: (typeof SCENARIOS)[number], c: number, sentAt: Map<string, number>, note = ''): Promise<void> {
  const forms = Array.from({ length: c }, () => s.form(t.ctx));
  const res = await Promise.all(
    forms.map((f) => {
      sentAt.set(f.trigger_id ?? '', Date.now());
      return postSignedForm(t.sut.url, f);
    }),
  );
  for (const r of res) {
    t.ms.push(r.ms);
    if (r.status !== 200) t.errors += 1;
  }
  if (process.env.BENCH_PER_BURST) process.stderr.write(`burst ${t.name} ${s.name} ${c}: max ${Math.round(Math.max(...res.map((r) => r.ms)))} ms${note}\n`);
  // Wait until the work after the acks (DB, Slack calls, response_url) has finished, so no burst is
  // measured on top of another's backlog.
  await idle(t);
  if (s.opensModal) {
    const answer = t.sut.line('BENCH_VIEWS', 10_000);
    t.sut.child.stdin!.write('views\n');
    const mine = new Set(forms.map((f) => f.trigger_id));
    const seen = (JSON.parse(await answer) as { trigger: string; at: number }[]).filter((v) => mine.has(v.trigger));
    for (const v of seen) t.opened.push(v.at - sentAt.get(v.trigger)!);
    t.errors += forms.length - seen.length; // a form that never opened counts as a failure
  }
}

/** Until the work after the target's acks (DB, Slack calls, response_url) has finished. */
async function idle(t: Target): Promise<void> {
  const idle = t.sut.line('BENCH_IDLE', 60_000);
  t.sut.child.stdin!.write('idle\n');
  await idle;
  await new Promise((r) => setTimeout(r, 100));
}

void main();

import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { run as runEscalation } from '../../jobs/escalation';
import { checklistRuns, incidents, outbox } from '../../src/db/schema';
import { redeliverRuns } from '../../src/runs/flow';
import { declareIncident } from '../../src/incidents/flows';
import { deliverOutbox, enqueue, pendingOutboxCount } from '../../src/outbox';
import { FakeClock } from '../support/harness';
import { expectNoSecrets, fakeProbes, startFaultBot, type FaultBot } from './support';
import { mrkdwn } from '../../blocks/format';

/**
 * Slack misbehaves: 429 with Retry-After, 500s and stalls longer than the client's timeout, for a
 * while. Every message still arrives once, in order per channel, and the ack path never waits.
 * Time is the injected clock: nothing sleeps through a backoff.
 */
let t: FaultBot;
const clock = new FakeClock(new Date('2026-03-02T14:00:00Z'));
beforeAll(async () => {
  t = await startFaultBot({ clock, probes: fakeProbes(0), slackTimeoutMs: 400 });
});
afterAll(async () => {
  expectNoSecrets(t.logs);
  expect(t.slack.problems).toEqual([]);
  await t.close();
});

function dumpOnFailure() {
  const from = t.logs.length;
  onTestFailed(() =>
    console.log(
      t.logs
        .slice(from)
        .filter((l) => !l.includes('"level":20'))
        .join(''),
    ),
  );
}

async function unpostedRuns() {
  return (await t.database.db.select().from(checklistRuns)).filter((r) => r.messageTs === null);
}

describe('fault: Slack misbehaves', () => {
  it('outbox: 429s, 500s and timeouts for a while, then every message once, in order per channel', async () => {
    const deps = t.bot.deps;
    const start = clock.now();
    const channels = ['incidents', 'ops', 'leads'];
    for (let n = 0; n < 30; n += 1) await enqueue(deps.db, { channel: channels[n % 3]!, text: mrkdwn`msg ${n}`, ref: `fault:${n}` }, start);
    // A bad spell: rate limits, server errors and stalls past the 400 ms client timeout (the
    // stall ends in a 503, i.e. Slack did not take the message: see BENCHMARKS.md for the
    // ambiguous case where it did).
    t.slack.fault({ method: 'chat.postMessage', status: 429, retryAfter: 1, times: 3 });
    t.slack.fault({ method: 'chat.postMessage', status: 500, times: 4 });
    t.slack.fault({ method: 'chat.postMessage', delayMs: 700, status: 503, times: 2 });
    let now = start;
    for (let pass = 0; pass < 40 && (await pendingOutboxCount(deps.db)) > 0; pass += 1) {
      await deliverOutbox(deps, now);
      now = new Date(now.getTime() + 60_000);
    }
    expect(await pendingOutboxCount(deps.db)).toBe(0);
    for (const c of channels) {
      const texts = t.slack.channelMessages(c).map((m) => m.text);
      const expected = Array.from({ length: 30 }, (_, n) => n)
        .filter((n) => channels[n % 3] === c)
        .map((n) => `msg ${n}`);
      expect(texts).toEqual(expected);
    }
    expect(t.slack.callsOf('chat.postMessage').length).toBe(30 + 3 + 4 + 2);
  });

  it('/ops morning while chat.postMessage fails: the run is kept and the delivery sweep posts it once', async () => {
    dumpOnFailure();
    const posts = t.slack.messages.length;
    t.slack.fault({ method: 'chat.postMessage', status: 500, times: 1 });
    const res = await t.slash('morning');
    expect(res.status).toBe(200);
    await t.slack.waitFor(() => t.slack.responses.some((r) => /is saved, but Slack did not take it yet/.test(JSON.stringify(r.body))));
    const [run] = await unpostedRuns();
    expect(run).toBeDefined();
    // Still leased to the request (and too young) right after the failure: the sweep leaves it.
    expect(await redeliverRuns(t.bot.deps, clock.now())).toEqual({ posted: [], failed: [] });
    // Slack is still down at the first sweep: the lease is renewed, nothing posted.
    t.slack.fault({ method: 'chat.postMessage', status: 503, times: 1 });
    clock.advance(61_000);
    expect(await redeliverRuns(t.bot.deps, clock.now())).toEqual({ posted: [], failed: [run!.id] });
    clock.advance(31_000);
    // Two replicas sweep at once: one posts, the other finds the run claimed.
    const [a, b] = await Promise.all([redeliverRuns(t.bot.deps, clock.now()), redeliverRuns(t.bot.deps, clock.now())]);
    expect([...a.posted, ...b.posted]).toEqual([run!.id]);
    expect(t.slack.messages.length).toBe(posts + 1);
    const [after] = await t.database.db.select().from(checklistRuns).where(eq(checklistRuns.id, run!.id));
    expect(after!.messageTs).toBe(t.slack.messages.at(-1)!.ts);
    clock.advance(600_000);
    expect(await redeliverRuns(t.bot.deps, clock.now())).toEqual({ posted: [], failed: [] });
    expect(t.slack.messages.length).toBe(posts + 1);
  });

  it('a run whose creator died mid-post (lease never released) is posted after the lease expires', async () => {
    const deps = t.bot.deps;
    dumpOnFailure();
    const replies = t.slack.responses.length;
    t.slack.fault({ method: 'chat.postMessage', delayMs: 600, status: 503, times: 1 });
    await t.slash('morning');
    // The failed post has been reported to the user (so its lease handling is done).
    await t.slack.waitFor(async () => t.slack.responses.length > replies && (await unpostedRuns()).length === 1, 5000);
    // Simulate a crash: the lease the request took is still live for 5 minutes…
    const [run] = await unpostedRuns();
    await t.database.db
      .update(checklistRuns)
      .set({ deliveryLeaseUntil: new Date(clock.now().getTime() + 300_000) })
      .where(eq(checklistRuns.id, run!.id));
    clock.advance(120_000);
    expect((await redeliverRuns(deps, clock.now())).posted).toEqual([]);
    clock.advance(200_000);
    expect((await redeliverRuns(deps, clock.now())).posted).toEqual([run!.id]);
  });

  it('stalls after which Slack took the message anyway: every page, checklist, announcement and channel still once', async () => {
    dumpOnFailure();
    const deps = t.bot.deps;
    const lookups = () =>
      t.slack.calls.filter((c) => ['conversations.history', 'conversations.replies', 'conversations.open', 'conversations.list'].includes(c.method)).length;
    const stored = t.slack.messages.length;
    const before = lookups();

    // The usual send costs no look-up.
    await enqueue(deps.db, { channel: 'calm', text: mrkdwn`calm`, ref: 'calm' }, clock.now());
    expect(await deliverOutbox(deps, clock.now())).toEqual({ delivered: 1, failed: 0 });
    expect(lookups()).toBe(before);

    // Outbox: a channel by name, a DM to a person, a reply in a thread. Each first send stalls
    // past the client's 400 ms timeout, then Slack stores it: the bot saw a failure.
    const parent = t.slack.channelMessages('calm')[0]!;
    const sends = [
      { channel: 'ambiguous', text: mrkdwn`to a channel`, ref: 'amb:1' },
      { channel: 'UOPS', text: mrkdwn`to a person`, ref: 'amb:2' },
      { channel: 'calm', threadTs: parent.ts, text: mrkdwn`in a thread`, ref: 'amb:3' },
    ];
    for (const m of sends) await enqueue(deps.db, m, clock.now());
    t.slack.fault({ method: 'chat.postMessage', delayMs: 700, times: 3 });
    expect(await deliverOutbox(deps, clock.now())).toEqual({ delivered: 0, failed: 3 });
    await t.slack.waitFor(() => t.slack.messages.length === stored + 1 + 3, 5000);
    clock.advance(60_000);
    expect(await deliverOutbox(deps, clock.now())).toEqual({ delivered: 3, failed: 0 });
    const rows = await t.database.db.select().from(outbox);
    for (const m of sends) {
      const copies = t.slack.messages.filter((x) => x.text === m.text);
      expect(copies, m.text).toHaveLength(1);
      expect(rows.find((r) => r.ref === m.ref)!.deliveredTs).toBe(copies[0]!.ts);
    }
    expect(t.slack.callsOf('chat.postMessage').filter((c) => sends.some((m) => m.text === c.args.text))).toHaveLength(3);

    // A checklist: its post stalls and lands; the delivery sweep adopts it instead of posting again.
    t.slack.fault({ method: 'chat.postMessage', delayMs: 700, times: 1 });
    await t.slash('evening');
    await t.slack.waitFor(async () => (await unpostedRuns()).length === 1 && t.slack.messages.some((m) => m.text.startsWith('Evening')), 5000);
    const [run] = await unpostedRuns();
    clock.advance(400_000);
    expect(await redeliverRuns(deps, clock.now())).toEqual({ posted: [run!.id], failed: [] });
    const evening = t.slack.messages.filter((m) => m.text.startsWith('Evening'));
    expect(evening).toHaveLength(1);
    const [after] = await t.database.db.select().from(checklistRuns).where(eq(checklistRuns.id, run!.id));
    expect(after!.messageTs).toBe(evening[0]!.ts);

    // An incident: the announcement and the channel's creation both stall and land.
    t.slack.fault({ method: 'chat.postMessage', delayMs: 700, times: 1 });
    const { incident } = await declareIncident(deps, {
      severity: 'p1',
      summary: 'Stalled Slack',
      declaredBy: 'UOPS',
      source: 'slash',
      dedupeKey: 'amb:incident',
    });
    await t.slack.waitFor(() => t.slack.messages.some((m) => m.text.includes(`incident #${incident.id}:`)), 5000);
    t.slack.fault({ method: 'conversations.create', delayMs: 700, times: 1 });
    clock.advance(60_000);
    await runEscalation(deps, clock.now());
    await t.slack.waitFor(() => [...t.slack.channels.values()].some((c) => c.name.includes(`-${incident.id}-stalled-slack`)), 5000);
    clock.advance(60_000);
    await runEscalation(deps, clock.now());
    const [inc] = await t.database.db.select().from(incidents).where(eq(incidents.id, incident.id));
    const announced = t.slack.channelMessages('incidents').filter((m) => !m.thread_ts && m.text.includes(`incident #${incident.id}:`));
    expect(announced).toHaveLength(1);
    expect(inc!.messageTs).toBe(announced[0]!.ts);
    const made = [...t.slack.channels.values()].filter((c) => c.name.includes(`-${incident.id}-stalled-slack`));
    expect(made.map((c) => c.id)).toEqual([inc!.incidentChannel]);
    // The intro and the pinned control message, each once.
    const inChannel = t.slack.channelMessages(inc!.incidentChannel!);
    expect(inChannel).toHaveLength(2);
    expect(inChannel[1]!.ts).toBe(inc!.controlTs);
    // Its pages and timeline go out as usual.
    for (let pass = 0; pass < 5 && (await pendingOutboxCount(deps.db)) > 0; pass += 1) await deliverOutbox(deps, clock.now());
    expect(await pendingOutboxCount(deps.db)).toBe(0);
  });

  it('when Slack cannot be asked whether an earlier attempt landed, the message is sent again rather than lost', async () => {
    dumpOnFailure();
    const deps = t.bot.deps;
    await enqueue(deps.db, { channel: 'noscope', text: mrkdwn`must arrive`, ref: 'noscope:1' }, clock.now());
    t.slack.fault({ method: 'chat.postMessage', delayMs: 700, times: 1 });
    expect(await deliverOutbox(deps, clock.now())).toEqual({ delivered: 0, failed: 1 });
    await t.slack.waitFor(() => t.slack.channelMessages('noscope').length === 1, 5000);
    t.slack.fault({ method: 'conversations.list', error: 'missing_scope', times: 1 });
    clock.advance(60_000);
    expect(await deliverOutbox(deps, clock.now())).toEqual({ delivered: 1, failed: 0 });
    expect(t.slack.channelMessages('noscope').map((m) => m.text)).toEqual(['must arrive', 'must arrive']);
    expect(t.logs.some((l) => l.includes('could not look for an earlier attempt'))).toBe(true);
  });

  it('the ack path never waits for Slack: /ops morning acks fast while chat.postMessage stalls 5 s', async () => {
    t.slack.fault({ method: 'chat.postMessage', delayMs: 5000, times: 1 });
    const started = Date.now();
    const res = await t.slash('morning');
    expect(res.status).toBe(200);
    expect(res.json.text).toContain('Morning Checklist');
    // Behaviour, not performance: far under Slack's 3 s even on a loaded CI box.
    expect(Date.now() - started).toBeLessThan(2500);
    // The stalled post times out (client timeout 400 ms); the run waits for the sweep.
    await t.slack.waitFor(async () => (await unpostedRuns()).length === 1, 8000);
  });

  it('Slack down when the bot starts (auth.test fails): no crash, and commands are served once it answers', async () => {
    const other = await startFaultBot({ probes: fakeProbes(0), beforeStart: (s) => s.fault({ method: 'auth.test', status: 500, times: 5 }) });
    try {
      const res = await other.slash('help');
      expect(res.status).toBe(200);
      expect(res.json.text).toContain('/ops');
      const morning = await other.slash('morning');
      expect(morning.json.text).toContain('Morning Checklist');
      await other.slack.waitFor(() => other.slack.messages.length === 1, 5000);
      expectNoSecrets(other.logs);
    } finally {
      await other.close();
    }
  });
});

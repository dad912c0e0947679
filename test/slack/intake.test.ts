import { randomUUID } from 'node:crypto';
import { eq, isNull } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { IncidentIds, incidentRef } from '../../blocks/ids';
import { inboundRequests, incidentEvents, incidents } from '../../src/db/schema';
import { IntakeStore, intakeKey } from '../../src/slack/intake';
import { openTestDatabase, type TestDatabase } from '../support/db';
import { startTestBot, type TestBot } from '../support/harness';
import { slashCommand } from '../../sandbox/payloads';
import { postSigned } from '../support/slack-requests';

/**
 * Durable intake (src/slack/intake.ts) through the real receiver: a request Slack got its 200 for
 * is in the database already, and a process that dies before doing the work leaves it to be
 * replayed once. The kill -9 version of this is test/faults/intake-crash.test.ts.
 */

/** Follow-ups of this bot never get a turn: it acks and stores, and then does nothing, as if it died. */
const FROZEN = { quietMs: 3_600_000, maxWaitMs: 3_600_000 };

const open: TestBot[] = [];
afterEach(async () => {
  // The frozen bot first: stopping it runs its held work, which must find everything done.
  for (const t of open.splice(0).reverse()) await t.close({ keepDatabase: true });
});

async function pair(database: TestDatabase): Promise<{ dead: TestBot; next: TestBot }> {
  const dead = await startTestBot({ database, afterAck: FROZEN });
  const next = await startTestBot({ database });
  open.push(next, dead);
  return { dead, next };
}

const stored = (t: TestBot) => t.database.db.select().from(inboundRequests);

describe('durable intake', () => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.destroy();
    database = undefined;
  });

  it('an acknowledged declaration is stored before its ack and, its processor dead, declared once by the next one, which tells the person', async () => {
    database = await openTestDatabase();
    const { dead, next } = await pair(database);
    const trigger = `trigger-${randomUUID()}`;
    const res = await dead.slash('/incident', 'p1 lost after the ack', { triggerId: trigger, userId: 'UOPS1' });
    expect(res.status).toBe(200);
    // The ack has left: the request is stored, its work not done.
    const rows = await stored(dead);
    expect(rows.map((r) => ({ key: r.key, kind: r.kind, done: Boolean(r.doneAt) }))).toEqual([{ key: `command:${trigger}`, kind: 'command', done: false }]);
    expect(JSON.parse(rows[0]!.payload).text).toBe('p1 lost after the ack');
    expect(await database.db.select().from(incidents)).toHaveLength(0);

    // The next process replays it (as a PGlite start does; PostgreSQL replicas wait for the lease).
    expect(await next.bot.recoverIntake(true)).toBe(1);
    await next.settle();
    const made = await database.db.select().from(incidents);
    expect(made.map((i) => ({ key: i.dedupeKey, summary: i.summary, by: i.declaredBy }))).toEqual([
      { key: `trigger:${trigger}`, summary: 'lost after the ack', by: 'UOPS1' },
    ]);
    expect(next.slack.channelMessages('incidents').filter((m) => m.text.includes(`#${made[0]!.id}`))).toHaveLength(1);
    // The person hears of it on the response_url Slack gave the first request.
    expect(JSON.stringify(dead.slack.responses.map((r) => r.body))).toContain(`#${made[0]!.id}`);
    const [row] = await stored(next);
    expect(row!.doneAt).not.toBeNull();
    expect(row!.attempts).toBe(2);
    // Nothing left to replay; a second sweep does nothing.
    expect(await next.bot.recoverIntake(true)).toBe(0);
    expect(await database.db.select().from(incidents)).toHaveLength(1);
  });

  it('a replay whose response_url has expired tells the person by DM', async () => {
    database = await openTestDatabase();
    const { dead, next } = await pair(database);
    const responseId = randomUUID();
    dead.slack.expireResponseUrl(responseId);
    const body = slashCommand({ command: '/incident', text: 'p2 told by DM', userId: 'UOPS1', responseUrl: dead.slack.responseUrl(responseId) });
    expect((await postSigned(dead.bot.url, body)).status).toBe(200);
    expect(await next.bot.recoverIntake(true)).toBe(1);
    await next.settle();
    const [inc] = await database.db.select().from(incidents);
    expect(inc?.summary).toBe('told by DM');
    const dms = next.slack.callsOf('chat.postMessage').filter((c) => c.args.channel === 'UOPS1');
    expect(dms.map((c) => String(c.args.text))).toEqual([expect.stringContaining(`#${inc!.id}`)]);
  });

  it('a Slack retry of a stored request is answered and not acted on again', async () => {
    database = await openTestDatabase();
    const t = await startTestBot({ database });
    open.push(t);
    const body = slashCommand({ command: '/incident', text: 'p2 sent twice', userId: 'UOPS1', responseUrl: t.slack.responseUrl(randomUUID()) });
    expect((await postSigned(t.bot.url, body)).status).toBe(200);
    await t.settle();
    const retry = await postSigned(t.bot.url, body, { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } });
    expect(retry.status).toBe(200);
    await t.settle();
    expect(await database.db.select().from(incidents)).toHaveLength(1);
    expect(t.slack.channelMessages('incidents')).toHaveLength(1);
    expect(t.logs.some((l) => l.includes('request already received'))).toBe(true);
    const rows = await stored(t);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.doneAt).not.toBeNull();
  });

  it('a row whose processor died is left alone while its lease runs, then claimed by one sweep only', async () => {
    database = await openTestDatabase();
    const { dead, next } = await pair(database);
    await dead.slash('/incident', 'p3 held by a lease', { userId: 'UOPS1' });
    // The dead process still holds the lease: an ordinary sweep (a PostgreSQL replica) waits.
    expect(await next.bot.recoverIntake()).toBe(0);
    const [row] = await stored(next);
    await database.db
      .update(inboundRequests)
      .set({ leaseUntil: new Date(Date.now() - 1) })
      .where(eq(inboundRequests.id, row!.id));
    const claims = await Promise.all([next.bot.recoverIntake(), next.bot.recoverIntake()]);
    expect(claims.sort()).toEqual([0, 1]);
    await next.settle();
    expect((await database.db.select().from(incidents)).map((i) => i.summary)).toEqual(['held by a lease']);
  });
});

describe('a replay that finds its own effect', () => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.destroy();
    database = undefined;
  });

  it('an Escalate now whose processor died after escalating escalates nothing more and tells the person what their click did', async () => {
    database = await openTestDatabase();
    const config = { roles: { 'ops-team': { name: 'Operations team', members: ['UOPS1'] }, 'tech-lead': { name: 'Technical Lead', members: ['UTECH'] } } };
    const t = await startTestBot({ database, config });
    open.push(t);
    await t.slash('/incident', 'p2 replayed click', { userId: 'UOPS1' });
    await t.settle();
    const [inc] = await database.db.select().from(incidents);
    const msg = t.slack.channelMessages('incidents').find((m) => !m.thread_ts)!;
    await t.click({ actionId: IncidentIds.escalate, value: incidentRef(inc!.id, 0), channelId: msg.channel, messageTs: msg.ts, userId: 'UOPS1' });
    await t.settle();
    const escalations = async () => (await database!.db.select().from(incidentEvents)).filter((e) => e.kind === 'escalated');
    expect((await escalations()).map((e) => [e.level, e.userId])).toEqual([[1, 'UOPS1']]);
    // As if the process died after the escalation committed but before its row was marked done.
    const click = (await stored(t)).find((r) => r.kind === 'block_actions')!;
    await database.db
      .update(inboundRequests)
      .set({ doneAt: null, leaseUntil: new Date(Date.now() - 1) })
      .where(eq(inboundRequests.id, click.id));
    const answers = t.slack.responses.length;
    expect(await t.bot.recoverIntake()).toBe(1);
    await t.settle();
    expect((await escalations()).map((e) => [e.level, e.userId])).toEqual([[1, 'UOPS1']]);
    const reply = JSON.stringify(t.slack.responses.slice(answers).map((r) => r.body));
    expect(reply).toContain(`You escalated incident #${inc!.id} to Technical Lead.`);
    expect(reply).not.toContain('nothing was changed');
  });
});

describe('done-marks during a burst', () => {
  it('wait until the burst is stored; after a quiet spell a done-mark goes at once', async () => {
    const database = await openTestDatabase();
    try {
      // The statements the store sends, seen on their way to the real database (nothing is replaced).
      const sent: { at: number; sql: string }[] = [];
      const db = new Proxy(database.db, {
        get(target, prop, receiver) {
          const value = Reflect.get(target, prop, receiver);
          if (prop !== 'execute') return value;
          return (q: { queryChunks?: unknown[] }) => {
            sent.push({ at: performance.now(), sql: JSON.stringify(q.queryChunks ?? q) });
            return value.call(target, q);
          };
        },
      });
      const store = new IntakeStore(db);
      const kind = (x: { sql: string }) => (x.sql.includes('insert into inbound_requests') ? 'insert' : x.sql.includes('done_at') ? 'done' : 'other');
      // A burst: six groups of five requests, a loop turn apart; each finishes as soon as it is stored, as `/ops help` does.
      const finished: Promise<void>[] = [];
      for (let g = 0; g < 6; g += 1) {
        for (let i = 0; i < 5; i += 1)
          finished.push(store.accept({ command: '/ops', text: 'help' }, 'command', `burst-${g}-${i}`).then((a) => (a.stored ? store.finish(a.id) : undefined)));
        await new Promise((r) => setImmediate(r));
      }
      await Promise.all(finished);
      const inserts = sent.filter((x) => kind(x) === 'insert');
      const dones = sent.filter((x) => kind(x) === 'done');
      expect(inserts.length).toBeGreaterThan(1);
      expect(dones.length).toBeGreaterThan(0);
      // Once the burst showed itself (the second insert), no done-mark went out until it was
      // over: each came a burst's gap (25 ms) after the insert before it. Marked per loop turn,
      // each followed its insert at once.
      const later = dones.filter((d) => d.at > inserts[1]!.at);
      expect(later.length).toBeGreaterThan(0);
      for (const d of later) {
        const lastInsert = inserts.filter((x) => x.at < d.at).at(-1)!;
        expect(d.at - lastInsert.at).toBeGreaterThanOrEqual(24);
      }
      expect(await database.db.select().from(inboundRequests).where(isNull(inboundRequests.doneAt))).toEqual([]);

      // A lone request after a quiet spell is marked done on the next turn, not after a wait.
      await new Promise((r) => setTimeout(r, 50));
      const lone = await store.accept({ command: '/ops', text: 'help' }, 'command', 'lone');
      if (!lone.stored) throw new Error('not stored');
      const t0 = performance.now();
      await store.finish(lone.id);
      // Typically 1–3 ms; the bound only catches a done-mark held long (up to the 1 s cap), with room for a loaded CI.
      expect(performance.now() - t0).toBeLessThan(200);
      expect(sent.filter((x) => kind(x) === 'done')).toHaveLength(dones.length + 1);
    } finally {
      await database.destroy();
    }
  });
});

describe('intake keys', () => {
  it('tell retries apart from new requests', () => {
    const cmd = { command: '/ops', text: 'morning', trigger_id: 't1' };
    expect(intakeKey(cmd)).toEqual({ kind: 'command', key: 'command:t1' });
    expect(intakeKey({ type: 'event_callback', event_id: 'Ev1', event: { type: 'app_home_opened' } })).toEqual({ kind: 'event_callback', key: 'event:Ev1' });
    const click = (ts: string) => ({
      type: 'block_actions',
      user: { id: 'U1' },
      trigger_id: `t${ts}`,
      actions: [{ action_id: 'a', action_ts: ts, type: 'button' }],
    });
    expect(intakeKey(click('1.1')).key).toBe(intakeKey({ ...click('1.1'), trigger_id: 'other' }).key);
    expect(intakeKey(click('1.1')).key).not.toBe(intakeKey(click('1.2')).key);
    const view = (typed: string) => ({
      type: 'view_submission',
      user: { id: 'U1' },
      view: { id: 'V1', hash: 'h', state: { values: { b: { i: { value: typed } } } } },
    });
    expect(intakeKey(view('a')).key).toBe(intakeKey(view('a')).key);
    expect(intakeKey(view('a')).key).not.toBe(intakeKey(view('b')).key);
    // Nothing to key on: never taken for a retry of something else.
    expect(intakeKey({ type: 'shortcut' }).key).not.toBe(intakeKey({ type: 'shortcut' }).key);
  });
});

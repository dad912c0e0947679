import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { outbox } from '../src/db/schema';
import { LEASE_MS } from '../src/lease';
import { deliverOutbox, enqueue, pendingOutboxCount } from '../src/outbox';
import { startTestBot, type TestBot } from './support/harness';
import { mrkdwn } from '../blocks/format';

let t: TestBot;
beforeAll(async () => {
  t = await startTestBot();
});
afterAll(() => t.close());

describe('outbox', () => {
  it('a permanent Slack error (not_in_channel) marks the row failed with the reason and never retries it', async () => {
    const deps = t.bot.deps;
    const now = new Date('2026-04-01T14:00:00Z');
    const id = await enqueue(deps.db, { channel: 'secret-room', text: mrkdwn`to a room without the bot`, ref: 'test:perm' }, now);
    const next = await enqueue(deps.db, { channel: 'secret-room', text: mrkdwn`after it`, ref: 'test:perm2' }, now);
    t.slack.fault({ method: 'chat.postMessage', channel: 'secret-room', error: 'not_in_channel', times: 1 });
    // The refused row fails for good; the next one to the same channel is not held back by it.
    expect(await deliverOutbox(deps, now)).toEqual({ delivered: 1, failed: 1 });
    const [row] = await deps.db.select().from(outbox).where(eq(outbox.id, id));
    expect(row).toMatchObject({ deliveredAt: null, attempts: 1, lastError: 'not_in_channel: I am not in #secret-room: `/invite @drainpro-ops` there.' });
    expect(row!.failedAt).toEqual(now);
    expect((await deps.db.select().from(outbox).where(eq(outbox.id, next)))[0]!.deliveredAt).toEqual(now);
    const calls = t.slack.callsOf('chat.postMessage').length;
    expect(await deliverOutbox(deps, new Date(now.getTime() + 86_400_000))).toEqual({ delivered: 0, failed: 0 });
    expect(t.slack.callsOf('chat.postMessage').length).toBe(calls);
    expect(await pendingOutboxCount(deps.db)).toBe(0);
    const line = t.logs.map((l) => JSON.parse(l)).find((l) => l.outboxId === id && l.level === 50);
    expect(line).toMatchObject({ slackError: 'not_in_channel', channel: 'secret-room' });
  });

  it('delivers once, in order per channel, retrying after Slack errors and rate limits', async () => {
    const deps = t.bot.deps;
    const now = new Date('2026-03-02T14:00:00Z');
    for (const n of [1, 2, 3]) await enqueue(deps.db, { channel: 'incidents', text: mrkdwn`page ${n}`, ref: `test:${n}` }, now);
    await enqueue(deps.db, { channel: 'ops', text: mrkdwn`other channel`, ref: 'test:ops' }, now);
    t.slack.fault({ method: 'chat.postMessage', status: 429, retryAfter: 1, times: 1 });
    // The first message of #incidents is rate-limited: the rest of #incidents waits, #ops goes.
    expect(await deliverOutbox(deps, now)).toEqual({ delivered: 1, failed: 1 });
    expect(t.slack.channelMessages('ops').map((m) => m.text)).toEqual(['other channel']);
    expect(t.slack.channelMessages('incidents')).toEqual([]);
    // Not yet due again (backoff).
    expect(await deliverOutbox(deps, new Date(now.getTime() + 1000))).toEqual({ delivered: 0, failed: 0 });
    t.slack.fault({ method: 'chat.postMessage', status: 500, times: 1 });
    expect(await deliverOutbox(deps, new Date(now.getTime() + 60_000))).toEqual({ delivered: 0, failed: 1 });
    expect(await deliverOutbox(deps, new Date(now.getTime() + 600_000))).toEqual({ delivered: 3, failed: 0 });
    expect(t.slack.channelMessages('incidents').map((m) => m.text)).toEqual(['page 1', 'page 2', 'page 3']);
    expect(await pendingOutboxCount(deps.db)).toBe(0);
    expect(await deliverOutbox(deps, new Date(now.getTime() + 900_000))).toEqual({ delivered: 0, failed: 0 });
    expect(t.slack.channelMessages('incidents')).toHaveLength(3);
  });

  it('holds no transaction while Slack answers; a second sender keeps off the channel until the first is done', async () => {
    const deps = t.bot.deps;
    const now = new Date('2026-03-03T14:00:00Z');
    for (const n of [1, 2]) await enqueue(deps.db, { channel: 'slow', text: mrkdwn`slow ${n}`, ref: `slow:${n}` }, now);
    t.slack.fault({ method: 'chat.postMessage', delayMs: 1500, times: 1 });
    const first = deliverOutbox(deps, now);
    await expect.poll(() => t.slack.callsOf('chat.postMessage').filter((c) => c.args.channel === 'slow').length, { timeout: 5000 }).toBe(1);
    // Slack has not answered yet, and the database still serves everyone else.
    expect(await pendingOutboxCount(deps.db)).toBe(2);
    expect(t.slack.channelMessages('slow')).toEqual([]);
    // Another replica's pass: the head of #slow is being sent, so #slow waits (no "slow 2" first).
    expect(await deliverOutbox(deps, now)).toEqual({ delivered: 0, failed: 0 });
    expect(await first).toEqual({ delivered: 2, failed: 0 });
    expect(t.slack.channelMessages('slow').map((m) => m.text)).toEqual(['slow 1', 'slow 2']);
  });

  it('takes over a message whose sender died, once its lease has run out', async () => {
    const deps = t.bot.deps;
    const now = new Date('2026-03-04T14:00:00Z');
    const id = await enqueue(deps.db, { channel: 'orphan', text: mrkdwn`orphaned`, ref: 'orphan:1' }, now);
    // As a sender killed mid-call leaves it.
    await deps.db
      .update(outbox)
      .set({ leaseUntil: new Date(now.getTime() + LEASE_MS) })
      .where(eq(outbox.id, id));
    expect(await deliverOutbox(deps, new Date(now.getTime() + 1000))).toEqual({ delivered: 0, failed: 0 });
    expect(await deliverOutbox(deps, new Date(now.getTime() + LEASE_MS + 1))).toEqual({ delivered: 1, failed: 0 });
    expect(t.slack.channelMessages('orphan').map((m) => m.text)).toEqual(['orphaned']);
  });
});

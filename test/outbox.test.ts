import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverOutbox, enqueue, pendingOutboxCount } from '../src/outbox';
import { startTestBot, type TestBot } from './support/harness';

let t: TestBot;
beforeAll(async () => {
  t = await startTestBot();
});
afterAll(() => t.close());

describe('outbox', () => {
  it('delivers once, in order per channel, retrying after Slack errors and rate limits', async () => {
    const deps = t.bot.deps;
    const now = new Date('2026-03-02T14:00:00Z');
    for (const n of [1, 2, 3]) await enqueue(deps.db, { channel: 'incidents', text: `page ${n}`, ref: `test:${n}` }, now);
    await enqueue(deps.db, { channel: 'ops', text: 'other channel', ref: 'test:ops' }, now);
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
});

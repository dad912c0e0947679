import { createServer, type Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { App, ReceiverEvent } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeServer, listen } from '../src/http/server';
import { createLogger } from '../src/logger';
import { AfterAckTurns } from '../src/slack/after-ack';
import { SignedHttpReceiver } from '../src/slack/receiver';
import { startTestBot, type TestBot } from './support/harness';
import { slashCommand } from '../sandbox/payloads';
import { postSigned, SIGNING_SECRET } from './support/slack-requests';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('AfterAckTurns', () => {
  it('runs at most `limit` follow-ups at once, in arrival order', async () => {
    const turns = new AfterAckTurns({ limit: 2, quietMs: 0, maxWaitMs: 1000 });
    const started: number[] = [];
    const all = [1, 2, 3, 4].map((n) => turns.acquire().then(() => started.push(n)));
    await sleep(20);
    expect(started).toEqual([1, 2]);
    expect(turns.load).toEqual({ active: 2, waiting: 2 });
    turns.release();
    await sleep(20);
    expect(started).toEqual([1, 2, 3]);
    turns.release();
    turns.release();
    await Promise.all(all);
    expect(started).toEqual([1, 2, 3, 4]);
    turns.release();
    expect(turns.load).toEqual({ active: 0, waiting: 0 });
  });

  it('starts nothing while requests keep arriving, and nothing waits longer than maxWaitMs', async () => {
    const turns = new AfterAckTurns({ limit: 4, quietMs: 60, maxWaitMs: 400 });
    let started = false;
    turns.arrived();
    const t0 = performance.now();
    void turns.acquire().then(() => (started = true));
    // A steady stream of arrivals, 10 ms apart, for over a second.
    const stream = setInterval(() => turns.arrived(), 10);
    try {
      await sleep(150);
      expect(started).toBe(false);
      await expect.poll(() => started, { timeout: 3000, interval: 10 }).toBe(true);
      const waited = performance.now() - t0;
      expect(waited).toBeGreaterThanOrEqual(399);
    } finally {
      clearInterval(stream);
    }
    // Once arrivals pause, a follow-up starts after the quiet spell without waiting for maxWait.
    turns.release();
    turns.arrived();
    let second = false;
    void turns.acquire().then(() => (second = true));
    expect(second).toBe(false);
    await expect.poll(() => second, { timeout: 3000, interval: 5 }).toBe(true);
  });

  it('open() (shutting down) starts everything waiting at once, whatever the limit and arrivals', async () => {
    const turns = new AfterAckTurns({ limit: 1, quietMs: 60_000, maxWaitMs: 60_000 });
    turns.arrived();
    const started: number[] = [];
    const all = [1, 2, 3].map((n) => turns.acquire().then(() => started.push(n)));
    await sleep(20);
    expect(started).toEqual([]);
    turns.open();
    await Promise.all(all);
    expect(started).toEqual([1, 2, 3]);
  });

  it('refuses a limit that is not a positive integer', () => {
    expect(() => new AfterAckTurns({ limit: 0, quietMs: 0, maxWaitMs: 0 })).toThrow(/positive integer/);
  });
});

describe('the receiver: the ack first, the work after it in turns', () => {
  let server: Server;
  let url: string;
  const receiver = new SignedHttpReceiver({ signingSecret: SIGNING_SECRET, logger: createLogger({ level: 'silent' }), afterAck: { limit: 1, quietMs: 0 } });
  const done: string[] = [];
  beforeAll(async () => {
    // Bolt's side of the contract only: processEvent gets the event and calls its ack.
    receiver.init({
      processEvent: async (event: ReceiverEvent) => {
        const text = String(event.body.text);
        if (text === 'no-await') {
          // Acks without waiting for the ack's promise, and is done at once.
          void event.ack();
          done.push(text);
          return;
        }
        await event.ack();
        done.push(text);
      },
    } as unknown as App);
    server = createServer((req, res) => void receiver.handle(req, res));
    url = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}`;
  });
  afterAll(() => closeServer(server));

  it('a listener that does not await its ack gives its turn back', async () => {
    const send = (text: string) => postSigned(url, slashCommand({ command: '/ops', text, responseUrl: `http://127.0.0.1:9/${randomUUID()}` }));
    expect((await send('no-await')).status).toBe(200);
    expect((await send('after')).status).toBe(200);
    // With one turn, a leaked turn would leave "after" waiting for ever.
    await expect.poll(() => done, { timeout: 3000 }).toEqual(['no-await', 'after']);
    expect(receiver.turns.load).toEqual({ active: 0, waiting: 0 });
  });
});

describe('a burst against the real bot', () => {
  let t: TestBot;
  beforeAll(async () => {
    // A long quiet spell, so a slow CI machine spreading the burst's arrivals cannot open the gate.
    t = await startTestBot({ afterAck: { quietMs: 500, maxWaitMs: 10_000 } });
  });
  afterAll(() => t.close());

  it('every /ops status of a burst is acked before any of their follow-ups (response_url) runs', async () => {
    const acked: number[] = [];
    const replies = await Promise.all(
      Array.from({ length: 30 }, () =>
        t.slash('/ops', 'status').then((r) => {
          acked.push(Date.now());
          return r;
        }),
      ),
    );
    expect(replies.every((r) => r.status === 200 && /Gathering/.test(r.json.text))).toBe(true);
    await t.settle();
    await expect.poll(() => t.slack.responses.length, { timeout: 10_000 }).toBe(30);
    const firstFollowUp = Math.min(...t.slack.responses.map((r) => r.at));
    expect(Math.max(...acked)).toBeLessThanOrEqual(firstFollowUp);
  });
});

describe('stopping the bot', () => {
  it('runs the follow-ups still waiting for a turn before it closes the database', async () => {
    // A quiet spell that never comes: without the flush at stop these would never start.
    const b = await startTestBot({ afterAck: { quietMs: 60_000, maxWaitMs: 60_000 } });
    const replies = await Promise.all(Array.from({ length: 5 }, () => b.slash('/ops', 'status')));
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    await sleep(100);
    expect(b.slack.responses).toHaveLength(0);
    await b.close();
    expect(b.slack.responses).toHaveLength(5);
    expect(b.logs.filter((l) => l.includes('"level":50'))).toEqual([]);
  });
});

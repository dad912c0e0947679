import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checklistRuns, itemEvents } from '../../src/db/schema';
import { startTestBot, type TestBot } from '../support/harness';
import { slashCommand } from '../../sandbox/payloads';
import { postSigned } from '../support/slack-requests';

let t: TestBot;
beforeAll(async () => {
  t = await startTestBot();
});
afterAll(() => t.close());

async function expectNothingHappened() {
  await new Promise((r) => setTimeout(r, 150));
  expect(await t.database.db.select().from(checklistRuns)).toEqual([]);
  expect(await t.database.db.select().from(itemEvents)).toEqual([]);
  expect(t.slack.calls.filter((c) => c.method !== 'auth.test')).toEqual([]);
}

describe('request signatures', () => {
  const cases: [string, Parameters<TestBot['slash']>[2]][] = [
    ['wrong secret', { send: { secret: 'not-the-secret-at-all' } }],
    ['unsigned', { send: { unsigned: true } }],
    ['stale (6 minutes old)', { send: { skewSeconds: -360 } }],
    ['future-dated (6 minutes ahead)', { send: { skewSeconds: 360 } }],
    ['tampered body', { send: { tamper: (b) => b.replace('morning', 'evening') } }],
  ];
  it.each(cases)('%s → 401, no database row, no Slack call', async (_name, opts) => {
    const res = await t.slash('/ops', 'morning', opts);
    expect(res.status).toBe(401);
    await expectNothingHappened();
  });

  it('accepts a request 4 minutes off either way (inside the window)', async () => {
    const past = await t.slash('/ops', 'help', { send: { skewSeconds: -240 } });
    const future = await t.slash('/ops', 'help', { send: { skewSeconds: 240 } });
    expect([past.status, future.status]).toEqual([200, 200]);
    expect(past.json.response_type).toBe('ephemeral');
  });

  it('a malformed timestamp header is refused', async () => {
    const res = await postSigned(t.bot.url, slashCommand({ command: '/ops', text: 'morning', responseUrl: t.slack.responseUrl('x') }), {
      headers: { 'x-slack-request-timestamp': '12abc' },
    });
    expect(res.status).toBe(401);
    await expectNothingHappened();
  });
});

describe('GET /healthz', () => {
  it('answers 200 with JSON while the database answers', async () => {
    const res = await fetch(`${t.bot.url}/healthz`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 'ok', database: 'up', mode: 'http', version: '0.1.0' });
    expect(['pglite', 'postgres']).toContain(body.db);
  });

  it('answers 503 when the database does not', async () => {
    const other = await startTestBot();
    await other.database.close();
    const res = await fetch(`${other.bot.url}/healthz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'unavailable', database: 'down' });
    await other.close({ keepDatabase: true });
    await other.database.destroy().catch(() => undefined);
  });

  it('unknown paths are 404', async () => {
    expect((await fetch(`${t.bot.url}/nope`)).status).toBe(404);
  });
});

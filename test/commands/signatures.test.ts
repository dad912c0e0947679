import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signSlackRequest } from '../../src/slack/verify';
import { checklistRuns, itemEvents } from '../../src/db/schema';
import { startTestBot, type TestBot } from '../support/harness';
import { slashCommand } from '../../sandbox/payloads';
import { postSigned, SIGNING_SECRET } from '../support/slack-requests';

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

/**
 * Sends a request's headers and only the first bytes of the body it announces, then waits for an
 * answer: one that arrives proves the bot did not wait to read the body.
 */
function partialPost(url: string, headers: Record<string, string>, declaredLength: number): Promise<{ status: number; closed: boolean }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let received = '';
    const timer = setTimeout(
      () => (socket.destroy(), reject(new Error(`no answer while the body was unsent; got ${JSON.stringify(received.slice(0, 80))}`))),
      3000,
    );
    const done = (closed: boolean) => {
      clearTimeout(timer);
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(received)?.[1] ?? 0), closed });
    };
    socket.on('data', (d) => (received += d.toString('latin1')));
    socket.on('close', () => done(true));
    socket.on('error', () => undefined);
    const head = Object.entries({
      host: `${hostname}:${port}`,
      'content-type': 'application/x-www-form-urlencoded',
      'content-length': String(declaredLength),
      ...headers,
    })
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('');
    socket.write(`POST /slack/events HTTP/1.1\r\n${head}\r\n${'x'.repeat(1024)}`);
  });
}

describe('request bodies', () => {
  it('a request without signature headers is refused (401) before its body is read, and the connection closed', async () => {
    expect(await partialPost(t.bot.url, {}, 1024 * 1024)).toEqual({ status: 401, closed: true });
    expect(await partialPost(t.bot.url, { 'x-slack-request-timestamp': String(Math.floor(Date.now() / 1000)) }, 1024 * 1024)).toEqual({
      status: 401,
      closed: true,
    });
    expect(t.logs.some((l) => l.includes('missing signature headers'))).toBe(true);
    await expectNothingHappened();
  });

  it('signature headers from another time or of the wrong shape are refused before the body too', async () => {
    const stale = signSlackRequest(SIGNING_SECRET, 'x', Math.floor(Date.now() / 1000) - 3600);
    expect(await partialPost(t.bot.url, stale, 1024 * 1024)).toEqual({ status: 401, closed: true });
    expect(
      await partialPost(t.bot.url, { 'x-slack-signature': 'v0=nothex', 'x-slack-request-timestamp': String(Math.floor(Date.now() / 1000)) }, 1024 * 1024),
    ).toEqual({ status: 401, closed: true });
  });

  it('a signed request announcing more than 1 MiB is refused (413) before its body is read', async () => {
    const headers = signSlackRequest(SIGNING_SECRET, 'whatever', Math.floor(Date.now() / 1000));
    expect(await partialPost(t.bot.url, headers, 1024 * 1024 + 1)).toEqual({ status: 413, closed: true });
    await expectNothingHappened();
  });

  it('a signed body that grows past 1 MiB without announcing its length is cut off with 413', async () => {
    const body = `command=%2Fops&text=${'m'.repeat(1024 * 1024 + 10)}`;
    const res = await fetch(`${t.bot.url}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...signSlackRequest(SIGNING_SECRET, body, Math.floor(Date.now() / 1000)) },
      // A stream: fetch sends it chunked, with no content-length.
      body: new Blob([body]).stream(),
      duplex: 'half',
    } as RequestInit).catch((err: unknown) => ({ status: `failed: ${String(err)}` }));
    expect([413, 'failed: TypeError: fetch failed']).toContain(res.status);
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

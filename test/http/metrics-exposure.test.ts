import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { loadEnv } from '../../src/config/env';
import { metricsExposure } from '../../src/http/metrics-routes';
import { startTestBot, type TestBot } from '../support/harness';
import { scrape, sampleValue } from '../support/prometheus';

const TOKEN = 'metrics-token-0123456789abcdef';

describe('/metrics behind a bearer token (METRICS_TOKEN)', () => {
  let t: TestBot;
  beforeAll(async () => {
    t = await startTestBot({ env: { METRICS_TOKEN: TOKEN } });
  });
  afterAll(() => t.close());

  it('refuses without the token or with a wrong one (401), answers with it', async () => {
    const none = await fetch(`${t.bot.url}/metrics`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
    expect(await none.text()).not.toContain('drainpro_');
    for (const authorization of [`Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, `Basic ${TOKEN}`, TOKEN, 'Bearer ']) {
      expect((await fetch(`${t.bot.url}/metrics`, { headers: { authorization } })).status, authorization).toBe(401);
    }
    const m = await scrape(t.bot.url, TOKEN);
    expect(sampleValue(m.samples, 'drainpro_metrics_database_up')).toBe(1);
    // HEAD needs the token too.
    expect((await fetch(`${t.bot.url}/metrics`, { method: 'HEAD' })).status).toBe(401);
    expect(t.logs.join('\n')).not.toContain(TOKEN);
  });

  it('leaves /healthz open and answers HEAD /healthz like GET, without a body', async () => {
    const get = await fetch(`${t.bot.url}/healthz`);
    const head = await fetch(`${t.bot.url}/healthz`, { method: 'HEAD' });
    expect(get.status).toBe(200);
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe(get.headers.get('content-type'));
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(0);
    expect(await head.text()).toBe('');
    expect(await get.json()).toMatchObject({ status: 'ok' });
    // A HEAD of a path with no GET route is still 404.
    expect((await fetch(`${t.bot.url}/slack/events`, { method: 'HEAD' })).status).toBe(404);
  });

  it('answers the scrape without the database gauges when the database is too slow, and recovers', async () => {
    // Another session holds the intake table: the scrape's query waits behind it (PGlite: the one engine).
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const holder = t.database.db.transaction(async (tx) => {
      await tx.execute(sql`lock table inbound_requests in access exclusive mode`);
      locked();
      await held;
    });
    await isLocked;
    const started = performance.now();
    const slow = await scrape(t.bot.url, TOKEN);
    const waited = performance.now() - started;
    release();
    await holder;
    expect(waited).toBeLessThan(2000 + 1500);
    expect(sampleValue(slow.samples, 'drainpro_metrics_database_up')).toBe(0);
    expect(slow.samples.some((s) => s.name === 'drainpro_intake_depth')).toBe(false);
    expect(slow.families).toContain('process_cpu_user_seconds_total');
    expect(t.logs.some((l) => l.includes('database gauges unavailable'))).toBe(true);
    const again = await t.slack.waitFor(async () => {
      const m = await scrape(t.bot.url, TOKEN);
      return sampleValue(m.samples, 'drainpro_metrics_database_up') === 1 ? m : undefined;
    });
    expect(sampleValue(again.samples, 'drainpro_intake_depth')).toBe(0);
  });
});

describe('/metrics on a port of its own (METRICS_PORT)', () => {
  let t: TestBot;
  beforeAll(async () => {
    t = await startTestBot({ env: { METRICS_PORT: '0' } });
  });
  afterAll(() => t.close());

  it('serves /metrics and /healthz there, and neither /metrics on the main port nor Slack on the metrics port', async () => {
    expect(t.bot.metricsPort).toBeGreaterThan(0);
    expect(t.bot.metricsPort).not.toBe(t.bot.port);
    const metricsUrl = `http://127.0.0.1:${t.bot.metricsPort}`;
    expect((await fetch(`${t.bot.url}/metrics`)).status).toBe(404);
    const m = await scrape(metricsUrl);
    expect(m.families).toContain('drainpro_outbox_depth');
    expect((await fetch(`${metricsUrl}/healthz`)).status).toBe(200);
    const head = await fetch(`${metricsUrl}/healthz`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect((await fetch(`${metricsUrl}/slack/events`, { method: 'POST', body: 'x' })).status).toBe(404);
    expect((await fetch(`${t.bot.url}/healthz`)).status).toBe(200);
  });

  it('closes the metrics port when the bot stops', async () => {
    const other = await startTestBot({ env: { METRICS_PORT: '0' } });
    const url = `http://127.0.0.1:${other.bot.metricsPort}/healthz`;
    expect((await fetch(url)).status).toBe(200);
    await other.close();
    await expect(fetch(url)).rejects.toThrow();
  });
});

describe('where /metrics is served by default', () => {
  const http = loadEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'abcdefgh12' });
  it('not on a public HTTP-mode port without a token or a port of its own', () => {
    const off = metricsExposure(http, 'http', undefined);
    expect(off.where).toBe('off');
    expect(off.where === 'off' && off.why).toMatch(/METRICS_TOKEN.*METRICS_PORT/);
    expect(metricsExposure(http, 'http', '0.0.0.0').where).toBe('off');
  });
  it('openly where the port need not face the internet: Socket Mode, a loopback address', () => {
    expect(metricsExposure(http, 'socket', undefined)).toEqual({ where: 'main' });
    expect(metricsExposure(http, 'http', '127.0.0.1')).toEqual({ where: 'main' });
  });
  it('behind the token, on the main port or its own', () => {
    expect(metricsExposure({ ...http, METRICS_TOKEN: TOKEN }, 'http', undefined)).toEqual({ where: 'main', token: TOKEN });
    expect(metricsExposure({ ...http, METRICS_PORT: 9100 }, 'http', undefined)).toEqual({ where: 'separate' });
    expect(metricsExposure({ ...http, METRICS_PORT: 9100, METRICS_TOKEN: TOKEN }, 'socket', undefined)).toEqual({ where: 'separate', token: TOKEN });
  });
});

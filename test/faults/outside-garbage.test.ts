import { and, eq, isNull, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as runEscalation } from '../../jobs/escalation';
import { outbox, timers } from '../../src/db/schema';
import { declareIncident } from '../../src/incidents/flows';
import { listEvents, TimerKinds } from '../../src/incidents/store';
import { deliverOutbox } from '../../src/outbox';
import { FakeClock, startTestBot, type TestBot } from '../support/harness';
import { TwilioSmsStandin } from '../../sandbox/standins/twilio-sms';
import { INCIDENT_CONFIG, quiesce } from '../incidents/support';

/**
 * Outside services answering in shapes their SDKs do not expect: an edge proxy's 503 without the
 * API's error fields, HTML pages, empty and cut bodies, `null`. Each failure is recorded on the
 * row being worked (`last_error`), retried later with a growing delay, and never throws out of
 * the job.
 */
const GARBAGE = [
  { status: 503, body: '{"error":"Service Unavailable"}' },
  { status: 502, body: '<html><body><h1>502 Bad Gateway</h1></body></html>', contentType: 'text/html' },
  { status: 500, body: '' },
  { status: 200, body: '' },
  { status: 201, body: '{}' },
  { status: 201, body: '{"sid": "SM12' },
  { status: 200, body: '<html>maintenance</html>', contentType: 'text/html' },
  { status: 201, body: 'null' },
  { status: 503, body: '{"code": 2050' },
];

const clock = new FakeClock(new Date('2026-05-04T14:00:00Z'));
const twilio = new TwilioSmsStandin();
let t: TestBot;

beforeAll(async () => {
  await twilio.start();
  t = await startTestBot({
    config: INCIDENT_CONFIG,
    clock,
    env: { TWILIO_ACCOUNT_SID: twilio.accountSid, TWILIO_AUTH_TOKEN: twilio.authToken, TWILIO_API_URL: twilio.url, TWILIO_FROM_NUMBER: '+15559990000' },
  });
});
afterAll(async () => {
  await t.close();
  await twilio.close();
});

describe('fault: outside services answer garbage', () => {
  it('Twilio: every shape is recorded on the SMS timer and retried with a growing delay; the sweep never throws; the SMS goes out once Twilio is back', async () => {
    const t0 = new Date('2026-05-04T14:00:00Z');
    clock.set(t0);
    const r = await declareIncident(t.bot.deps, {
      severity: 'p0',
      summary: 'Twilio edge down',
      declaredBy: 'UOPS',
      source: 'slash',
      dedupeKey: 'garbage:twilio',
    });
    const id = r.incident.id;
    twilio.garbage.push(...GARBAGE);
    const smsTimer = async () => {
      const rows = await t.database.db
        .select()
        .from(timers)
        .where(and(eq(timers.kind, TimerKinds.sms), eq(timers.refId, `${id}:UCTO`)));
      expect(rows).toHaveLength(1);
      return rows[0]!;
    };
    let when = t0;
    const errors: string[] = [];
    for (let i = 0; i < GARBAGE.length; i += 1) {
      clock.set(when);
      const swept = await runEscalation(t.bot.deps, when);
      const timer = await smsTimer();
      expect(timer.firedAt).toBeNull();
      expect(timer.attempts).toBe(i + 1);
      expect(timer.lastError).toMatch(/^Twilio: \S/);
      expect(timer.lastError).not.toMatch(/Cannot read properties of undefined|undefined$/);
      expect(swept.failed.map((f) => f.error)).toContain(timer.lastError);
      // Backoff: 30 s after the first failure, 30 s more after each further one.
      expect(timer.dueAt.getTime() - when.getTime()).toBe(30_000 * Math.min(10, i + 1));
      errors.push(timer.lastError!);
      // Before it is due again, a sweep leaves it alone.
      const received = twilio.received;
      await runEscalation(t.bot.deps, new Date(timer.dueAt.getTime() - 1000));
      expect(twilio.received).toBe(received);
      when = timer.dueAt;
    }
    expect(errors[0]).toBe('Twilio: HTTP 503: no error message in the answer');
    expect(errors).toContain('Twilio: malformed response (not JSON)');
    expect(errors).toContain('Twilio: malformed response (no message sid)');
    const sent = twilio.sent.length;
    clock.set(when);
    await runEscalation(t.bot.deps, when);
    expect(twilio.sent.length).toBe(sent + 1);
    expect((await smsTimer()).firedAt).not.toBeNull();
    expect((await listEvents(t.database.db, id)).filter((e) => e.kind === 'sms')).toHaveLength(1);
    expect(t.logs.filter((l) => l.includes('"level":50')).map((l) => l.slice(0, 300))).toEqual([]);
    await quiesce(t);
  }, 60_000);

  it('Slack: every shape is recorded on the outbox row and retried with a growing delay; delivery never throws; the page arrives once Slack is back', async () => {
    const t0 = new Date('2026-05-05T14:00:00Z');
    clock.set(t0);
    // Slack fails every post while the incident is declared and its pages queued.
    for (const g of GARBAGE)
      t.slack.fault({
        method: 'chat.postMessage',
        status: g.status,
        raw: { body: g.body.replace('sid', 'ts'), ...(g.contentType ? { contentType: g.contentType } : {}) },
        times: 1,
      });
    const r = await declareIncident(t.bot.deps, {
      severity: 'p1',
      summary: 'Slack edge down',
      declaredBy: 'UOPS',
      source: 'slash',
      dedupeKey: 'garbage:slack',
    });
    await runEscalation(t.bot.deps, t0);
    const pages = await t.database.db
      .select()
      .from(outbox)
      .where(like(outbox.ref, `page:${r.incident.id}:%`));
    expect(pages.length).toBeGreaterThan(0);
    const pageRef = pages[0]!.ref;
    const paged = pageRef.split(':')[2]!;
    const page = async () => (await t.database.db.select().from(outbox).where(eq(outbox.ref, pageRef)))[0]!;
    let when = t0;
    const seen: string[] = [];
    for (let pass = 0; pass < 40 && (await page()).deliveredAt === null; pass += 1) {
      clock.set(when);
      await deliverOutbox(t.bot.deps, when, 500);
      const failed = await t.database.db
        .select()
        .from(outbox)
        .where(and(isNull(outbox.deliveredAt)));
      for (const row of failed.filter((f) => f.attempts > 0)) {
        expect(row.lastError, `outbox ${row.ref}`).toMatch(/\S/);
        expect(row.lastError).not.toMatch(/^undefined$|Cannot read properties of undefined/);
        expect(row.nextAttemptAt.getTime()).toBeGreaterThan(when.getTime());
        seen.push(row.lastError!);
      }
      const next = failed.map((f) => f.nextAttemptAt.getTime()).filter((n) => n > when.getTime());
      when = new Date(next.length ? Math.min(...next) : when.getTime() + 1000);
    }
    expect((await page()).deliveredAt).not.toBeNull();
    // Several shapes reached the outbox (the first ones may go to the announcement, posted directly).
    expect(new Set(seen).size).toBeGreaterThanOrEqual(3);
    const p = await page();
    if (p.attempts > 1) expect(p.lastError).toMatch(/\S/);
    expect(
      t.slack.callsOf('chat.postMessage').filter((c) => c.args.channel === paged && String(c.args.text).includes(`incident #${r.incident.id}:`)).length,
    ).toBeGreaterThan(0);
    expect(t.logs.filter((l) => l.includes('"level":50')).map((l) => l.slice(0, 300))).toEqual([]);
    await quiesce(t);
  }, 60_000);
});

import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { ActionIds, BlockIds, InputActionIds } from '../../blocks/ids';
import { run as runEscalation } from '../../jobs/escalation';
import { openDatabase } from '../../src/db';
import { incidentEvents, incidents, outbox, timers } from '../../src/db/schema';
import { LEASE_MS } from '../../src/lease';
import { fireDueSteps } from '../../src/incidents/escalation';
import { acknowledgeIncident, declareIncident } from '../../src/incidents/flows';
import { getIncident, listEvents } from '../../src/incidents/store';
import { FakeClock, startTestBot, type TestBot } from '../support/harness';
import { onPostgres } from '../support/db';
import { TwilioSmsStandin } from '../../sandbox/standins/twilio-sms';
import { announcement, at, dayByDay, deliver, INCIDENT_CONFIG, latestIncident, MIN, pagesTo, useIncidentBot } from './support';

const clock = new FakeClock(new Date('2026-04-01T14:00:00Z'));
const twilio = new TwilioSmsStandin();
const startDay = dayByDay(clock);
let t: TestBot;
useIncidentBot(
  {
    clock,
    env: () => ({ TWILIO_ACCOUNT_SID: twilio.accountSid, TWILIO_AUTH_TOKEN: twilio.authToken, TWILIO_API_URL: twilio.url, TWILIO_FROM_NUMBER: '+15559990000' }),
    before: () => twilio.start(),
    after: () => twilio.close(),
  },
  (bot) => {
    t = bot;
  },
);

async function sweepAt(bot: TestBot, when: Date) {
  clock.set(when);
  const r = await runEscalation(bot.bot.deps, when);
  await deliver(bot);
  return r;
}

describe('SMS through the Twilio SDK', () => {
  it('a P0 texts the CTO at once and the CEO when it reaches that level, each once, with basic auth', async () => {
    const t0 = startDay();
    const sent = twilio.sent.length;
    const r = await declareIncident(t.bot.deps, {
      severity: 'p0',
      summary: 'All calls dropping',
      declaredBy: 'UOPS',
      source: 'slash',
      dedupeKey: `test:${t0.toISOString()}`,
    });
    const id = r.incident.id;
    await sweepAt(t, t0);
    await sweepAt(t, at(t0, 1000));
    expect(twilio.sent.slice(sent)).toHaveLength(1);
    expect(twilio.sent.at(-1)).toMatchObject({ to: '+15550000001', from: '+15559990000', auth: { user: twilio.accountSid, password: twilio.authToken } });
    expect(twilio.sent.at(-1)!.body).toContain(`P0 Critical — incident #${id}: All calls dropping`);
    // Climbing to the CTO level does not text the CTO again; the CEO gets one at 45 min.
    for (const m of [15, 30, 45, 50]) await sweepAt(t, at(t0, m * MIN));
    const texts = twilio.sent.slice(sent).map((s) => s.to);
    expect(texts).toEqual(['+15550000001', '+15550000002']);
    expect((await listEvents(t.database.db, id)).filter((e) => e.kind === 'sms')).toHaveLength(2);
  });

  it('an acknowledgement before the pages went out withdraws them, SMS included', async () => {
    const t0 = startDay();
    const sent = twilio.sent.length;
    // Declaring tries each page once at once: Slack fails the CTO's, so it is still queued.
    t.slack.fault({ method: 'chat.postMessage', channel: 'UCTO', error: 'service_unavailable', times: 1 });
    const r = await declareIncident(t.bot.deps, {
      severity: 'p0',
      summary: 'Acked before paging',
      declaredBy: 'UOPS',
      source: 'slash',
      dedupeKey: `test:${t0.toISOString()}`,
    });
    expect(r.kind === 'declared' && r.pages.find((p) => p.name === 'CTO')).toMatchObject({ delivered: [], queued: ['<@UCTO>'] });
    const tried = pagesTo(t, 'UCTO', r.incident.id).length;
    const ack = await acknowledgeIncident(t.bot.deps, { id: r.incident.id, userId: 'UOPS' });
    expect(ack.kind).toBe('done');
    await sweepAt(t, at(t0, 1000));
    expect(pagesTo(t, 'UCTO', r.incident.id)).toHaveLength(tried);
    expect(twilio.sent.length).toBe(sent);
    const rows = await t.database.db
      .select()
      .from(outbox)
      .where(eq(outbox.ref, `page:${r.incident.id}:UCTO`));
    expect(rows[0]!.lastError).toBe('withdrawn: acknowledged');
  });

  it('a Twilio failure is retried on a later sweep', async () => {
    const t0 = startDay();
    const sent = twilio.sent.length;
    twilio.failNext = 1;
    await declareIncident(t.bot.deps, { severity: 'p0', summary: 'Twilio flaky', declaredBy: 'UOPS', source: 'slash', dedupeKey: `test:${t0.toISOString()}` });
    const first = await sweepAt(t, t0);
    expect(first.failed).toHaveLength(1);
    expect(twilio.sent.length).toBe(sent);
    await sweepAt(t, at(t0, 31_000));
    expect(twilio.sent.length).toBe(sent + 1);
  });

  it('a page Slack keeps refusing also goes out by SMS', async () => {
    const t0 = startDay();
    const sent = twilio.sent.length;
    // The declaration's own attempt and two deliveries fail (the first is still backing off).
    t.slack.fault({ method: 'chat.postMessage', channel: 'UTECH', error: 'service_unavailable', times: 3 });
    const r = await declareIncident(t.bot.deps, {
      severity: 'p1',
      summary: 'Slack outage during incident',
      declaredBy: 'UOPS',
      source: 'slash',
      dedupeKey: `test:${t0.toISOString()}`,
    });
    for (let i = 0; i < 3; i += 1) {
      clock.set(at(t0, i * 10 * MIN));
      await deliver(t);
    }
    const [page] = await t.database.db
      .select()
      .from(outbox)
      .where(eq(outbox.ref, `page:${r.incident.id}:UTECH`));
    expect(page).toMatchObject({ attempts: 3, deliveredAt: null });
    await sweepAt(t, at(t0, 31 * MIN));
    expect(twilio.sent.slice(sent).map((s) => s.to)).toEqual(['+15550000003']);
    await sweepAt(t, at(t0, 32 * MIN));
    expect(twilio.sent.length).toBe(sent + 1);
    expect(pagesTo(t, 'UTECH', r.incident.id).length).toBeGreaterThan(0); // Slack recovered: the DM arrives too
  });
});

describe('SMS with no transaction open', () => {
  it('while Twilio is slow the database serves everyone, and a second sweep does not text twice', async () => {
    const t0 = startDay();
    const sent = twilio.sent.length;
    const received = twilio.received;
    twilio.stallNextMs = 1500;
    const r = await declareIncident(t.bot.deps, {
      severity: 'p0',
      summary: 'Slow Twilio',
      declaredBy: 'UOPS',
      source: 'slash',
      dedupeKey: `test:${t0.toISOString()}`,
    });
    const first = runEscalation(t.bot.deps, t0);
    await expect.poll(() => twilio.received, { timeout: 5000 }).toBe(received + 1);
    // Twilio has the request and has not answered. A transaction held across the call would make
    // these wait for it (on PGlite every statement; on PostgreSQL the timer's row).
    expect(await listEvents(t.database.db, r.incident.id)).not.toHaveLength(0);
    const second = await runEscalation(t.bot.deps, t0);
    expect(twilio.sent.length).toBe(sent);
    expect([...second.fired, ...second.failed].filter((f) => f.kind === 'incident-sms')).toEqual([]);
    const done = await first;
    expect(done.fired.filter((f) => f.kind === 'incident-sms')).toHaveLength(1);
    expect(twilio.sent.slice(sent).map((s) => s.to)).toEqual(['+15550000001']);
    expect((await listEvents(t.database.db, r.incident.id)).filter((e) => e.kind === 'sms')).toHaveLength(1);
    await deliver(t);
  });

  it('an SMS whose sender died mid-call comes due again once its lease runs out, and is sent', async () => {
    const t0 = startDay();
    const sent = twilio.sent.length;
    const r = await declareIncident(t.bot.deps, {
      severity: 'p0',
      summary: 'Sender died',
      declaredBy: 'UOPS',
      source: 'slash',
      dedupeKey: `test:${t0.toISOString()}`,
    });
    // As a claim leaves it when the process dies during the call: due a lease ahead, not fired.
    const [sms] = (await t.database.db.select().from(timers)).filter(
      (x) => x.kind === 'incident-sms' && (x.payload as { incidentId: number }).incidentId === r.incident.id,
    );
    await t.database.db
      .update(timers)
      .set({ dueAt: new Date(t0.getTime() + LEASE_MS), attempts: 1 })
      .where(eq(timers.id, sms!.id));
    await sweepAt(t, at(t0, 1000));
    expect(twilio.sent.length).toBe(sent);
    await sweepAt(t, at(t0, LEASE_MS + 1000));
    expect(twilio.sent.slice(sent).map((s) => s.to)).toEqual(['+15550000001']);
  });
});

describe('checklist problems open incidents', () => {
  it('Problem on Payment processing opens a P0 linked to the run and item, once per run and item', async () => {
    startDay();
    const posts = t.slack.callsOf('chat.postMessage').length;
    await t.slash('/ops', 'morning');
    const call = await t.slack.waitFor(() =>
      t.slack
        .callsOf('chat.postMessage')
        .slice(posts)
        .find((c) => c.args.channel === 'ops'),
    );
    const msg = t.slack.messages.find((m) => m.text === call.args.text && m.blocks === call.args.blocks)!;
    const payments = msg.blocks!.filter((b: any) => b.type === 'actions')[5].elements[0].value as string;
    const runId = Number(payments.split('|')[0]);
    const submit = async (note: string) => {
      const opens = t.slack.callsOf('views.open').length;
      await t.click({ actionId: ActionIds.itemProblem, value: payments, channelId: msg.channel, messageTs: msg.ts, userId: 'UCAROL' });
      const view = (await t.slack.waitFor(() => t.slack.callsOf('views.open')[opens])).args.view;
      await t.submitView({
        callbackId: view.callback_id,
        privateMetadata: view.private_metadata,
        values: { [BlockIds.noteInput]: { [InputActionIds.note]: { type: 'plain_text_input', value: note } } },
        userId: 'UCAROL',
      });
    };
    await submit('Stripe declines everything');
    const row = await t.slack.waitFor(
      async () =>
        (
          await t.database.db
            .select()
            .from(incidents)
            .where(eq(incidents.dedupeKey, `checklist:${runId}:payment-processing`))
        )[0],
    );
    expect(row).toMatchObject({
      severity: 'p0',
      system: 'payments',
      source: 'checklist',
      declaredBy: 'UCAROL',
      summary: 'Check Payment Processing: Stripe declines everything',
    });
    expect(row.sourceRef).toContain(`run ${runId}`);
    await submit('Still declining');
    await t.slack.waitFor(async () => (await t.database.db.select().from(incidents).where(eq(incidents.id, row.id)))[0]?.messageTs);
    await new Promise((r) => setTimeout(r, 200));
    expect(
      await t.database.db
        .select()
        .from(incidents)
        .where(eq(incidents.dedupeKey, `checklist:${runId}:payment-processing`)),
    ).toHaveLength(1);
  });
});

describe('Slack calls under a lease, not a transaction', () => {
  it('an acknowledgement while Slack is still taking the announcement is not held up, and the announcement ends showing it', async () => {
    const t0 = startDay();
    // Only the announcement: a P2 pages nobody and gets no incident channel.
    t.slack.fault({ method: 'chat.postMessage', delayMs: 1500, times: 1 });
    const declaring = declareIncident(t.bot.deps, {
      severity: 'p2',
      summary: 'Slow Slack during announce',
      declaredBy: 'UOPS',
      source: 'slash',
      dedupeKey: `test:lease:${t0.toISOString()}`,
    });
    await expect
      .poll(() => t.slack.callsOf('chat.postMessage').some((c) => String(c.args.text).includes('Slow Slack during announce')), { timeout: 5000 })
      .toBe(true);
    const row = await latestIncident(t);
    expect(row.summary).toBe('Slow Slack during announce');
    const acked = await acknowledgeIncident(t.bot.deps, { id: row.id, userId: 'UOPS' });
    expect(acked.kind).toBe('done');
    // Stored while Slack had not yet answered the announcement.
    expect(announcement(t, row.id)).toBeUndefined();
    expect((await declaring).kind).toBe('declared');
    await deliver(t);
    const msg = announcement(t, row.id)!;
    expect(JSON.stringify(msg.blocks)).toContain(':eyes: Acknowledged');
    expect(t.slack.channelMessages('incidents').filter((m) => !m.thread_ts && m.text.includes(`incident #${row.id}:`))).toHaveLength(1);
    expect((await getIncident(t.database.db, row.id))?.leaseUntil).toBeNull();
  });
});

describe('restarts and replicas', () => {
  it('after a restart an overdue step fires exactly once', async () => {
    const t0 = startDay();
    const r = await declareIncident(t.bot.deps, {
      severity: 'p0',
      summary: 'Restart mid-incident',
      declaredBy: 'UOPS',
      source: 'slash',
      dedupeKey: `test:${t0.toISOString()}`,
    });
    await sweepAt(t, at(t0, 1000));
    // The process dies; a new one starts on the same database 20 minutes later.
    const second = await startTestBot({ config: INCIDENT_CONFIG, clock, database: t.database });
    try {
      const late = await sweepAt(second, at(t0, 20 * MIN));
      expect(late.fired.filter((f) => f.refId === String(r.incident.id))).toHaveLength(1);
      const again = await sweepAt(second, at(t0, 21 * MIN));
      expect(again.fired.filter((f) => f.refId === String(r.incident.id))).toHaveLength(0);
      expect((await getIncident(t.database.db, r.incident.id))!.level).toBe(1);
      // The next step keeps the beat (30 min), and a step missed by a long outage never bursts.
      await sweepAt(second, at(t0, 29 * MIN));
      expect((await getIncident(t.database.db, r.incident.id))!.level).toBe(1);
      await sweepAt(second, at(t0, 30 * MIN));
      expect((await getIncident(t.database.db, r.incident.id))!.level).toBe(2);
      // No Twilio on this replica: the SMS step is skipped with a log line, not an error.
      await sweepAt(second, at(t0, 50 * MIN));
      expect(second.logs.some((l) => l.includes('SMS page skipped') || l.includes('no phone number'))).toBe(true);
    } finally {
      await second.close({ keepDatabase: true });
    }
  });

  it.runIf(onPostgres())('two sweepers on one PostgreSQL never fire a step twice', async () => {
    const t0 = startDay();
    const ids: number[] = [];
    for (let i = 0; i < 25; i += 1) {
      const r = await declareIncident(t.bot.deps, {
        severity: 'p1',
        summary: `Race ${i}`,
        declaredBy: 'UOPS',
        source: 'slash',
        dedupeKey: `race:${t0.toISOString()}:${i}`,
      });
      ids.push(r.incident.id);
    }
    const other = await openDatabase({ url: t.database.url!, poolSize: 5 });
    try {
      const when = at(t0, 2 * 60 * MIN);
      const deps = t.bot.deps;
      const results = await Promise.all([
        fireDueSteps(deps, when, 500),
        fireDueSteps({ ...deps, db: other.db }, when, 500),
        fireDueSteps(deps, when, 500),
        fireDueSteps({ ...deps, db: other.db }, when, 500),
      ]);
      const fired = results.flatMap((r) => r.fired).filter((f) => f.kind === 'incident-response' && ids.includes(Number(f.refId)));
      expect(fired).toHaveLength(25);
      const escalated = await t.database.db.select().from(incidentEvents).where(eq(incidentEvents.kind, 'escalated'));
      expect(escalated.filter((e) => ids.includes(e.incidentId))).toHaveLength(25);
      for (const id of ids) expect((await getIncident(t.database.db, id))!.level).toBe(2);
    } finally {
      await other.close();
    }
  });

  it('the last declared incident is the one the helpers see', async () => {
    expect((await latestIncident(t)).id).toBeGreaterThan(0);
  });
});

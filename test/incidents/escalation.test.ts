import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { IncidentIds } from '../../blocks/ids';
import { incidents } from '../../src/db/schema';
import { listEvents, getIncident } from '../../src/incidents/store';
import { run as runEscalation } from '../../jobs/escalation';
import { FakeClock, type TestBot } from '../support/harness';
import { announcement, at, dayByDay, deliver, INCIDENT_CONFIG, MIN, newestIncidentId, newIncidentAfter, pagesTo, useIncidentBot } from './support';

const clock = new FakeClock(new Date('2026-03-02T14:00:00Z'));
const startDay = dayByDay(clock);
let t: TestBot;
// The disaster-recovery procedure a P0 "down" carries is test/dr's: its messages stay out of these counts.
useIncidentBot({ clock, config: { ...INCIDENT_CONFIG, disasterRecovery: { enabled: false } } }, (bot) => {
  t = bot;
});

async function declare(text: string, opts: { userId?: string; triggerId?: string } = {}) {
  const before = await newestIncidentId(t);
  const res = await t.slash('/incident', text, opts);
  expect(res.status).toBe(200);
  const row = await newIncidentAfter(t, before);
  // The declarer's confirmation is the listener's last step.
  await t.slack.waitFor(() => t.slack.responses.some((x) => String(x.body.text).includes(`Declared #${row.id} `)));
  return { res, row: (await getIncident(t.database.db, row.id))! };
}

async function sweepAt(at: Date) {
  clock.set(at);
  const r = await runEscalation(t.bot.deps, at);
  await deliver(t);
  return r;
}

describe('P0 escalation on an injected clock', () => {
  it('pages ops and the CTO at 0, escalates exactly at 15 min, again at 30 and 45, then stops at the CEO', async () => {
    const t0 = startDay();
    const { res, row } = await declare('p0 Payments are down for everyone', { userId: 'UDECL' });
    expect(res.json.text).toContain('Declaring a P0');
    await deliver(t);
    const id = row.id;
    expect(pagesTo(t, 'UOPS', id)).toHaveLength(1);
    expect(pagesTo(t, 'UCTO', id)).toHaveLength(1);
    expect(pagesTo(t, 'UTECH', id)).toHaveLength(0);

    // The announcement: severity, summary, declarer, deadlines, escalation and the three buttons.
    const msg = announcement(t, id)!;
    const body = JSON.stringify(msg.blocks);
    expect(body).toContain('P0 · Critical');
    expect(body).toContain('<@UDECL>');
    // "Escalates to" is what the frozen policy pages, not the config's wording.
    expect(body).toContain('Operations team and CTO at once; unacknowledged, every 15 min: Technical Lead → CTO → CEO (SMS: CTO, CEO)');
    expect(body).toContain(`<!date^${Math.floor(at(t0, 15 * MIN).getTime() / 1000)}^`);
    expect(body).toContain(`<!date^${Math.floor(at(t0, 60 * MIN).getTime() / 1000)}^`);
    const buttons = msg.blocks!.find((b: any) => b.type === 'actions').elements.map((e: any) => e.text.text);
    expect(buttons).toEqual(['Acknowledge', "I'll lead", 'Resolve', 'Escalate now']);

    // Dedicated channel, with the declarer and the paged invited and the announcement linked.
    const created = t.slack.callsOf('conversations.create').at(-1)!;
    expect(created.args.name).toBe(`inc-${id}-payments-are-down-for-everyone`);
    const invite = t.slack.callsOf('conversations.invite').at(-1)!;
    expect(String(invite.args.users).split(',').sort()).toEqual(['UCTO', 'UDECL', 'UOPS']);
    const fresh = (await getIncident(t.database.db, id))!;
    expect(fresh.incidentChannel).toBeTruthy();
    // The intro links the announcement; the control message follows it.
    expect(t.slack.channelMessages(fresh.incidentChannel!)[0]!.text).toContain('drainpro.slack.test/archives');
    // Timeline in the announcement's thread.
    const thread = t.slack
      .channelMessages('incidents')
      .filter((m) => m.thread_ts === msg.ts)
      .map((m) => m.text);
    // Batched (src/incidents/timeline.ts): the declaration's burst is one reply listing each entry.
    expect(thread.some((x) => x.startsWith('declared:') && x.includes('\npaged:'))).toBe(true);

    const r1 = await sweepAt(at(t0, 15 * MIN - 1000));
    expect(r1.fired.filter((f) => f.refId === String(id))).toEqual([]);
    expect(pagesTo(t, 'UTECH', id)).toHaveLength(0);

    await sweepAt(at(t0, 15 * MIN));
    expect(pagesTo(t, 'UTECH', id)).toHaveLength(1);
    expect((await getIncident(t.database.db, id))!.level).toBe(1);
    const updated = JSON.stringify(announcement(t, id)!.blocks);
    expect(updated).toContain('breached');
    expect(updated).toContain('now at *Technical Lead*');

    await sweepAt(at(t0, 30 * MIN));
    expect(pagesTo(t, 'UCTO', id)).toHaveLength(2);
    await sweepAt(at(t0, 45 * MIN));
    expect(pagesTo(t, 'UCEO', id)).toHaveLength(1);
    expect((await getIncident(t.database.db, id))!.level).toBe(3);
    await sweepAt(at(t0, 59 * MIN));
    expect(pagesTo(t, 'UCEO', id)).toHaveLength(1);
    const kinds = (await listEvents(t.database.db, id)).map((e) => e.kind);
    expect(kinds.filter((k) => k === 'escalated')).toHaveLength(3);
  });

  it('an acknowledgement at 14:59 stops paging at once; times are stored for reporting', async () => {
    const t0 = startDay();
    const { row } = await declare('critical Site down', { userId: 'UDECL' });
    const id = row.id;
    clock.set(at(t0, 14 * MIN + 59_000));
    const msg = announcement(t, id)!;
    const value = msg.blocks!.find((b: any) => b.type === 'actions').elements[0].value;
    await t.click({ actionId: IncidentIds.ack, value, channelId: msg.channel, messageTs: msg.ts, userId: 'UOPS' });
    await t.slack.waitFor(async () => (await getIncident(t.database.db, id))!.state === 'acknowledged');
    for (const m of [15, 30, 45]) await sweepAt(at(t0, m * MIN));
    expect(pagesTo(t, 'UTECH', id)).toHaveLength(0);
    expect(pagesTo(t, 'UCEO', id)).toHaveLength(0);
    const inc = (await getIncident(t.database.db, id))!;
    expect(inc).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'UOPS', level: 0, timeToAckMs: 14 * MIN + 59_000, responseSlaMet: true });
    await t.slack.waitFor(() => JSON.stringify(announcement(t, id)!.blocks).includes(':eyes: Acknowledged'));
  });

  it('an acknowledged but unresolved incident escalates again when its resolution SLA runs out', async () => {
    const t0 = startDay();
    const { row } = await declare('p1 Forwarding below 95%');
    const id = row.id;
    await deliver(t);
    expect(pagesTo(t, 'UTECH', id)).toHaveLength(1);
    expect(pagesTo(t, 'UOPS', id)).toHaveLength(0);
    clock.set(at(t0, 30 * MIN));
    await t.slash('/incident', `ack ${id}`, { userId: 'UTECH' });
    await t.slack.waitFor(async () => (await getIncident(t.database.db, id))!.state === 'acknowledged');
    await sweepAt(at(t0, 24 * 60 * MIN - 1000));
    expect(pagesTo(t, 'UCTO', id)).toHaveLength(0);
    await sweepAt(at(t0, 24 * 60 * MIN));
    expect(pagesTo(t, 'UCTO', id)).toHaveLength(1);
    expect(JSON.stringify(announcement(t, id)!.blocks)).toMatch(/Resolution:\*.*breached/);
    // …and on, one step later, to the CEO while still unresolved.
    await sweepAt(at(t0, 26 * 60 * MIN));
    expect(pagesTo(t, 'UCEO', id)).toHaveLength(1);
  });

  it('P2 and P3 notify the incidents channel only', async () => {
    const t0 = startDay();
    const { row } = await declare('medium Typos on the pricing page');
    await deliver(t);
    for (const u of ['UOPS', 'UTECH', 'UCTO', 'UCEO']) expect(pagesTo(t, u, row.id)).toHaveLength(0);
    expect(row.incidentChannel).toBeNull();
    // The announcement says nobody is paged (the config's "Escalates to" wording says otherwise).
    const body = JSON.stringify(announcement(t, row.id)!.blocks);
    expect(body).toContain('Nobody is paged: the incidents channel only');
    expect(body).not.toContain('Operations Manager');
    expect(body).not.toContain('now at');
    await sweepAt(at(t0, 24 * 60 * MIN));
    expect(pagesTo(t, 'UTECH', row.id)).toHaveLength(0);
    expect((await listEvents(t.database.db, row.id)).map((e) => e.kind)).toContain('sla_breached');
  });
});

describe('clicks, retries and rights', () => {
  it('a Slack retry of the same /incident request declares one incident', async () => {
    startDay();
    const before = (await t.database.db.select().from(incidents)).length;
    const triggerId = 'trigger-incident-retry';
    await t.slash('/incident', 'p1 Stripe webhooks failing', { triggerId });
    await t.slash('/incident', 'p1 Stripe webhooks failing', {
      triggerId,
      send: { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } },
    });
    await t.slack.waitFor(async () => (await t.database.db.select().from(incidents)).length > before);
    await new Promise((r) => setTimeout(r, 300));
    const rows = (await t.database.db.select().from(incidents)).filter((r) => r.dedupeKey === `trigger:${triggerId}`);
    expect(rows).toHaveLength(1);
    expect(t.slack.channelMessages('incidents').filter((m) => !m.thread_ts && m.text.includes(`incident #${rows[0]!.id}:`))).toHaveLength(1);
  });

  it('an Escalate now click on a message older than the last escalation does nothing', async () => {
    const t0 = startDay();
    const { row } = await declare('p0 Database unreachable');
    const id = row.id;
    const msg = announcement(t, id)!;
    const oldValue = msg.blocks!.find((b: any) => b.type === 'actions').elements[2].value;
    expect(oldValue).toBe(`${id}|0`);
    clock.set(at(t0, 2 * MIN));
    await t.click({ actionId: IncidentIds.escalate, value: oldValue, channelId: msg.channel, messageTs: msg.ts, userId: 'UOPS' });
    await t.slack.waitFor(async () => (await getIncident(t.database.db, id))!.level === 1);
    await deliver(t);
    expect(pagesTo(t, 'UTECH', id)).toHaveLength(1);
    // The same stale button again (another person had the old message open).
    const ephemerals = t.slack.responses.length;
    await t.click({ actionId: IncidentIds.escalate, value: oldValue, channelId: msg.channel, messageTs: msg.ts, userId: 'UTECH' });
    await t.slack.waitFor(() => t.slack.responses.length > ephemerals);
    expect(JSON.stringify(t.slack.responses.at(-1)!.body)).toContain('already been escalated');
    expect((await getIncident(t.database.db, id))!.level).toBe(1);
    await deliver(t);
    expect(pagesTo(t, 'UCTO', id)).toHaveLength(1); // only the page at declaration
    // The response clock restarted at the manual escalation: next step 15 min after it.
    await sweepAt(at(t0, 16 * MIN));
    expect((await getIncident(t.database.db, id))!.level).toBe(1);
    await sweepAt(at(t0, 17 * MIN));
    expect((await getIncident(t.database.db, id))!.level).toBe(2);
  });

  it('a refused resolve gets an ephemeral explanation and changes nothing; an allowed one resolves', async () => {
    startDay();
    const { row } = await declare('p1 Ads spend spike');
    const msg = announcement(t, row.id)!;
    const value = msg.blocks!.find((b: any) => b.type === 'actions').elements[1].value;
    const n = t.slack.responses.length;
    await t.click({ actionId: IncidentIds.resolve, value, channelId: msg.channel, messageTs: msg.ts, userId: 'UNOBODY' });
    await t.slack.waitFor(() => t.slack.responses.length > n);
    const reply = t.slack.responses.at(-1)!.body;
    expect(reply.response_type).toBe('ephemeral');
    expect(reply.text).toContain(`Only the Operations team, Operations Manager, Technical Lead, CTO or CEO may resolve incident #${row.id}.`);
    expect((await getIncident(t.database.db, row.id))!.state).toBe('open');
    const ackRefused = t.slack.responses.length;
    await t.click({ actionId: IncidentIds.ack, value, channelId: msg.channel, messageTs: msg.ts, userId: 'UNOBODY' });
    await t.slack.waitFor(() => t.slack.responses.length > ackRefused);
    expect(t.slack.responses.at(-1)!.body.text).toContain('may acknowledge');

    await t.slash('/incident', `resolve ${row.id} rolled back the ad campaign`, { userId: 'UTECH' });
    await t.slack.waitFor(async () => (await getIncident(t.database.db, row.id))!.state === 'resolved');
    const inc = (await getIncident(t.database.db, row.id))!;
    expect(inc).toMatchObject({ resolvedBy: 'UTECH', resolutionNote: 'rolled back the ad campaign', resolutionSlaMet: true, timeToResolveMs: 0 });
    await t.slack.waitFor(() => {
      const a = announcement(t, row.id)!;
      return !a.blocks!.some((b: any) => b.type === 'actions') && JSON.stringify(a.blocks).includes('Resolved by <@UTECH>');
    });
  });

  it('/incident alone opens the modal; bad input stays in the modal; a double submit declares once', async () => {
    startDay();
    const opens = t.slack.callsOf('views.open').length;
    await t.slash('/incident', '');
    const open = await t.slack.waitFor(() => t.slack.callsOf('views.open')[opens]);
    const view = open.args.view;
    expect(view.callback_id).toBe(IncidentIds.declareModal);
    const values = (summary: string) => ({
      [IncidentIds.severityBlock]: { [IncidentIds.severityInput]: { type: 'static_select', selected_option: { value: 'p1' } } },
      [IncidentIds.summaryBlock]: { [IncidentIds.summaryInput]: { type: 'plain_text_input', value: summary } },
      [IncidentIds.systemBlock]: { [IncidentIds.systemInput]: { type: 'static_select', selected_option: { value: 'ai-agents' } } },
    });
    const bad = await t.submitView({ callbackId: view.callback_id, privateMetadata: '', values: values('  ') });
    expect(bad.json).toEqual({ response_action: 'errors', errors: { [IncidentIds.summaryBlock]: 'Say what is happening.' } });
    const viewId = 'VDOUBLE01';
    await t.submitView({ callbackId: view.callback_id, privateMetadata: '', values: values('Diagnostic agent stuck'), viewId, userId: 'UERIN' });
    await t.submitView({ callbackId: view.callback_id, privateMetadata: '', values: values('Diagnostic agent stuck'), viewId, userId: 'UERIN' });
    await t.slack.waitFor(
      async () =>
        (
          await t.database.db
            .select()
            .from(incidents)
            .where(eq(incidents.dedupeKey, `view:${viewId}`))
        ).length === 1,
    );
    await new Promise((r) => setTimeout(r, 300));
    const rows = await t.database.db
      .select()
      .from(incidents)
      .where(eq(incidents.dedupeKey, `view:${viewId}`));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ severity: 'p1', system: 'ai-agents', declaredBy: 'UERIN', source: 'modal' });
  });

  it('bad input gets usage help; list and show answer ephemerally', async () => {
    startDay();
    for (const text of ['p0', 'p9 something', 'help', 'show x']) {
      const res = await t.slash('/incident', text);
      expect(res.json.response_type).toBe('ephemeral');
      expect(JSON.stringify(res.json.blocks)).toContain('/incident');
    }
    const { row } = await declare('high Calls not forwarding');
    // Reads ack empty at once and answer by response_url.
    const answer = async (text: string) => {
      const before = t.slack.responses.length;
      const res = await t.slash('/incident', text);
      expect(res.status).toBe(200);
      expect(res.text).toBe('');
      const r = await t.slack.waitFor(() => t.slack.responses[before]);
      expect(r.body.response_type).toBe('ephemeral');
      return JSON.stringify(r.body.blocks);
    };
    const list = await answer('list');
    expect(list).toContain(`*#${row.id}* P1 Calls not forwarding — open`);
    expect(list).toContain('response SLA ≤ 2 h left');
    expect(await answer(`show ${row.id}`)).toContain('*Timeline*');
    expect(await answer('show 999999')).toContain('There is no incident #999999.');
  });
});

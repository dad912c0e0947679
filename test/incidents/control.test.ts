import { describe, expect, it } from 'vitest';
import { IncidentIds } from '../../blocks/ids';
import { run as runEscalation } from '../../jobs/escalation';
import { getIncident, listEvents } from '../../src/incidents/store';
import { appHomeOpened, postSignedJson } from '../../sandbox/payloads';
import { FakeClock, type TestBot } from '../support/harness';
import { SIGNING_SECRET } from '../support/slack-requests';
import { announcement, at, dayByDay, declareBySlash, deliver, MIN, newestIncidentId, newIncidentAfter, useIncidentBot } from './support';

/**
 * The pinned control message in an incident's own channel, and the SLA countdown it shares with
 * the announcement and Home: end to end, on an injected clock.
 */
const clock = new FakeClock(new Date('2026-03-02T14:00:00Z'));
const startDay = dayByDay(clock);
let t: TestBot;
useIncidentBot({ clock }, (bot) => {
  t = bot;
});

/** Declares by `/incident` and waits for both the announcement and the incident's own channel. */
const declare = (text: string, userId = 'UOPS') => declareBySlash(t, text, userId, (r) => Boolean(r.messageTs && r.incidentChannel));

async function settle() {
  await t.settle();
  await deliver(t);
}

const control = (channel: string, ts: string) => t.slack.findMessage(channel, ts)!;
const buttonsOf = (blocks: any[] = []) => blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements.map((e: any) => e.text.text));
const controlUpdates = (ts: string) => t.slack.callsOf('chat.update').filter((c) => c.args.ts === ts).length;

describe('the control message in the incident channel', () => {
  it('is posted, its ts stored, pinned, and updated in place on ack, lead and resolve', async () => {
    startDay();
    const row = await declare('p1 Card payments fail at checkout');
    const channel = row.incidentChannel!;
    expect(row.controlTs).toBeTruthy();
    const msg = control(channel, row.controlTs!);
    expect(msg.pinned).toBe(true);
    expect(t.slack.callsOf('pins.add').at(-1)!.args).toMatchObject({ channel, timestamp: row.controlTs });
    expect(msg.text).toContain(`incident #${row.id}`);
    expect(JSON.stringify(msg.blocks)).toContain('Open');
    expect(buttonsOf(msg.blocks)).toEqual(['Acknowledge', "I'll lead", 'Resolve', 'Escalate now']);
    // Posted once: the channel holds the intro and the control message, nothing more.
    expect(t.slack.channelMessages(channel).filter((m) => m.text.startsWith('Control:'))).toHaveLength(1);

    // Acknowledge from the control message itself.
    let updates = controlUpdates(row.controlTs!);
    await t.click({ actionId: IncidentIds.ack, value: `${row.id}|1`, channelId: channel, messageTs: row.controlTs!, userId: 'UTECH' });
    await settle();
    expect((await getIncident(t.database.db, row.id))!.acknowledgedBy).toBe('UTECH');
    expect(controlUpdates(row.controlTs!)).toBeGreaterThan(updates);
    let body = JSON.stringify(control(channel, row.controlTs!).blocks);
    expect(body).toContain('Acknowledged');
    expect(body).toContain('<@UTECH>');
    expect(buttonsOf(control(channel, row.controlTs!).blocks)).toEqual(["I'll lead", 'Resolve', 'Escalate now']);

    // I'll lead.
    updates = controlUpdates(row.controlTs!);
    await t.click({ actionId: IncidentIds.lead, value: `${row.id}|1`, channelId: channel, messageTs: row.controlTs!, userId: 'UCTO' });
    await settle();
    expect(controlUpdates(row.controlTs!)).toBeGreaterThan(updates);
    body = JSON.stringify(control(channel, row.controlTs!).blocks);
    expect(body).toContain('*Lead:* <@UCTO>');
    expect(buttonsOf(control(channel, row.controlTs!).blocks)).not.toContain("I'll lead");

    // Resolved: the facts stay, the buttons go; still the same message.
    await t.slash('/incident', `resolve ${row.id} Rolled back the payment provider config`, { userId: 'UCTO' });
    await t.slack.waitFor(async () => (await getIncident(t.database.db, row.id))!.state === 'resolved');
    await settle();
    const done = control(channel, row.controlTs!);
    expect(JSON.stringify(done.blocks)).toContain('Resolved');
    expect(buttonsOf(done.blocks)).toEqual([]);
    expect(done.pinned).toBe(true);
    expect(t.slack.channelMessages(channel).filter((m) => m.text.startsWith('Control:'))).toHaveLength(1);
  });

  it('a severity raise that opens the channel posts and pins it too', async () => {
    startDay();
    const before = await newestIncidentId(t);
    await t.slash('/incident', 'p3 Typos on the pricing page', { userId: 'UOPS' });
    const row = await newIncidentAfter(t, before);
    await settle();
    expect((await getIncident(t.database.db, row.id))!.controlTs).toBeNull();
    await t.slash('/incident', `severity ${row.id} p1`, { userId: 'UTECH' });
    const raised = await t.slack.waitFor(async () => {
      const r = (await getIncident(t.database.db, row.id))!;
      return r.controlTs ? r : undefined;
    });
    await settle();
    const msg = control(raised.incidentChannel!, raised.controlTs!);
    expect(msg.pinned).toBe(true);
    expect(JSON.stringify(msg.blocks)).toContain('P1');
  });

  it('when Slack refuses the pin, the message is still posted and the log and timeline say why', async () => {
    startDay();
    t.slack.fault({ method: 'pins.add', error: 'missing_scope', times: 1 });
    const row = await declare('p1 Forwarding drops calls');
    const msg = control(row.incidentChannel!, row.controlTs!);
    expect(msg).toBeTruthy();
    expect(msg.pinned).toBeUndefined();
    expect(buttonsOf(msg.blocks)).toContain('Acknowledge');
    const event = (await listEvents(t.database.db, row.id)).find((e) => e.kind === 'control')!;
    expect(event.text).toContain('not pinned');
    expect(event.text).toContain('`pins:write`');
    expect(t.logs.some((l) => l.includes('could not pin the incident control message') && l.includes('missing_scope'))).toBe(true);
    // The reason reaches the timeline thread too.
    await t.slack.waitFor(() => t.slack.channelMessages('incidents').some((m) => m.thread_ts === row.messageTs && m.text.includes('not pinned')));
  });
});

describe('the SLA countdown', () => {
  const left = (blocks: any[] | undefined) => /Response:\*[^\n]*?(≤ [^"\\]*? left|breached[^"\\]*)/.exec(JSON.stringify(blocks))?.[1];

  it('the announcement, the control message and Home show the time left, re-rendered only when it changes', async () => {
    const t0 = startDay();
    const row = await declare('p1 Stripe webhooks failing');
    const ann = () => announcement(t, row.id)!;
    const ctl = () => control(row.incidentChannel!, row.controlTs!);
    // A P1 must be acknowledged within 2 h (the guide): the deadline is a date token, the time left text.
    expect(JSON.stringify(ann().blocks)).toContain(`<!date^${Math.floor(at(t0, 120 * MIN).getTime() / 1000)}^`);
    expect(left(ann().blocks)).toBe('≤ 2 h left');
    expect(left(ctl().blocks)).toBe('≤ 2 h left');

    // 3 min later the text still holds (2 h in 5-minute steps): the sweep sends nothing.
    const sweep = async (ms: number) => {
      clock.set(at(t0, ms));
      await runEscalation(t.bot.deps, at(t0, ms));
      await settle();
    };
    await sweep(3 * MIN);
    const updates = t.slack.callsOf('chat.update').length;
    await sweep(4 * MIN);
    expect(t.slack.callsOf('chat.update').length).toBe(updates);

    // 6 min: 114 min left shows as "≤ 1 h 55 min", on both messages and on Home.
    await sweep(6 * MIN);
    expect(left(ann().blocks)).toBe('≤ 1 h 55 min left');
    expect(left(ctl().blocks)).toBe('≤ 1 h 55 min left');
    await postSignedJson(t.bot.url, appHomeOpened('UOPS', 'DUOPS'), { secret: SIGNING_SECRET });
    await t.slack.waitFor(() => t.slack.homes.get('UOPS'));
    await t.bot.deps.home.idle();
    expect(JSON.stringify(t.slack.homes.get('UOPS')!.view.blocks)).toContain('response ≤ 1 h 55 min left');

    // In the last quarter hour the step is a minute.
    await sweep(110 * MIN + 20_000);
    expect(left(ann().blocks)).toBe('≤ 10 min left');
    await sweep(119 * MIN + 30_000);
    expect(left(ctl().blocks)).toBe('≤ 1 min left');

    // Breached: how long ago is Slack's own live `{ago}`, so no refresh is needed for it.
    await sweep(125 * MIN);
    const due = Math.floor(at(t0, 120 * MIN).getTime() / 1000);
    expect(JSON.stringify(ann().blocks)).toContain(`breached* (<!date^${due}^due {ago}|due`);
    expect(JSON.stringify(ctl().blocks)).toContain(`<!date^${due}^due {ago}|`);
    const after = t.slack.callsOf('chat.update').filter((c) => c.args.ts === row.messageTs).length;
    await sweep(126 * MIN);
    expect(t.slack.callsOf('chat.update').filter((c) => c.args.ts === row.messageTs).length).toBe(after);
  });
});

import { describe, expect, it } from 'vitest';
import { IncidentIds } from '../../blocks/ids';
import { run as runEscalation } from '../../jobs/escalation';
import { getIncident, listEvents } from '../../src/incidents/store';
import type { Policy } from '../../src/incidents/policy';
import { wallTimeToInstant } from '../../src/schedule';
import { FakeClock, type TestBot } from '../support/harness';
import { announcement, at, dayByDay, declareBySlash, deliver, MIN, pagesTo, useIncidentBot } from './support';

const clock = new FakeClock(new Date('2026-03-02T14:00:00Z'));
const startDay = dayByDay(clock);
let t: TestBot;
useIncidentBot({ clock }, (bot) => {
  t = bot;
});

const declare = (text: string, userId = 'UOPS') => declareBySlash(t, text, userId);

/** The reply a slash command finally gave (the response_url answer that replaced the placeholder). */
async function reply(text: string, userId: string) {
  const n = t.slack.responses.length;
  await t.slash('/incident', text, { userId });
  const r = await t.slack.waitFor(() =>
    t.slack.responses.slice(n).find((x) => !/^(:hourglass|:mega: Posting|:spiral_note_pad: Saving)/.test(String(x.body.text))),
  );
  await t.settle();
  await deliver(t);
  return String(r.body.text);
}

const buttonsOf = (blocks: any[]) => blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements.map((e: any) => e.text.text));

describe('incident lifecycle, end to end', () => {
  it('raising P2 to P0: policy replaced and logged, SLAs from the declaration, channel opened, paging per P0; it then climbs on the P0 clock', async () => {
    const t0 = startDay();
    const row = await declare('p2 Checkout is slow for some');
    expect(pagesTo(t, 'UOPS', row.id)).toHaveLength(0);
    clock.set(at(t0, 5 * MIN));
    const text = await reply(`severity ${row.id} p0`, 'UTECH');
    expect(text).toContain(`Incident #${row.id} is now P0 (was P2)`);
    expect(text).toContain('Paged Operations team (<@UOPS>)');
    expect(text).toContain('Paged CTO (<@UCTO>)');
    const after = (await getIncident(t.database.db, row.id))!;
    expect(after.severity).toBe('p0');
    expect((after.policy as Policy).severity).toBe('p0');
    expect(after.responseDueAt.toISOString()).toBe(at(t0, 15 * MIN).toISOString());
    expect(after.resolutionDueAt!.toISOString()).toBe(at(t0, 60 * MIN).toISOString());
    const created = t.slack.callsOf('conversations.create').at(-1)!;
    expect(created.args.name).toBe(`inc-${row.id}-checkout-is-slow-for-some`);
    expect(after.incidentChannel).toBeTruthy();
    const sev = (await listEvents(t.database.db, row.id)).find((e) => e.kind === 'severity')!;
    expect(sev.text).toContain('Severity P2 → P0');
    expect(sev.userId).toBe('UTECH');
    expect(JSON.stringify(announcement(t, row.id)!.blocks)).toContain('P0 · Critical');
    // The P0 clock: 15 min a level from the change; the Technical Lead is paged at 20 min.
    clock.set(at(t0, 20 * MIN));
    await runEscalation(t.bot.deps, at(t0, 20 * MIN));
    await deliver(t);
    expect(pagesTo(t, 'UTECH', row.id)).toHaveLength(1);
  });

  it('lowering to P3 returns to the start level and pages nobody more', async () => {
    const t0 = startDay();
    const row = await declare('p1 Forwarding drops calls');
    expect(pagesTo(t, 'UTECH', row.id)).toHaveLength(1);
    expect(await reply(`severity ${row.id} low`, 'UCTO')).toContain('is now P3 (was P1)');
    const after = (await getIncident(t.database.db, row.id))!;
    expect(after.level).toBe(0);
    expect(after.resolutionDueAt).toBeNull();
    clock.set(at(t0, 3 * 60 * MIN));
    await runEscalation(t.bot.deps, at(t0, 3 * 60 * MIN));
    await deliver(t);
    for (const u of ['UOPS', 'UCTO', 'UCEO']) expect(pagesTo(t, u, row.id)).toHaveLength(0);
    expect(pagesTo(t, 'UTECH', row.id)).toHaveLength(1);
  });

  it("I'll lead, /incident lead and update: stored, on the timeline, on the announcement and in the channel", async () => {
    startDay();
    const row = await declare('p1 Payments API answers 502 for card payments in the EU region');
    // Channel name: at most 40 characters, whole words.
    const name = t.slack.callsOf('conversations.create').at(-1)!.args.name as string;
    expect(name).toBe(`inc-${row.id}-payments-api-answers-502-for-card`);
    expect(name.length).toBeLessThanOrEqual(40);
    const msg = announcement(t, row.id)!;
    expect(buttonsOf(msg.blocks!)).toContain("I'll lead");
    await t.click({ actionId: IncidentIds.lead, value: `${row.id}|1`, channelId: msg.channel, messageTs: msg.ts, userId: 'UTECH' });
    await t.settle();
    await deliver(t);
    expect((await getIncident(t.database.db, row.id))!.lead).toBe('UTECH');
    const led = JSON.stringify(announcement(t, row.id)!.blocks);
    expect(led).toContain('*Lead:*\\n<@UTECH>');
    expect(buttonsOf(announcement(t, row.id)!.blocks!)).not.toContain("I'll lead");
    expect(await reply(`lead ${row.id} @nobody-here`, 'UCTO')).toContain('I know nobody called @nobody-here');
    expect(await reply(`lead ${row.id} <@UCTO>`, 'UCTO')).toContain('You lead incident');

    const text = await reply(`update ${row.id} Rolled back the <!channel> deploy; *watching*`, 'UCTO');
    expect(text).toContain('Status update saved');
    expect(text).toContain('Posted in <#');
    const inChannel = t.slack.channelMessages((await getIncident(t.database.db, row.id))!.incidentChannel!).at(-1)!;
    expect(inChannel.text).toContain('Rolled back the &lt;!channel&gt; deploy');
    expect(inChannel.text).toContain('from <@UCTO>');
    expect(inChannel.text).not.toContain('<!channel>');
    expect(JSON.stringify(announcement(t, row.id)!.blocks)).toContain('Latest update');
    const kinds = (await listEvents(t.database.db, row.id)).map((e) => e.kind);
    expect(kinds.filter((k) => k === 'lead')).toHaveLength(2);
    expect(kinds).toContain('update');
  });

  it('a page DM carries Acknowledge and Resolve; Resolve asks for the note, which ends on the announcement', async () => {
    startDay();
    const row = await declare('p1 Ads budget API is down');
    const page = pagesTo(t, 'UTECH', row.id).at(-1)!;
    const dmButtons = (page.args.blocks as any[]).find((b) => b.type === 'actions').elements;
    expect(dmButtons.map((e: any) => e.text.text)).toEqual(['Acknowledge', 'Resolve']);
    const dm = t.slack.channelMessages('UTECH').at(-1)!;
    await t.click({ actionId: IncidentIds.ack, value: dmButtons[0].value, channelId: dm.channel, messageTs: dm.ts, userId: 'UTECH' });
    await t.slack.waitFor(async () => (await getIncident(t.database.db, row.id))!.state === 'acknowledged');

    const opened = t.slack.callsOf('views.open').length;
    await t.click({ actionId: IncidentIds.resolve, value: dmButtons[1].value, channelId: dm.channel, messageTs: dm.ts, userId: 'UTECH' });
    const modal = (await t.slack.waitFor(() => t.slack.callsOf('views.open')[opened])).args.view;
    expect(modal.callback_id).toBe(IncidentIds.resolveModal);
    const submit = (value: string) =>
      t.submitView({
        callbackId: IncidentIds.resolveModal,
        privateMetadata: modal.private_metadata,
        userId: 'UTECH',
        values: { [IncidentIds.resolveNoteBlock]: { [IncidentIds.resolveNoteInput]: { type: 'plain_text_input', value } } },
      });
    const empty = await submit('   ');
    expect(empty.json.errors[IncidentIds.resolveNoteBlock]).toBe('Say what fixed it.');
    expect((await getIncident(t.database.db, row.id))!.state).toBe('acknowledged');
    await submit('Renewed the expired <@UCEO> token');
    await t.slack.waitFor(async () => (await getIncident(t.database.db, row.id))!.state === 'resolved');
    await t.settle();
    await deliver(t);
    const confirm = await t.slack.waitFor(() =>
      t.slack.callsOf('chat.postMessage').find((c) => c.args.channel === 'UTECH' && String(c.args.text).includes(`You resolved incident #${row.id}`)),
    );
    expect(confirm).toBeTruthy();
    const body = JSON.stringify(announcement(t, row.id)!.blocks);
    expect(body).toContain('Renewed the expired &lt;@UCEO&gt; token');
  });

  it('an open P1 without a status update for 30 minutes reminds its declarer, then its lead, counting from the last update', async () => {
    const t0 = startDay();
    const row = await declare('p1 Voicemail transcription stalls', 'UOPS');
    const reminders = (user: string) =>
      t.slack
        .callsOf('chat.postMessage')
        .filter((c) => c.args.channel === user && String(c.args.text).includes(`incident #${row.id}:`) && String(c.args.text).includes('no status update'));
    const sweep = async (ms: number) => {
      clock.set(at(t0, ms));
      await runEscalation(t.bot.deps, at(t0, ms));
      await deliver(t);
    };
    await sweep(29 * MIN);
    expect(reminders('UOPS')).toHaveLength(0);
    // (Acknowledged so the response track climbs no further; reminders are about updates, not acknowledgement.)
    await reply(`ack ${row.id}`, 'UTECH');
    await sweep(30 * MIN);
    expect(reminders('UOPS')).toHaveLength(1);
    expect(String(reminders('UOPS')[0]!.args.text)).toContain('no status update for 30 min');
    clock.set(at(t0, 40 * MIN));
    await reply(`lead ${row.id}`, 'UTECH');
    await reply(`update ${row.id} Queue drained, watching`, 'UTECH');
    await sweep(60 * MIN);
    expect(reminders('UTECH')).toHaveLength(0);
    await sweep(70 * MIN);
    expect(reminders('UTECH')).toHaveLength(1);
    expect(reminders('UOPS')).toHaveLength(1);
  });

  it('a follow-up: stored with owner and due day, on the timeline and Home, reminded on its day at 09:00', async () => {
    const t0 = startDay();
    const row = await declare('p1 SMS gateway rejects numbers');
    const due = new Date(t0.getTime() + 2 * 24 * 60 * MIN).toISOString().slice(0, 10);
    const bad = await t.slash('/incident', `followup ${row.id} Add a probe for the SMS gateway 2026-02-30`, { userId: 'UTECH' });
    expect(bad.json.text).toContain('2026-02-30 is not a day of the calendar');
    const text = await reply(`followup ${row.id} Add a probe for the <!here> SMS gateway <@UCTO> ${due}`, 'UTECH');
    expect(text).not.toContain(':spiral_note_pad: Saving');
    expect(text).toContain(`saved on incident #${row.id} for <@UCTO>; I remind them on ${due} at 09:00`);
    const ev = (await listEvents(t.database.db, row.id)).find((e) => e.kind === 'followup')!;
    expect(ev.text).toContain(`due ${due}: Add a probe for the <!here> SMS gateway`);
    await t.bot.deps.home.opened('UCTO');
    const home = JSON.stringify(t.slack.homes.get('UCTO')!.view.blocks);
    expect(home).toContain('Your follow-ups (1)');
    expect(home).toContain('Add a probe for the &lt;!here&gt; SMS gateway');
    const reminders = () => t.slack.callsOf('chat.postMessage').filter((c) => c.args.channel === 'UCTO' && String(c.args.text).includes('is due today'));
    // 09:00 in the business time zone on the due day (the config's default zone).
    const nine = new Date(
      wallTimeToInstant(
        { year: Number(due.slice(0, 4)), month: Number(due.slice(5, 7)), day: Number(due.slice(8, 10)), hour: 9, minute: 0 },
        t.config.timezone,
      ),
    );
    clock.set(new Date(nine.getTime() - 1000));
    await runEscalation(t.bot.deps, new Date(nine.getTime() - 1000));
    await deliver(t);
    expect(reminders()).toHaveLength(0);
    clock.set(nine);
    await runEscalation(t.bot.deps, nine);
    await deliver(t);
    expect(reminders()).toHaveLength(1);
    expect(String(reminders()[0]!.args.text)).toContain(`follow-up ${ev.text.match(/Follow-up (\d+)/)![1]} of incident #${row.id} is due today`);
  });
});

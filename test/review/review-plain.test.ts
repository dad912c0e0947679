import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { ActionIds, itemRef } from '../../blocks/ids';
import { run as runEscalation } from '../../jobs/escalation';
import { timerHandlers } from '../../jobs/timers';
import { checklistRuns, incidentEvents, incidentFollowups, timers } from '../../src/db/schema';
import { DR_CHECKLIST_ID } from '../../src/dr/procedure';
import { resolveIncident } from '../../src/incidents/flows';
import { getIncident, listEvents } from '../../src/incidents/store';
import { draftReview } from '../../src/review/flow';
import { wallTimeToInstant } from '../../src/schedule';
import { sweepTimers } from '../../src/timers';
import { FakeClock, startTestBot, type TestBot } from '../support/harness';
import { dayByDay, deliver, INCIDENT_CONFIG, useIncidentBot } from '../incidents/support';
import { declare, MIN, p1WithHistory, reply, reviewMessage, reviewPosts, reviewRow } from './support';

const clock = new FakeClock(new Date('2026-03-02T14:00:00Z'));
const startDay = dayByDay(clock);
let t: TestBot;
const config = { ...INCIDENT_CONFIG, channels: { ops: 'ops', incidents: 'incidents', leadership: 'leadership', security: 'ops' } };
useIncidentBot({ clock, config }, (bot) => {
  t = bot;
});

describe('the post-incident review draft without an LLM', () => {
  it('resolving a P1 posts the plain draft in its channel: timeline, times against the SLAs, escalations, checklists and probes; /incident review shows it again', async () => {
    const t0 = startDay();
    const inc = await p1WithHistory(t, (at) => clock.set(at), t0, 'Card payments <!channel> fail at checkout');
    const res = await reply(t, '/incident', `resolve ${inc.id} Rotated the Stripe key`, 'UTECH');
    expect(res.text).toContain(`You resolved incident #${inc.id}`);
    const { body } = await reviewMessage(t, inc.incidentChannel!, inc.id);
    expect(body).toContain(`Post-incident review draft — incident #${inc.id} (P1 · High)`);
    expect(body).toContain('Plain draft from the facts (no OpenAI API key is configured)');
    expect(body).toContain('*Time to acknowledge*\\n20 min (SLA 120 min, met)');
    expect(body).toContain('*Time to resolve*\\n50 min (SLA 1440 min, met)');
    expect(body).toContain('*Escalations (1)*');
    expect(body).toContain('to CTO (by hand)');
    expect(body).toContain('*declared*');
    expect(body).toContain('*acknowledged* — <@UCTO>');
    expect(body).toContain('Resolution: Rotated the Stripe key');
    expect(body).toContain('Morning Check');
    expect(body).toContain('*1 signed Problem*');
    expect(body).toContain('payments: fail — Stripe: 4 of 9 charges failed');
    expect(body).toContain('(1 probe failure)');
    // Typed text never pings.
    expect(body).toContain('&lt;!channel&gt;');
    expect(body).not.toContain('<!channel>');
    const stored = (await reviewRow(t, inc.id))!;
    expect(stored).toMatchObject({ source: 'plain', reason: 'no_api_key', narrative: null, channel: inc.incidentChannel });
    expect((await listEvents(t.database.db, inc.id)).map((e) => e.text)).toContain('Post-incident review draft posted (plain draft)');
    // The fallback timer was cancelled: nothing is owed any more.
    const owed = await t.database.db
      .select()
      .from(timers)
      .where(and(eq(timers.kind, 'incident-review'), eq(timers.refId, String(inc.id))));
    expect(owed.map((x) => Boolean(x.cancelledAt))).toEqual([true]);

    const again = await reply(t, '/incident', `review ${inc.id}`, 'UOUT');
    expect(JSON.stringify(again.blocks)).toContain('*Time to acknowledge*\\n20 min (SLA 120 min, met)');
    expect((await reply(t, '/incident', 'review 99999', 'UOUT')).text).toContain('There is no incident #99999');
    expect((await reviewPosts(t, inc.id)).length).toBe(1);
  });

  it('a P2 gets no draft, and /incident review says why', async () => {
    startDay();
    const inc = await declare(t, 'p2 Reports load slowly');
    await reply(t, '/incident', `resolve ${inc.id} cache warmed`, 'UOPS');
    expect(await reviewRow(t, inc.id)).toBeUndefined();
    expect((await reply(t, '/incident', `review ${inc.id}`, 'UOPS')).text).toContain('is not a P0 or P1');
  });

  it('a crash between resolve and post: the intent stored with the resolve is posted once by the sweep after a restart', async () => {
    const t0 = startDay();
    const inc = await declare(t, 'p1 Call forwarding drops calls');
    clock.set(new Date(t0.getTime() + 30 * MIN));
    // The resolve commits; the process dies before the request writes the draft.
    const r = await resolveIncident(t.bot.deps, { id: inc.id, userId: 'UTECH', note: 'Carrier fixed the trunk' });
    expect(r.kind).toBe('done');
    expect(await reviewRow(t, inc.id)).toBeUndefined();
    const database = t.database;
    await t.close({ keepDatabase: true });
    t = await startTestBot({ config, clock, database });
    // Not before the resolving request's turn is over…
    clock.set(new Date(t0.getTime() + 31 * MIN));
    await sweepTimers(t.bot.deps.db, clock.now(), timerHandlers(t.bot.deps));
    expect(await reviewRow(t, inc.id)).toBeUndefined();
    // …then the sweep writes and posts it.
    clock.set(new Date(t0.getTime() + 33 * MIN));
    await sweepTimers(t.bot.deps.db, clock.now(), timerHandlers(t.bot.deps));
    await deliver(t);
    const { body } = await reviewMessage(t, inc.incidentChannel!, inc.id);
    expect(body).toContain('Resolution: Carrier fixed the trunk');
    // Once: another sweep, a late request and a replay change nothing.
    clock.set(new Date(t0.getTime() + 60 * MIN));
    await sweepTimers(t.bot.deps.db, clock.now(), timerHandlers(t.bot.deps));
    expect(await draftReview(t.bot.deps, inc.id)).toBe('already');
    await deliver(t);
    expect((await reviewPosts(t, inc.id)).length).toBe(1);
    expect(t.slack.channelMessages(inc.incidentChannel!).filter((m) => String(m.text).includes('Post-incident review draft')).length).toBe(1);
  });
});

describe('follow-ups: done, list, reminders', () => {
  it('marks done by command and by the Done button of the reminder; refuses others; lists the open ones newest first', async () => {
    const t0 = startDay();
    const inc = await declare(t, 'p1 Lead form posts nothing');
    const due = new Date(t0.getTime() + 24 * 60 * MIN).toISOString().slice(0, 10);
    const first = await reply(t, '/incident', `followup ${inc.id} Add a probe for the lead form <@UCTO> ${due}`, 'UTECH');
    const doneButton = first.blocks.find((b) => b.type === 'actions')?.elements[0];
    expect(doneButton?.text.text).toBe('Done');
    clock.set(new Date(t0.getTime() + MIN));
    await reply(t, '/incident', `followup ${inc.id} Write the <!here> runbook`, 'UOPS');
    const rows = await t.database.db.select().from(incidentFollowups).where(eq(incidentFollowups.incidentId, inc.id));
    const [probe, runbook] = [rows.find((f) => f.text.startsWith('Add a probe'))!, rows.find((f) => f.text.startsWith('Write'))!];
    expect(doneButton.value).toBe(String(probe.id));

    const list = await reply(t, '/incident', `followups ${inc.id}`, 'UOUT');
    expect(list.text).toContain(`Open follow-ups of incident #${inc.id}* (2, newest first)`);
    expect(list.text.indexOf(`*${runbook.id}*`)).toBeLessThan(list.text.indexOf(`*${probe.id}*`));
    expect(list.text).toContain('Write the &lt;!here&gt; runbook');
    expect(list.text).toContain(`<@UCTO>, due ${due}: Add a probe`);

    // Someone neither owner, lead nor resolver is told who may.
    const refused = await reply(t, '/incident', `followup done ${runbook.id}`, 'UOUT');
    expect(refused.text).toContain(`Only its owner, the lead of incident #${inc.id} or the`);
    expect((await reply(t, '/incident', 'followup done 999999', 'UOPS')).text).toContain('There is no follow-up 999999');
    expect((await t.slash('/incident', 'followup done', { userId: 'UOPS' })).json.text).toContain('Which follow-up?');
    // Its owner marks it done.
    expect((await reply(t, '/incident', `followup done ${runbook.id}`, 'UOPS')).text).toContain(`Follow-up ${runbook.id} of incident #${inc.id} is done`);
    expect((await reply(t, '/incident', `followup done ${runbook.id}`, 'UOPS')).text).toContain('was already marked done by <@UOPS>');

    // The reminder on the due day carries Done; the owner clicks it and the message says so in place.
    const nine = new Date(
      wallTimeToInstant(
        { year: Number(due.slice(0, 4)), month: Number(due.slice(5, 7)), day: Number(due.slice(8, 10)), hour: 9, minute: 0 },
        t.config.timezone,
      ),
    );
    clock.set(nine);
    await runEscalation(t.bot.deps, nine);
    await deliver(t);
    const dm = await t.slack.waitFor(() =>
      t.slack.channelMessages('UCTO').find((m) => String(m.text).includes(`follow-up ${probe.id} of incident #${inc.id} is due today`)),
    );
    await t.bot.deps.home.opened('UCTO');
    const home = () => JSON.stringify(t.slack.homes.get('UCTO')?.view.blocks ?? []);
    expect(home()).toContain(`follow-up ${probe.id} of incident #${inc.id}, due ${due}`);
    const button = (dm.blocks as any[]).find((b) => b.type === 'actions').elements[0];
    const n = t.slack.responses.length;
    await t.click({ actionId: button.action_id, value: button.value, channelId: dm.channel, messageTs: dm.ts, userId: 'UCTO' });
    const answer = await t.slack.waitFor(() => t.slack.responses[n]);
    expect(answer.body.replace_original).toBe(true);
    expect(String(answer.body.text)).toContain(`Follow-up ${probe.id} of incident #${inc.id} is done`);
    const after = (await t.database.db.select().from(incidentFollowups).where(eq(incidentFollowups.id, probe.id)))[0]!;
    expect(after.doneBy).toBe('UCTO');
    const events = (await t.database.db.select().from(incidentEvents).where(eq(incidentEvents.incidentId, inc.id))).map((e) => e.text);
    expect(events).toContain(`Follow-up ${probe.id} done: Add a probe for the lead form`);
    // Home drops it on its own.
    await t.slack.waitFor(() => !home().includes(`follow-up ${probe.id} of incident`), 15_000);
    expect((await reply(t, '/incident', `followups ${inc.id}`, 'UOPS')).text).toContain(`No open follow-ups of incident #${inc.id}`);
  });
});

describe('the weekly summary counts follow-ups', () => {
  it('opened, done and overdue in the week, in the facts and the plain text', async () => {
    // Week 2026-W12 (Mon 16 – Sun 22 March, New York).
    clock.set('2026-03-17T15:00:00Z');
    const inc = await declare(t, 'p2 Invoices show the wrong VAT');
    await reply(t, '/incident', `followup ${inc.id} Fix the VAT rounding 2026-03-18`, 'UOPS');
    await reply(t, '/incident', `followup ${inc.id} Tell the accountant 2026-03-25`, 'UOPS');
    await reply(t, '/incident', `followup ${inc.id} Add a VAT test`, 'UOPS');
    const done = (await t.database.db.select().from(incidentFollowups).where(eq(incidentFollowups.text, 'Add a VAT test')))[0]!;
    await reply(t, '/incident', `followup done ${done.id}`, 'UOPS');
    clock.set('2026-03-23T14:00:00Z');
    const n = t.slack.callsOf('chat.postMessage').length;
    await t.slash('/ops', 'summary last', { userId: 'UCEO' });
    const call = await t.slack.waitFor(
      () =>
        t.slack
          .callsOf('chat.postMessage')
          .slice(n)
          .find((c) => String(c.args.text).includes('Weekly summary')),
      15_000,
    );
    const body = JSON.stringify(call.args.blocks);
    expect(body).toContain('Incident follow-ups: 3 opened, 1 done, 1 overdue.');
    expect(body).toContain('1 incident follow-up overdue.');
    await t.settle();
  });
});

describe('the DR post-mortem step and the review', () => {
  const drRun = async (incidentId: number) =>
    (
      await t.database.db
        .select()
        .from(checklistRuns)
        .where(and(eq(checklistRuns.checklistId, DR_CHECKLIST_ID), eq(checklistRuns.periodKey, `incident:${incidentId}`)))
    )[0]!;
  async function sign(runId: number, userId: string) {
    const run = (await t.database.db.select().from(checklistRuns).where(eq(checklistRuns.id, runId)))[0]!;
    await t.click({ actionId: ActionIds.itemDone, value: itemRef(runId, 'post-mortem'), channelId: run.channel, messageTs: run.messageTs!, userId });
    await t.settle();
    await deliver(t);
  }

  it('before the review the step says there is none, and signing it says so; after, the step points at the draft and signing links to it', async () => {
    const t0 = startDay();
    const early = await declare(t, 'p0 Booking site is down');
    const earlyRun = await drRun(early.id);
    expect(JSON.stringify(t.slack.findMessage(earlyRun.channel, earlyRun.messageTs!)!.blocks)).toContain('No post-incident review draft yet');
    await sign(earlyRun.id, 'UTECH');
    const none = await t.slack.waitFor(() =>
      t.slack.channelMessages(earlyRun.channel).find((m) => m.thread_ts === earlyRun.messageTs && String(m.text).includes('has no review draft')),
    );
    expect(String(none.text)).toContain(`incident #${early.id} has no review draft`);
    expect((await listEvents(t.database.db, early.id)).map((e) => e.text)).toContain('Post-mortem signed without a review draft (none exists yet)');

    clock.set(new Date(t0.getTime() + 40 * MIN));
    const inc = await declare(t, 'p0 Payments are down');
    const run = await drRun(inc.id);
    clock.set(new Date(t0.getTime() + 70 * MIN));
    await reply(t, '/incident', `resolve ${inc.id} Restored from backup`, 'UCTO');
    await reviewMessage(t, inc.incidentChannel!, inc.id);
    // The run's post-mortem step now points at the draft, on the checklist message itself.
    const refreshed = await t.slack.waitFor(() => {
      const m = t.slack.findMessage(run.channel, run.messageTs!);
      return m && JSON.stringify(m.blocks).includes('Start from the post-incident review draft') ? m : undefined;
    });
    expect(JSON.stringify(refreshed.blocks)).toContain(`/incident review ${inc.id} shows it again`);
    await sign(run.id, 'UCTO');
    const linked = await t.slack.waitFor(() =>
      t.slack.channelMessages(run.channel).find((m) => m.thread_ts === run.messageTs && String(m.text).includes('against its review draft')),
    );
    expect(String(linked.text)).toMatch(/<https?:\/\/[^|>]+\|open the draft>/);
    const events = (await listEvents(t.database.db, inc.id)).map((e) => e.text);
    expect(events.some((e) => e.startsWith('Post-mortem conducted against the review draft (plain draft)'))).toBe(true);
    expect((await getIncident(t.database.db, inc.id))!.state).toBe('resolved');
  });
});

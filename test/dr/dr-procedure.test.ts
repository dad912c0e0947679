import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ActionIds, itemRef } from '../../blocks/ids';
import { timerHandlers } from '../../jobs/timers';
import { checklistRuns, incidentEvents, incidents, timers } from '../../src/db/schema';
import { DR_CHECKLIST_ID } from '../../src/dr/procedure';
import { sweepTimers } from '../../src/timers';
import { FakeClock, startTestBot, type TestBot } from '../support/harness';
import { deliver, INCIDENT_CONFIG, latestIncident, quiesce } from '../incidents/support';

let t: TestBot;
const clock = new FakeClock(new Date('2026-03-02T14:00:00Z'));
const HOUR = 3_600_000;

beforeAll(async () => {
  t = await startTestBot({
    clock,
    config: {
      ...INCIDENT_CONFIG,
      channels: { ops: 'ops', incidents: 'incidents', leadership: 'leadership', security: 'ops', stakeholders: 'exec-stakeholders' },
      disasterRecovery: { stakeholderChannel: 'stakeholders' },
    },
  });
});
afterAll(() => t?.close());
afterEach(() => expect(t.slack.problems).toEqual([]));

async function declare(text: string) {
  const res = await t.slash('/incident', text, { userId: 'UOPS' });
  expect(res.status).toBe(200);
  await t.settle();
  await deliver(t);
  return latestIncident(t);
}
const drRun = async (incidentId: number) =>
  (
    await t.database.db
      .select()
      .from(checklistRuns)
      .where(and(eq(checklistRuns.checklistId, DR_CHECKLIST_ID), eq(checklistRuns.periodKey, `incident:${incidentId}`)))
  )[0];
const timeline = async (incidentId: number) =>
  (
    await t.database.db
      .select()
      .from(incidentEvents)
      .where(and(eq(incidentEvents.incidentId, incidentId), eq(incidentEvents.kind, 'procedure')))
  ).map((e) => ({ text: e.text, userId: e.userId }));

async function sign(runId: number, itemId: string, userId: string, action: string = ActionIds.itemDone) {
  const run = (await t.database.db.select().from(checklistRuns).where(eq(checklistRuns.id, runId)))[0]!;
  const res = await t.click({ actionId: action, value: itemRef(runId, itemId), channelId: run.channel, messageTs: run.messageTs!, userId });
  expect(res.status).toBe(200);
  await t.settle();
  await deliver(t);
}

describe('a P0 "system down" carries the disaster-recovery procedure', () => {
  let id: number;
  let runId: number;

  it('declaring it posts the ten steps as a checklist in the incident channel and says so on the timeline', async () => {
    const inc = await declare('p0 Booking system is down for everyone');
    id = inc.id;
    expect(inc.incidentChannel).toBeTruthy();
    const run = (await drRun(id))!;
    runId = run.id;
    expect(run.channel).toBe(inc.incidentChannel);
    expect(run.messageTs).toBeTruthy();
    const posted = t.slack.channelMessages(inc.incidentChannel!).find((m) => m.ts === run.messageTs)!;
    const body = JSON.stringify(posted.blocks);
    for (const step of [
      '1. Assess severity (partial or complete failure)',
      '2. Notify stakeholders immediately',
      '3. Activate disaster recovery team',
      '4. Begin restoration from latest backup',
      '5. Verify data integrity',
      '6. Test all functionality',
      '7. Bring system back online',
      '8. Monitor closely for 24 hours',
      '9. Conduct post-mortem',
      '10. Update procedures based on learnings',
    ]) {
      expect(body).toContain(step);
    }
    expect(await timeline(id)).toEqual([
      { text: 'The system is down: the disaster-recovery procedure (10 steps) is attached; each step signed appears here.', userId: null },
    ]);
    // One run per incident: its period is `incident:<id>`.
    expect(
      (
        await t.database.db
          .select()
          .from(checklistRuns)
          .where(eq(checklistRuns.periodKey, `incident:${id}`))
      ).length,
    ).toBe(1);
  });

  it('each step signed is on the timeline, with who and any note', async () => {
    await sign(runId, 'assess-severity', 'UTECH');
    await sign(runId, 'activate-team', 'UTECH', ActionIds.itemNa);
    const events = await timeline(id);
    expect(events).toContainEqual({ text: 'DR step 1. Assess severity (partial or complete failure): done', userId: 'UTECH' });
    expect(events).toContainEqual({ text: 'DR step 3. Activate disaster recovery team: not applicable', userId: 'UTECH' });
  });

  it('"Notify stakeholders" posts the incident to the configured stakeholder channel, once', async () => {
    await sign(runId, 'notify-stakeholders', 'UOPS');
    const told = () => t.slack.callsOf('chat.postMessage').filter((c) => c.args.channel === 'exec-stakeholders');
    expect(told()).toHaveLength(1);
    expect(String(told()[0]!.args.text)).toContain(`P0 incident #${id}: the system is down`);
    expect(String(told()[0]!.args.text)).toContain('<@UOPS> is keeping you informed');
    expect(await timeline(id)).toContainEqual({ text: 'Stakeholders notified in exec-stakeholders', userId: null });
    // Unsigned and signed again: not a second notice.
    await sign(runId, 'notify-stakeholders', 'UOPS', ActionIds.itemNa);
    await sign(runId, 'notify-stakeholders', 'UOPS');
    expect(told()).toHaveLength(1);
  });

  it('"Bring system back online" starts the 24-hour monitoring window; its end is said in the channel and on the timeline', async () => {
    await sign(runId, 'back-online', 'UTECH');
    const [timer] = await t.database.db
      .select()
      .from(timers)
      .where(and(eq(timers.kind, 'dr-monitor'), eq(timers.refId, String(id))));
    expect(timer!.dueAt.toISOString()).toBe(new Date(clock.now().getTime() + 24 * HOUR).toISOString());
    const run = (await drRun(id))!;
    const inThread = () => t.slack.channelMessages(run.channel).filter((m) => m.thread_ts === run.messageTs && m.text.includes('monitoring window'));
    clock.advance(23 * HOUR);
    await sweepTimers(t.bot.deps.db, clock.now(), timerHandlers(t.bot.deps));
    await deliver(t);
    expect(inThread()).toHaveLength(0);
    clock.advance(HOUR);
    const swept = await sweepTimers(t.bot.deps.db, clock.now(), timerHandlers(t.bot.deps));
    expect(swept.fired).toContainEqual({ kind: 'dr-monitor', refId: String(id), step: 0 });
    await deliver(t);
    expect(inThread()).toHaveLength(1);
    expect(inThread()[0]!.text).toContain('<@UTECH>');
    expect(await timeline(id)).toContainEqual({ text: 'The 24-hour monitoring window after recovery is over', userId: null });
  });
});

describe('which incidents get it', () => {
  it('not a P0 data loss (not an outage), not a P1 "down"', async () => {
    const loss = await declare('p0 Data loss in the bookings table');
    const p1 = await declare('p1 Reports page is down');
    expect(await drRun(loss.id)).toBeUndefined();
    expect(await drRun(p1.id)).toBeUndefined();
    await quiesce(t);
  });

  it('a declaration that died before attaching it gets it from its timer', async () => {
    const inc = await declare('p0 Payments are offline');
    const run = (await drRun(inc.id))!;
    // As if the request had died right after storing the incident: no run yet.
    await t.database.db.delete(checklistRuns).where(eq(checklistRuns.id, run.id));
    clock.advance(2 * 60_000);
    const swept = await sweepTimers(t.bot.deps.db, clock.now(), timerHandlers(t.bot.deps));
    expect(swept.fired).toContainEqual({ kind: 'dr-attach', refId: String(inc.id), step: 0 });
    const again = (await drRun(inc.id))!;
    expect(again.messageTs).toBeTruthy();
    expect((await t.database.db.select().from(incidents).where(eq(incidents.id, inc.id)))[0]!.incidentChannel).toBe(again.channel);
  });
});

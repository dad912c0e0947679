import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checklistRuns, incidentEvents, timers } from '../../src/db/schema';
import { DR_CHECKLIST_ID } from '../../src/dr/procedure';
import { FakeClock, startTestBot, type TestBot } from '../support/harness';
import { deliver, INCIDENT_CONFIG, latestIncident } from '../incidents/support';

let t: TestBot;
const clock = new FakeClock(new Date('2026-03-02T14:00:00Z'));

beforeAll(async () => {
  t = await startTestBot({ clock, config: INCIDENT_CONFIG });
});
afterAll(() => t?.close());
afterEach(() => expect(t.slack.problems).toEqual([]));

async function incident(text: string) {
  const res = await t.slash('/incident', text, { userId: 'UOPS' });
  expect(res.status).toBe(200);
  await t.settle();
  await deliver(t);
}
const drRuns = (incidentId: number) =>
  t.database.db
    .select()
    .from(checklistRuns)
    .where(and(eq(checklistRuns.checklistId, DR_CHECKLIST_ID), eq(checklistRuns.periodKey, `incident:${incidentId}`)));
const attachedLines = async (incidentId: number) =>
  (
    await t.database.db
      .select()
      .from(incidentEvents)
      .where(and(eq(incidentEvents.incidentId, incidentId), eq(incidentEvents.kind, 'procedure')))
  ).filter((e) => e.text.includes('disaster-recovery procedure (10 steps) is attached'));

describe('raising an incident to P0 attaches the DR procedure when its system is down', () => {
  it('a P1 "system down" raised to P0 gets the procedure in its channel, once however often it is raised', async () => {
    await incident('p1 Booking website is down for some users');
    const inc = await latestIncident(t);
    expect(await drRuns(inc.id)).toEqual([]);
    // The CTO may raise a P1 (its policy's escalation chain reaches them).
    await t.slash('/incident', `severity ${inc.id} p0`, { userId: 'UCTO' });
    await t.settle();
    await deliver(t);
    const [run] = await drRuns(inc.id);
    const raised = await latestIncident(t);
    expect(raised.severity).toBe('p0');
    expect(run!.channel).toBe(raised.incidentChannel);
    expect(run!.messageTs).toBeTruthy();
    const posted = t.slack.channelMessages(raised.incidentChannel!).find((m) => m.ts === run!.messageTs)!;
    expect(JSON.stringify(posted.blocks)).toContain('4. Begin restoration from latest backup');
    // The fallback timer was written with the raise, like with a declaration.
    expect(
      await t.database.db
        .select()
        .from(timers)
        .where(and(eq(timers.kind, 'dr-attach'), eq(timers.refId, String(inc.id)))),
    ).toHaveLength(1);

    for (const severity of ['p1', 'p0', 'p1', 'p0']) {
      await t.slash('/incident', `severity ${inc.id} ${severity}`, { userId: 'UCTO' });
      await t.settle();
      await deliver(t);
    }
    expect((await latestIncident(t)).severity).toBe('p0');
    expect(await drRuns(inc.id)).toHaveLength(1);
    expect(await attachedLines(inc.id)).toHaveLength(1);
    expect(
      t.slack.channelMessages(raised.incidentChannel!).filter((m) => JSON.stringify(m.blocks ?? []).includes('Begin restoration from latest backup')),
    ).toHaveLength(1);
  });

  it('a P1 raised to P0 whose summary does not say the system is down gets no procedure', async () => {
    await incident('p1 Customer data exported to the wrong account');
    const inc = await latestIncident(t);
    await t.slash('/incident', `severity ${inc.id} p0`, { userId: 'UCTO' });
    await t.settle();
    await deliver(t);
    expect((await latestIncident(t)).severity).toBe('p0');
    expect(await drRuns(inc.id)).toEqual([]);
    expect(await attachedLines(inc.id)).toEqual([]);
  });
});

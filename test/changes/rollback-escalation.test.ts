import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { remindersJob, timerHandlers } from '../../jobs/timers';
import { slashCommand } from '../../sandbox/payloads';
import { gatherChangeFacts } from '../../src/changes/facts';
import { checklistRuns, incidentEvents, incidents } from '../../src/db/schema';
import { sweepTimers, type SweepResult } from '../../src/timers';
import { FakeClock, startTestBot, type TestBot } from '../support/harness';
import { postSigned } from '../support/slack-requests';
import { deliver, INCIDENT_CONFIG, pagesTo } from '../incidents/support';

let t: TestBot;
const clock = new FakeClock(new Date('2026-03-02T14:00:00Z'));
const MIN = 60_000;

beforeAll(async () => {
  t = await startTestBot({ clock, config: INCIDENT_CONFIG });
});
afterAll(() => t?.close());
afterEach(() => expect(t.slack.problems).toEqual([]));

async function ops(text: string, userId = 'UTECH') {
  const id = randomUUID();
  const res = await postSigned(t.bot.url, slashCommand({ command: '/ops', text, userId, responseUrl: t.slack.responseUrl(id) }));
  expect(res.status).toBe(200);
  return (
    (await t.slack.waitFor(() => t.slack.responses.find((r) => r.id === id && !String((r.body as { text: string }).text).includes('…')))).body as {
      text: string;
    }
  ).text;
}
const escalations = async (incidentId: number) =>
  (
    await t.database.db
      .select()
      .from(incidentEvents)
      .where(and(eq(incidentEvents.incidentId, incidentId), eq(incidentEvents.kind, 'escalated')))
  ).map((e) => ({ text: e.text, level: e.level }));

describe('the rollback clock of a failed change escalates on the incident engine', () => {
  it('the deadline passing pages the next level of the frozen policy once, says so in the thread, and not again after a restart', async () => {
    await ops('change mobile-major Booking app 3.0');
    const [run] = await t.database.db.select().from(checklistRuns).where(eq(checklistRuns.checklistId, 'change-mobile-major'));
    expect(await ops(`change failed ${run!.id} Payments screen blank`)).toContain('roll back within 1 h.');
    const [inc] = await t.database.db
      .select()
      .from(incidents)
      .where(eq(incidents.sourceRef, `change:${run!.id}`));
    expect(inc).toMatchObject({ severity: 'p1', level: 1 });
    await deliver(t);
    expect(pagesTo(t, 'UCTO', inc!.id)).toEqual([]);

    // Only the rollback clock is swept: the P1's own response track must not be what escalates.
    const rollbackOnly = () => sweepTimers(t.bot.deps.db, clock.now(), { 'change-rollback': timerHandlers(t.bot.deps)['change-rollback']! });
    clock.advance(59 * MIN);
    expect((await rollbackOnly()).fired).toEqual([]);
    clock.advance(MIN);
    // The reminders job fires it, then refreshes the announcement.
    const announced = () => t.slack.channelMessages('incidents').find((m) => !m.thread_ts && m.text.includes(`incident #${inc!.id}:`))!;
    expect(JSON.stringify(announced().blocks)).toContain('now at *Technical Lead*, next CTO');
    expect(((await remindersJob.run(t.bot.deps, clock.now())) as SweepResult).fired).toEqual([{ kind: 'change-rollback', refId: String(inc!.id), step: 0 }]);
    await deliver(t);
    expect(JSON.stringify(announced().blocks)).toContain('now at *CTO*, next CEO');
    const reason = `Rollback deadline passed: change #${run!.id} was to be rolled back within 1 h and the incident is not resolved`;
    expect(await escalations(inc!.id)).toEqual([{ text: `${reason}: escalated to CTO.`, level: 2 }]);
    const [after] = await t.database.db.select().from(incidents).where(eq(incidents.id, inc!.id));
    expect(after!.level).toBe(2);
    const page = pagesTo(t, 'UCTO', inc!.id);
    expect(page).toHaveLength(1);
    expect(JSON.stringify(page[0]!.args)).toContain('Rollback deadline passed');
    const thread = t.slack.channelMessages('ops').filter((m) => m.thread_ts === run!.messageTs && m.text.includes('rollback deadline'));
    expect(thread.map((m) => m.text)).toEqual([
      `:alarm_clock: The rollback deadline (1 h) has passed and incident #${inc!.id} is not resolved: escalated to CTO, paged now. Roll back now.`,
    ]);

    // A restart (same database, a new process): the step is not taken again.
    const database = t.database;
    await t.close({ keepDatabase: true });
    t = await startTestBot({ clock, config: INCIDENT_CONFIG, database });
    clock.advance(MIN);
    await remindersJob.run(t.bot.deps, clock.now());
    await rollbackOnly();
    await deliver(t);
    expect(await escalations(inc!.id)).toEqual([{ text: `${reason}: escalated to CTO.`, level: 2 }]);
    expect(pagesTo(t, 'UCTO', inc!.id)).toEqual([]);
  });

  it('a change whose incident is resolved before the deadline escalates nothing', async () => {
    await ops('change aws New VPC peering');
    const [run] = await t.database.db.select().from(checklistRuns).where(eq(checklistRuns.checklistId, 'change-aws'));
    await ops(`change failed ${run!.id} Lambdas time out`);
    const [inc] = await t.database.db
      .select()
      .from(incidents)
      .where(eq(incidents.sourceRef, `change:${run!.id}`));
    await t.slash('/incident', `resolve ${inc!.id} rolled back`, { userId: 'UTECH' });
    await t.settle();
    expect((await t.database.db.select().from(incidents).where(eq(incidents.id, inc!.id)))[0]!.state).toBe('resolved');
    clock.advance(31 * MIN);
    await remindersJob.run(t.bot.deps, clock.now());
    await deliver(t);
    expect(await escalations(inc!.id)).toEqual([]);
    expect(t.slack.channelMessages('ops').some((m) => m.thread_ts === run!.messageTs && m.text.includes('rollback deadline'))).toBe(false);
  });

  it("the week's change facts count both failures", async () => {
    const facts = await gatherChangeFacts(t.database.db, new Date('2026-03-02T00:00:00Z'), new Date('2026-03-09T00:00:00Z'));
    expect(facts).toEqual({ started: 2, completed: 0, incidentsLinked: 2, failed: 2, probesLinked: 0 });
  });
});

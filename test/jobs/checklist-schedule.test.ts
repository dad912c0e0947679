import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runChecklistSchedule } from '../../jobs/checklist-schedule';
import { remindersJob } from '../../jobs/timers';
import { checklistRuns, outbox } from '../../src/db/schema';
import { deliverOutbox } from '../../src/outbox';
import { FakeClock, startTestBot, type TestBot } from '../support/harness';
import { openTestDatabase, type TestDatabase } from '../support/db';

// Monday 2 March 2026 is the first Monday of the month; New York is on EST (UTC-5) until 8 March.
const local = (hhmm: string, day = '2026-03-02') => new Date(`${day}T${hhmm}:00-05:00`);

describe('scheduled checklists', () => {
  let database: TestDatabase;
  let clock: FakeClock;
  let t: TestBot;
  beforeAll(async () => {
    database = await openTestDatabase();
    clock = new FakeClock(local('07:00'));
    t = await startTestBot({
      database,
      clock,
      config: { roles: { 'ops-manager': { name: 'Operations Manager', members: ['UOPS'] }, 'tech-lead': { name: 'Technical Lead', members: ['UTECH'] } } },
    });
  });
  afterAll(() => t.close());
  afterEach(() => expect(t.slack.problems).toEqual([]));

  it('posts every checklist due at its slot, once, in its channel', async () => {
    // First tick sets the scheduler's epoch: nothing before it counts as missed.
    expect(await runChecklistSchedule(t.bot.deps, clock.now())).toEqual({ posted: [], missed: [], skipped: [], failed: [] });
    clock.set(local('09:00'));
    const tick = await runChecklistSchedule(t.bot.deps, clock.now());
    expect(tick.posted.sort()).toEqual(['monthly-review@2026-03-02T09:00', 'morning@2026-03-02T09:00', 'weekly-review@2026-03-02T09:00']);
    expect(await runChecklistSchedule(t.bot.deps, clock.now())).toMatchObject({ posted: [], missed: [] });
    clock.set(local('09:30'));
    expect((await runChecklistSchedule(t.bot.deps, clock.now())).posted).toEqual(['security-daily@2026-03-02T09:30']);
    expect(t.slack.channelMessages('ops').map((m) => m.text)).toContainEqual(expect.stringMatching(/^Daily security checks \(Mon, 2 Mar 2026\)/));
    const runs = await database.db.select().from(checklistRuns);
    expect(runs.every((r) => r.messageTs && !r.late && r.kind === 'scheduled')).toBe(true);
  });

  it('a long checklist is a parent message with its sections threaded under it', async () => {
    const parent = t.slack.channelMessages('ops').find((m) => m.text.startsWith('Monthly review'))!;
    const replies = t.slack.channelMessages('ops').filter((m) => m.thread_ts === parent.ts);
    expect(replies).toHaveLength(8);
    expect(parent.blocks!.some((b: any) => b.type === 'actions')).toBe(false);
    const buttons = replies.flatMap((r) => r.blocks!.filter((b: any) => b.type === 'actions'));
    expect(buttons).toHaveLength(19);
    // A click in the thread updates the parent's section progress and that part.
    const value = buttons[0].elements[0].value;
    const updates = t.slack.callsOf('chat.update').length;
    await t.click({ actionId: 'item_done', value, channelId: parent.channel, messageTs: replies[0]!.ts, userId: 'UOPS' });
    await t.slack.waitFor(() => t.slack.callsOf('chat.update').length >= updates + 2);
    await t.settle();
    expect(JSON.stringify(t.slack.findMessage(parent.channel, parent.ts)!.blocks)).toContain('1/1');
    expect(JSON.stringify(t.slack.findMessage(parent.channel, replies[0]!.ts)!.blocks)).toContain('Done by <@UOPS>');
  });

  it('reminds the owner in the thread at the duration, and the escalation contact at twice it, once each', async () => {
    const morning = t.slack.channelMessages('ops').find((m) => m.text.startsWith('Morning Checklist'))!;
    clock.set(local('09:15'));
    await remindersJob.run(t.bot.deps, clock.now());
    await deliverOutbox(t.bot.deps, clock.now());
    const first = t.slack.channelMessages('ops').filter((m) => m.thread_ts === morning.ts);
    expect(first.map((m) => m.text)).toEqual([':alarm_clock: <@UOPS> — *Morning Checklist* is past its 15 min: 7 items still unsigned.']);
    // A restart between the two reminders: a new bot on the same database.
    await t.bot.stop();
    const again = await startTestBot({ database, clock });
    try {
      clock.set(local('09:31'));
      await remindersJob.run(again.bot.deps, clock.now());
      await remindersJob.run(again.bot.deps, clock.now());
      await deliverOutbox(again.bot.deps, clock.now());
      const second = again.slack
        .channelMessages('ops')
        .filter((m) => m.thread_ts === morning.ts)
        .map((m) => m.text);
      expect(second).toEqual([
        ':alarm_clock: *Operations Manager* cc *Technical Lead* — *Morning Checklist* is past twice its 15 min: 7 items still unsigned.',
      ]);
      const rows = await database.db.select().from(outbox);
      expect(rows.filter((r) => r.ref.startsWith(`run:`) && r.ref.includes(':reminder:')).length).toBeGreaterThanOrEqual(2);
    } finally {
      await again.close({ keepDatabase: true });
    }
  });
});

describe('catch-up after downtime', () => {
  let t: TestBot;
  let clock: FakeClock;
  beforeAll(async () => {
    clock = new FakeClock(local('08:00', '2026-03-03'));
    t = await startTestBot({ clock });
    await runChecklistSchedule(t.bot.deps, clock.now()); // epoch: Tuesday 08:00
  });
  afterAll(() => t.close());

  it('posts a missed slot late within its grace window, and records older ones as missed', async () => {
    // Down from 08:00 until 10:40: morning (09:00, grace 2 h) is caught up, marked late.
    clock.set(local('10:40', '2026-03-03'));
    const tick = await runChecklistSchedule(t.bot.deps, clock.now());
    expect(tick.posted.sort()).toEqual(['morning@2026-03-03T09:00', 'security-daily@2026-03-03T09:30', 'security-weekly@2026-03-03T10:00']);
    expect(
      t.slack
        .channelMessages('ops')
        .at(-1)!
        .blocks!.some((b: any) => JSON.stringify(b).includes(':turtle: posted late')),
    ).toBe(true);
    // Down again from 10:40 until 19:30 (evening was 17:00): past 2 h, so it is recorded as missed.
    clock.set(local('19:30', '2026-03-03'));
    expect(await runChecklistSchedule(t.bot.deps, clock.now())).toMatchObject({ posted: [], missed: ['evening@2026-03-03T17:00'] });
    const missed = (await t.database.db.select().from(checklistRuns)).find((r) => r.checklistId === 'evening')!;
    expect(missed).toMatchObject({ state: 'missed', messageTs: null });
  });

  it('an on-demand run does not consume the scheduled period', async () => {
    clock.set(local('08:30', '2026-03-04'));
    await t.slash('/ops', 'morning');
    await t.slack.waitFor(async () => (await t.database.db.select().from(checklistRuns)).some((r) => r.kind === 'on_demand' && r.messageTs));
    clock.set(local('09:00', '2026-03-04'));
    expect((await runChecklistSchedule(t.bot.deps, clock.now())).posted).toContain('morning@2026-03-04T09:00');
  });
});

describe('two replicas on one database', () => {
  it('post each period exactly once', async () => {
    const clock = new FakeClock(local('08:59'));
    const a = await startTestBot({ clock });
    const b = await startTestBot({ clock, database: { ...a.database, destroy: async () => undefined } as TestDatabase });
    try {
      await runChecklistSchedule(a.bot.deps, clock.now());
      clock.set(local('09:00'));
      const [ra, rb, rc] = await Promise.all([
        runChecklistSchedule(a.bot.deps, clock.now()),
        runChecklistSchedule(b.bot.deps, clock.now()),
        runChecklistSchedule(a.bot.deps, clock.now()),
      ]);
      const posted = [...ra.posted, ...rb.posted, ...rc.posted].sort();
      expect(posted).toEqual(['monthly-review@2026-03-02T09:00', 'morning@2026-03-02T09:00', 'weekly-review@2026-03-02T09:00']);
      const parents = [...a.slack.messages, ...b.slack.messages].filter((m) => !m.thread_ts);
      expect(parents).toHaveLength(3);
    } finally {
      await b.close({ keepDatabase: true });
      await a.close();
    }
  });
});

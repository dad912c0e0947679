import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq, inArray, like } from 'drizzle-orm';
import { defaultChecklists } from '../../src/checklists';
import { checklistRuns, incidentEvents, incidents, outbox, summaries, timers } from '../../src/db/schema';
import { INCIDENT_CONFIG } from '../incidents/support';
import { expectedPeriods, GUIDE_CALENDAR, MIN, newYork, startReplicas, visitInstants, type Replicas } from './month-support';

/**
 * Issue #8: two replicas on one database through a simulated month of scheduler ticks. Sunday
 * 8 March 2026 (New York springs forward at 02:00) to Tuesday 7 April 2026: 31 local days with
 * the last Friday of a quarter-end month (both DR tests) and the first Monday and Tuesday of a quarter (the
 * quarterly review and the innovation review). Both replicas run every job at each visited instant, concurrently.
 */
const FIRST_DAY = '2026-03-08';
const LAST_DAY = '2026-04-07';
const START = newYork(FIRST_DAY, '00:00');
const END = newYork('2026-04-08', '00:00');

const CHAIN = ['Operations team', 'Technical Lead', 'CTO', 'CEO'];
const PEOPLE = ['UOPS', 'UTECH', 'UCTO', 'UCEO'];
const PHONES: Record<string, string> = INCIDENT_CONFIG.incidents.phones;

/** The guide's escalation procedure, written out: who is paged first, how long each level waits. */
const LADDER = {
  // P0: Operations team and the CTO at once; 15 min a level; resolve within 1 h; CTO and CEO by SMS.
  p0: { start: 0, alsoPage: [2], stepMin: 15, resolutionMin: 60, sms: [2, 3] },
  // P1: Technical Lead; 2 h a level; resolve within 24 h; no SMS.
  p1: { start: 1, alsoPage: [] as number[], stepMin: 120, resolutionMin: 24 * 60, sms: [] as number[] },
} as const;

interface PlannedIncident {
  severity: 'p0' | 'p1';
  at: Date;
  via: 0 | 1;
  summary: string;
}

const PLANNED: PlannedIncident[] = [
  // Climbs through the DST jump (01:45 EST, 03:00 EDT, 03:15 EDT…): the SLA clock is elapsed time.
  { severity: 'p0', at: newYork('2026-03-08', '01:30'), via: 0, summary: 'Calls dropping overnight' },
  { severity: 'p1', at: newYork('2026-03-16', '08:50'), via: 1, summary: 'Stripe webhooks delayed' },
  // Its steps land on the DR tests' 14:00 slot's neighbours.
  { severity: 'p0', at: newYork('2026-03-27', '13:55'), via: 0, summary: 'Payments failing during the DR test' },
  { severity: 'p1', at: newYork('2026-04-06', '08:00'), via: 1, summary: 'AI agent backlog growing' },
  // Declared at the busiest minute (four checklists at 09:00); a step coincides with the 09:30 post.
  { severity: 'p0', at: newYork('2026-04-06', '09:00'), via: 0, summary: 'Forwarding outage at quarter start' },
];

interface ExpectedStep {
  kind: 'escalated' | 'sla_breached';
  level: number | null;
  at: Date;
}

function expectedSteps(p: PlannedIncident): ExpectedStep[] {
  const l = LADDER[p.severity];
  const steps: ExpectedStep[] = [];
  for (let level = l.start + 1, n = 1; level < CHAIN.length; level += 1, n += 1) {
    steps.push({ kind: 'escalated', level, at: new Date(p.at.getTime() + n * l.stepMin * MIN) });
  }
  // Resolution deadline passes with the incident already at the top: a breach notice, no page.
  steps.push({ kind: 'sla_breached', level: null, at: new Date(p.at.getTime() + l.resolutionMin * MIN) });
  return steps;
}

/** Pages (Slack DMs) in the order the steps happen: who, why, when. */
function expectedPages(p: PlannedIncident): { user: string; reason: string; at: number }[] {
  const l = LADDER[p.severity];
  const first = [l.start, ...l.alsoPage].sort((a, b) => a - b).map((lv) => ({ user: PEOPLE[lv]!, reason: 'New incident.', at: p.at.getTime() }));
  const climbs = expectedSteps(p)
    .filter((s) => s.kind === 'escalated')
    .map((s) => ({ user: PEOPLE[s.level!]!, reason: `Not acknowledged in time: escalated to ${CHAIN[s.level!]}.`, at: s.at.getTime() }));
  return [...first, ...climbs];
}

const PERIODS = expectedPeriods(FIRST_DAY, LAST_DAY);
const NAMES = new Map(defaultChecklists.map((d) => [d.id, d.name]));

let r: Replicas;
const ids = new Map<PlannedIncident, number>();

beforeAll(async () => {
  // The month counts the calendar's runs and the escalation chain only: the DR procedure a P0
  // "outage" carries is test/dr's, the status-update reminders (every 30 min of an open P0/P1) test/incidents/lifecycle's.
  const config = { ...INCIDENT_CONFIG, incidents: { ...INCIDENT_CONFIG.incidents, updateReminderFor: [] }, disasterRecovery: { enabled: false } };
  r = await startReplicas({ start: new Date(START.getTime() - MIN), config });
  const due = [...PERIODS.map((p) => p.at), ...PLANNED.flatMap((p) => [p.at, ...expectedSteps(p).map((s) => s.at)])];
  const instants = visitInstants(START, END, due, 3 * 60 * MIN);
  // The first tick fixes the scheduler's epoch before the month starts: nothing counts as missed.
  await r.tick(new Date(START.getTime() - MIN));
  for (const at of instants) {
    for (const p of PLANNED.filter((x) => x.at.getTime() === at.getTime())) {
      r.clock.set(at);
      const res = await r.slash(r.replicas[p.via], `${p.severity} ${p.summary}`, 'UOPS');
      expect(res.status).toBe(200);
      // Declared after the ack; wait (real time) until it is stored and announced before moving on.
      const row = await r.slack.waitFor(async () => {
        const [x] = await r.database.db.select().from(incidents).where(eq(incidents.summary, p.summary));
        return x?.messageTs ? x : undefined;
      }, 10_000);
      ids.set(p, row.id);
    }
    await r.tick(at);
  }
  // Let the last outbox rows and refreshes go out.
  for (let i = 1; i <= 3; i += 1) await r.tick(new Date(END.getTime() + i * MIN));
}, 180_000);

afterAll(() => r?.close(), 60_000);

describe('two replicas on one database through a month of ticks', () => {
  it('the expectation covers every checklist of the calendar, and the month has 122 periods', () => {
    expect(Object.keys(GUIDE_CALENDAR).sort()).toEqual(defaultChecklists.map((d) => d.id).sort());
    const count = (id: string) => PERIODS.filter((p) => p.checklistId === id).length;
    expect(PERIODS).toHaveLength(122);
    expect([count('morning'), count('weekly-review'), count('dr-full'), count('quarterly-review'), count('innovation-review')]).toEqual([31, 5, 1, 1, 1]);
  }, 5_000);

  it('no job failed on either replica, and every message stayed within Block Kit limits', () => {
    expect(r.failures).toEqual([]);
    expect(r.slack.problems).toEqual([]);
  }, 10_000);

  it('each checklist period has exactly one run, stored at its slot (DST included), posted on time', async () => {
    const runs = await r.database.db.select().from(checklistRuns).orderBy(asc(checklistRuns.id));
    const got = runs.map((x) => `${x.checklistId}@${x.periodKey}`).sort();
    expect(got).toEqual(PERIODS.map((p) => `${p.checklistId}@${p.periodKey}`).sort());
    const byKey = new Map(runs.map((x) => [`${x.checklistId}@${x.periodKey}`, x]));
    for (const p of PERIODS) {
      const run = byKey.get(`${p.checklistId}@${p.periodKey}`)!;
      expect({
        key: `${p.checklistId}@${p.periodKey}`,
        kind: run.kind,
        state: run.state,
        late: run.late,
        scheduledFor: run.scheduledFor,
        createdAt: run.createdAt,
        posted: Boolean(run.messageTs),
      }).toEqual({
        key: `${p.checklistId}@${p.periodKey}`,
        kind: 'scheduled',
        state: 'open',
        late: false,
        scheduledFor: p.at,
        createdAt: p.at,
        posted: true,
      });
    }
  }, 20_000);

  it('Slack received exactly one chat.postMessage per checklist period, and no other checklist post', async () => {
    const names = [...NAMES.values()];
    const checklistPosts = r.slack
      .callsOf('chat.postMessage')
      .filter((c) => !c.args.thread_ts && names.some((n) => String(c.args.text).startsWith(`${n} (`)))
      .map((c) => String(c.args.text).replace(/: \d+\/\d+ signed$/, ''));
    const expected = PERIODS.map((p) => `${NAMES.get(p.checklistId)} (${p.dateText})`);
    expect(checklistPosts.sort()).toEqual(expected.sort());
    // The stored runs point at those messages, one each.
    const runs = await r.database.db.select().from(checklistRuns);
    const parents = new Set(r.slack.messages.filter((m) => !m.thread_ts && names.some((n) => m.text.startsWith(`${n} (`))).map((m) => `${m.channel}|${m.ts}`));
    const pointed = runs.map((x) => `${r.slack.channelId(x.channel)}|${x.messageTs}`);
    expect(new Set(pointed).size).toBe(PERIODS.length);
    expect([...parents].sort()).toEqual(pointed.sort());
  }, 20_000);

  it('each escalation step of each unacknowledged incident fired exactly once, in order, on time', async () => {
    expect(ids.size).toBe(PLANNED.length);
    let checked = 0;
    for (const p of PLANNED) {
      const id = ids.get(p)!;
      const events = await r.database.db.select().from(incidentEvents).where(eq(incidentEvents.incidentId, id)).orderBy(asc(incidentEvents.id));
      const steps = events
        .filter((e) => e.kind === 'escalated' || e.kind === 'sla_breached')
        .map((e) => ({ kind: e.kind, level: e.kind === 'escalated' ? e.level : null, at: e.at }));
      expect({ incident: p.summary, steps }).toEqual({ incident: p.summary, steps: expectedSteps(p) });
      // The timer rows behind them: each fired once, exactly at its due time, none pending or retried.
      const rows = await r.database.db
        .select()
        .from(timers)
        .where(and(eq(timers.refId, String(id)), inArray(timers.kind, ['incident-response', 'incident-resolution'])));
      const fired = rows
        .map((t) => ({ due: t.dueAt.getTime(), fired: t.firedAt?.getTime() ?? null, attempts: t.attempts, cancelled: t.cancelledAt }))
        .sort((a, b) => a.due - b.due);
      expect(fired).toEqual(expectedSteps(p).map((s) => ({ due: s.at.getTime(), fired: s.at.getTime(), attempts: 1, cancelled: null })));
      const [row] = await r.database.db.select().from(incidents).where(eq(incidents.id, id));
      expect(row).toMatchObject({ state: 'open', level: CHAIN.length - 1 });
      checked += steps.length;
    }
    expect(checked).toBe(PLANNED.reduce((n, p) => n + expectedSteps(p).length, 0));
  }, 20_000);

  it('each page was queued at its step and reached Slack exactly once, in chain order; SMS once per level', async () => {
    const byUser = (a: { user: string }, b: { user: string }) => a.user.localeCompare(b.user);
    for (const p of PLANNED) {
      const id = ids.get(p)!;
      const want = expectedPages(p);
      // The first pages go out together (either replica may send either first); the climbs in order.
      const nFirst = want.length - (CHAIN.length - 1 - LADDER[p.severity].start);
      const split = <T extends { user: string }>(xs: T[]) => ({ incident: p.summary, first: xs.slice(0, nFirst).sort(byUser), climbs: xs.slice(nFirst) });
      const pages = r.slack
        .callsOf('chat.postMessage')
        .filter((c) => PEOPLE.includes(c.args.channel) && String(c.args.text).includes(`incident #${id}:`))
        .map((c) => ({ user: c.args.channel as string, reason: String(c.args.text).replace(/^.*\. /s, '') }));
      expect(split(pages)).toEqual(split(want.map(({ user, reason }) => ({ user, reason }))));
      // The outbox rows behind them: written by the step's transaction at the step's instant, sent once.
      const rows = await r.database.db
        .select()
        .from(outbox)
        .where(like(outbox.ref, `page:${id}:%`))
        .orderBy(asc(outbox.id));
      const queued = rows.map((o) => ({ user: o.channel, at: o.createdAt.getTime(), sent: o.deliveredAt !== null && o.attempts === 1 }));
      expect(split(queued)).toEqual(split(want.map(({ user, at }) => ({ user, at, sent: true }))));
      const sms = r.twilio.sent.filter((s) => s.body.includes(`incident #${id}:`)).map((s) => s.to);
      expect({ incident: p.summary, sms }).toEqual({ incident: p.summary, sms: LADDER[p.severity].sms.map((lv) => PHONES[PEOPLE[lv]!]) });
      // One announcement per incident.
      const incidentsChannel = r.slack.channelId('incidents');
      const announcements = r.slack
        .callsOf('chat.postMessage')
        .filter((c) => !c.args.thread_ts && r.slack.channelId(c.args.channel) === incidentsChannel && String(c.args.text).includes(`incident #${id}:`));
      expect(announcements).toHaveLength(1);
    }
  }, 10_000);

  it('the weekly summary, the other claimed job, was written and posted once a week', async () => {
    // Friday 16:00 each week; the first tick (Saturday 7 March, 23:59) catches up the week of
    // 2–8 March, whose slot had passed before the bot started but whose week had not ended.
    const fridays = [newYork('2026-03-13', '16:00'), newYork('2026-03-20', '16:00'), newYork('2026-03-27', '16:00'), newYork('2026-04-03', '16:00')];
    const rows = await r.database.db.select().from(summaries).where(like(summaries.claimKey, 'scheduled:%')).orderBy(asc(summaries.id));
    expect(rows.map((x) => ({ week: x.weekKey, at: x.createdAt }))).toEqual([
      { week: '2026-W10', at: new Date(START.getTime() - MIN) },
      ...['2026-W11', '2026-W12', '2026-W13', '2026-W14'].map((week, i) => ({ week, at: fridays[i] })),
    ]);
    const queued = await r.database.db.select().from(outbox).where(like(outbox.ref, 'summary:%'));
    expect(queued.map((o) => o.ref).sort()).toEqual(rows.map((x) => `summary:${x.id}`).sort());
    expect(queued.every((o) => o.deliveredAt && o.attempts === 1)).toBe(true);
    for (const o of queued) expect(r.slack.callsOf('chat.postMessage').filter((c) => c.args.text === o.text)).toHaveLength(1);
  }, 10_000);

  it('both replicas did part of the work', () => {
    // Not a requirement of correctness, but a month in which one replica never won a claim would
    // not have tested the race.
    const runsBy = r.replicas.map((x) => x.logs.filter((l) => l.includes('"msg":"checklist run created"')).length);
    expect(runsBy[0]! + runsBy[1]!).toBe(PERIODS.length);
    expect(runsBy.every((n) => n > 0)).toBe(true);
  }, 5_000);
});

import { isNull, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { incidents, timers } from '../../src/db/schema';
import { getIncident, type IncidentRow } from '../../src/incidents/store';
import { deliverOutbox } from '../../src/outbox';
import { type FakeClock, startTestBot, type TestBot } from '../support/harness';

export const INCIDENT_CONFIG = {
  roles: {
    'ops-team': { name: 'Operations team', members: ['UOPS'] },
    'tech-lead': { name: 'Technical Lead', members: ['UTECH'] },
    cto: { name: 'CTO', members: ['UCTO'] },
    ceo: { name: 'CEO', members: ['UCEO'] },
  },
  incidents: { phones: { UCTO: '+15550000001', UCEO: '+15550000002', UTECH: '+15550000003' } },
};

export const MIN = 60_000;

/** DMs (pages) a person received about one incident. */
export function pagesTo(t: TestBot, user: string, id: number) {
  return t.slack.callsOf('chat.postMessage').filter((c) => c.args.channel === user && String(c.args.text).includes(`incident #${id}:`));
}

export function announcement(t: TestBot, id: number) {
  return t.slack.channelMessages('incidents').find((m) => !m.thread_ts && m.text.includes(`incident #${id}:`));
}

export async function latestIncident(t: TestBot) {
  const [row] = await t.database.db.select().from(incidents).orderBy(sql`${incidents.id} desc`).limit(1);
  return row!;
}

export async function deliver(t: TestBot) {
  await deliverOutbox(t.bot.deps, t.bot.deps.clock.now(), 500);
  await t.bot.deps.refreshes.incidents.idle();
  await t.bot.deps.refreshes.timelines.idle();
}

/** Cancels every pending timer so one test's incidents never fire in the next. */
export async function quiesce(t: TestBot) {
  await t.bot.deps.refreshes.incidents.idle();
  await t.bot.deps.refreshes.timelines.idle();
  await t.database.db
    .update(timers)
    .set({ cancelledAt: new Date(0) })
    .where(isNull(timers.firedAt));
  await deliverOutbox(t.bot.deps, new Date('2100-01-01T00:00:00Z'), 1000);
}

const DAY = 24 * 60 * MIN;

export const at = (t0: Date, ms: number) => new Date(t0.getTime() + ms);

/**
 * Each call moves the clock to the next day at the clock's first time of day, so one test's
 * deadlines never overlap another's.
 */
export function dayByDay(clock: FakeClock): () => Date {
  const first = clock.now().getTime();
  let day = 0;
  return () => {
    day += 1;
    const when = new Date(first + day * DAY);
    clock.set(when);
    return when;
  };
}

export interface IncidentBotSetup {
  clock: FakeClock;
  /** The bot's config (default INCIDENT_CONFIG). */
  config?: unknown;
  /** The bot's env; a function because it may name a stand-in `before` starts. */
  env?: () => Record<string, string>;
  /** Starts what the bot talks to, before the bot. */
  before?: () => Promise<unknown>;
  /** Closes what `before` started, after the bot. */
  after?: () => Promise<unknown>;
  /** Runs after each test, before its pending work is cancelled. */
  afterEachTest?: () => void | Promise<void>;
}

/**
 * One bot for a test file: started before its tests (handed to `started`), closed after them;
 * after each test its pending work is cancelled and the Slack stand-in must have seen no problem.
 */
export function useIncidentBot(setup: IncidentBotSetup, started: (bot: TestBot) => void): void {
  let t: TestBot | undefined;
  beforeAll(async () => {
    await setup.before?.();
    t = await startTestBot({ config: setup.config ?? INCIDENT_CONFIG, clock: setup.clock, ...(setup.env ? { env: setup.env() } : {}) });
    started(t);
  });
  afterAll(async () => {
    await t?.close();
    await setup.after?.();
  });
  afterEach(async () => {
    await setup.afterEachTest?.();
    await quiesce(t!);
    expect(t!.slack.problems).toEqual([]);
  });
}

export async function newestIncidentId(t: TestBot): Promise<number> {
  return (await latestIncident(t).catch(() => undefined))?.id ?? 0;
}

/** Waits for an incident newer than `before` that `ready` accepts (by default: announced). */
export function newIncidentAfter(t: TestBot, before: number, ready: (row: IncidentRow) => boolean = (r) => Boolean(r.messageTs)) {
  return t.slack.waitFor(async () => {
    const r = await latestIncident(t).catch(() => undefined);
    return r && r.id > before && ready(r) ? r : undefined;
  });
}

/** Declares by `/incident` and returns the stored incident once `ready` accepts it and its sends are delivered. */
export async function declareBySlash(t: TestBot, text: string, userId = 'UOPS', ready?: (row: IncidentRow) => boolean) {
  const before = await newestIncidentId(t);
  await t.slash('/incident', text, { userId });
  const row = await newIncidentAfter(t, before, ready);
  await t.settle();
  await deliver(t);
  return (await getIncident(t.database.db, row.id))!;
}

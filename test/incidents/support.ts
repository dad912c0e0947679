import { isNull, sql } from 'drizzle-orm';
import { incidents, timers } from '../../src/db/schema';
import { deliverOutbox } from '../../src/outbox';
import type { TestBot } from '../support/harness';

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

import { and, eq, gte, isNotNull, or } from 'drizzle-orm';
import { escapeMrkdwn, mrkdwn, type Mrkdwn } from '../../blocks/format';
import type { Job } from '../job';
import type { ChecklistDef } from '../checklists';
import { checklistRuns } from '../db/schema';
import type { Deps } from '../deps';
import { enqueue } from '../outbox';
import { scheduleTimer, type OutsideHandler } from '../timers';
import type { JobMonitor } from './monitor';

/** The role paged when the bot itself fails (the guide: the Operations Manager owns the checklists). */
export const WATCHDOG_ROLE = 'ops-manager';
/** Timer kind: one row per event (unique kind + ref), fired once to send the SMS pages. */
export const WATCHDOG_SMS_KIND = 'watchdog.sms';
/** Only recent slots page: a first start on an old database must not page for last month. */
const LOOKBACK_MS = 24 * 3_600_000;

export interface WatchdogEvent {
  /** Unique per event: `missed:<run>`, `late-post:<run>`, `stalled:<job>:<since>`. */
  key: string;
  text: string;
}

/** Slots missed or posted past their grace in the last day. */
async function checklistEvents(deps: Deps, now: Date): Promise<WatchdogEvent[]> {
  const rows = await deps.db
    .select()
    .from(checklistRuns)
    .where(
      and(
        eq(checklistRuns.kind, 'scheduled'),
        gte(checklistRuns.createdAt, new Date(now.getTime() - LOOKBACK_MS)),
        or(eq(checklistRuns.state, 'missed'), isNotNull(checklistRuns.postedAt)),
      ),
    );
  const out: WatchdogEvent[] = [];
  for (const r of rows) {
    const def = r.definition as Partial<ChecklistDef>;
    const name = def.name ?? r.checklistId;
    if (r.state === 'missed') {
      out.push({ key: `missed:${r.id}`, text: `The ${name} checklist for ${r.periodKey} was not posted (missed slot).` });
      continue;
    }
    if (!r.scheduledFor || !r.postedAt) continue;
    const lateMs = r.postedAt.getTime() - r.scheduledFor.getTime();
    if (lateMs > (def.graceMinutes ?? 0) * 60_000) {
      out.push({
        key: `late-post:${r.id}`,
        text: `The ${name} checklist for ${r.periodKey} was posted ${Math.round(lateMs / 60_000)} min late (grace ${def.graceMinutes ?? 0} min).`,
      });
    }
  }
  return out;
}

function jobEvents(monitor: JobMonitor, now: Date): WatchdogEvent[] {
  return monitor.verdict(now).stalled.map((j) => ({
    key: `stalled:${j.job}:${j.since.toISOString()}`,
    text: `The bot's ${j.job} job has not completed for ${Math.round((now.getTime() - j.since.getTime()) / 60_000)} min.`,
  }));
}

function pageMessage(e: WatchdogEvent): { text: Mrkdwn; blocks: [{ type: 'section'; text: { type: 'mrkdwn'; text: Mrkdwn } }] } {
  const text = mrkdwn`:rotating_light: *DrainPro Ops watchdog*: ${escapeMrkdwn(e.text)}`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

/**
 * Pages the Operations Manager once per event: the timer row (kind, ref) is the unique key, and
 * the Slack DMs are queued in the outbox in the same transaction, so a second sweep, a restart or
 * a second replica never pages twice. The SMS goes out when the timer sweep fires the row.
 */
export async function pageOnce(deps: Deps, e: WatchdogEvent, now: Date): Promise<boolean> {
  const members = deps.config.roles[WATCHDOG_ROLE]?.members ?? [];
  return deps.db.transaction(async (tx) => {
    const added = await scheduleTimer(tx, { kind: WATCHDOG_SMS_KIND, refId: e.key, dueAt: now, payload: { text: e.text } });
    if (!added) return false;
    for (const user of members) await enqueue(tx, { channel: user, ref: `watchdog:${e.key}:${user}`, ...pageMessage(e) }, now);
    if (members.length === 0) deps.logger.warn({ event: e.key, role: WATCHDOG_ROLE }, 'watchdog: nobody holds the role to page');
    return true;
  });
}

/** Every minute: the events above, each paged once. */
export function watchdogJob(monitor: JobMonitor): Job {
  return {
    name: 'watchdog',
    everyMs: 60_000,
    async run(deps, now) {
      const events = [...(await checklistEvents(deps, now)), ...jobEvents(monitor, now)];
      const paged: string[] = [];
      for (const e of events) if (await pageOnce(deps, e, now)) paged.push(e.key);
      if (paged.length) deps.logger.warn({ paged }, 'watchdog paged the Operations Manager');
      return { paged };
    },
  };
}

/** Fires a watchdog row: an SMS to each Operations Manager with a phone, when SMS is set up. */
export function watchdogSmsHandler(deps: Deps): OutsideHandler {
  return {
    async send(_db, t) {
      const text = String((t.payload as { text?: unknown }).text ?? 'the bot needs attention');
      const members = deps.config.roles[WATCHDOG_ROLE]?.members ?? [];
      const phones = members.map((u) => deps.config.incidents.phones[u]).filter((p): p is string => !!p);
      if (phones.length === 0) return;
      const sms = deps.sms;
      if (!sms.sender) {
        deps.logger.info({ event: t.refId, why: sms.why }, 'watchdog SMS skipped');
        return;
      }
      for (const phone of phones) await sms.sender.send(phone, `DrainPro Ops watchdog: ${text}`);
    },
  };
}

import { randomUUID } from 'node:crypto';
import { allJobs } from '../../jobs';
import { startBot, type RunningBot } from '../../src/bot';
import { loadEnv, SECRET_VARS } from '../../src/config/env';
import { buildOpsConfig } from '../../src/config/ops-config';
import { openDatabase, type Database } from '../../src/db';
import { createLogger } from '../../src/logger';
import { openTestDatabase, type TestDatabase } from '../support/db';
import { FakeClock } from '../support/harness';
import { SlackWorkspace } from '../../sandbox/slack-workspace';
import { slashCommand } from '../../sandbox/payloads';
import { BOT_TOKEN, postSigned, SIGNING_SECRET } from '../support/slack-requests';
import { TwilioSmsStandin } from '../../sandbox/standins/twilio-sms';
import { fakeProbes } from './support';

/**
 * Two replicas of the bot on one database, one Slack and one Twilio, as in production: on
 * PostgreSQL each replica has its own connection pool on the same database; on PGlite (one
 * process, one embedded engine) they share the one Database object.
 */
export interface Replica {
  name: string;
  bot: RunningBot;
  database: Database;
  logs: string[];
}

export interface JobFailure {
  replica: string;
  job: string;
  at: string;
  error: string;
}

export interface Replicas {
  clock: FakeClock;
  slack: SlackWorkspace;
  twilio: TwilioSmsStandin;
  database: TestDatabase;
  replicas: [Replica, Replica];
  /** Jobs that threw or reported a failed item, on either replica. */
  failures: JobFailure[];
  /** Sets the clock to `at` and runs every job of both replicas at once, so they race. */
  tick(at: Date): Promise<void>;
  /** `/incident <text>` through one replica's signed HTTP endpoint. */
  slash(replica: Replica, text: string, userId: string): ReturnType<typeof postSigned>;
  close(): Promise<void>;
}

export async function startReplicas(opts: { start: Date; config: unknown }): Promise<Replicas> {
  const clock = new FakeClock(opts.start);
  const slack = await new SlackWorkspace(BOT_TOKEN).start();
  const twilio = await new TwilioSmsStandin().start();
  const database = await openTestDatabase();
  const second = database.url ? await openDatabase({ url: database.url, poolSize: 5 }) : database;
  const env = loadEnv({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    TWILIO_ACCOUNT_SID: twilio.accountSid,
    TWILIO_AUTH_TOKEN: twilio.authToken,
    TWILIO_API_URL: twilio.url,
    TWILIO_FROM_NUMBER: '+15559990000',
  });
  const config = buildOpsConfig(opts.config);
  const start = async (name: string, db: Database): Promise<Replica> => {
    const logs: string[] = [];
    const logger = createLogger({ level: 'info', secrets: SECRET_VARS.map((k) => env[k]), destination: { write: (l: string) => void logs.push(l) } });
    const bot = await startBot({
      env,
      config,
      logger,
      database: db,
      clock,
      port: 0,
      host: '127.0.0.1',
      slackRetryConfig: { retries: 0 },
      jobs: false,
      probes: fakeProbes(0),
    });
    return { name, bot, database: db, logs };
  };
  const replicas: [Replica, Replica] = [await start('a', database), await start('b', second)];
  const failures: JobFailure[] = [];

  let ticks = 0;
  const tick = async (at: Date) => {
    clock.set(at);
    // Alternate which replica starts first: on PGlite (one engine, queries in arrival order) the
    // first starter would otherwise win every claim.
    ticks += 1;
    const order = ticks % 2 ? replicas : ([replicas[1], replicas[0]] as const);
    await Promise.all(
      order.flatMap((r) =>
        allJobs.map(async (job) => {
          try {
            const out = (await job.run(r.bot.deps, at)) as { failed?: unknown } | undefined;
            const failed = out?.failed;
            if ((Array.isArray(failed) && failed.length > 0) || (typeof failed === 'number' && failed > 0)) {
              failures.push({ replica: r.name, job: job.name, at: at.toISOString(), error: JSON.stringify(failed) });
            }
          } catch (err) {
            failures.push({ replica: r.name, job: job.name, at: at.toISOString(), error: err instanceof Error ? err.message : String(err) });
          }
        }),
      ),
    );
  };

  return {
    clock,
    slack,
    twilio,
    database,
    replicas,
    failures,
    tick,
    slash: (replica, text, userId) =>
      postSigned(
        replica.bot.url,
        slashCommand({ command: '/incident', text, userId, triggerId: `trigger-${randomUUID()}`, responseUrl: slack.responseUrl(randomUUID()) }),
      ),
    close: async () => {
      for (const r of replicas) {
        await r.bot.stop();
        await r.bot.deps.refreshes.checklists.idle();
        await r.bot.deps.refreshes.incidents.idle();
        await r.bot.deps.refreshes.timelines.idle();
      }
      await slack.close();
      await twilio.close();
      if (second !== database) await second.close();
      await database.destroy();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The expectation, derived from the maintenance guide's calendar without the scheduler's code:
// no cron parsing, no time-zone library, just weekdays, "first" (day 1–7) and "last" (no same
// weekday a week later), and the US daylight-saving rule written out for the one year.

export interface CalendarRule {
  /** 0 = Sunday … 6 = Saturday; absent: every day. */
  weekday?: number;
  nth?: 'first' | 'last';
  /** 1–12; absent: every month. */
  months?: number[];
  hhmm: string;
}

/** The guide's calendar (DAILY / WEEKLY / MONTHLY / QUARTERLY sections), one rule per checklist. */
export const GUIDE_CALENDAR: Record<string, CalendarRule> = {
  morning: { hhmm: '09:00' },
  'security-daily': { hhmm: '09:30' },
  evening: { hhmm: '17:00' },
  'weekly-review': { weekday: 1, hhmm: '09:00' },
  'security-weekly': { weekday: 2, hhmm: '10:00' },
  'midweek-check': { weekday: 3, hhmm: '14:00' },
  'performance-weekly': { weekday: 4, hhmm: '10:00' },
  'week-wrap-up': { weekday: 5, hhmm: '16:00' },
  'monthly-review': { weekday: 1, nth: 'first', hhmm: '09:00' },
  'security-monthly': { weekday: 1, nth: 'first', hhmm: '11:00' },
  'performance-monthly': { weekday: 4, nth: 'first', hhmm: '14:00' },
  'dr-test': { weekday: 5, nth: 'last', hhmm: '14:00' },
  'dr-full': { weekday: 5, nth: 'last', months: [3, 6, 9, 12], hhmm: '14:00' },
  'quarterly-review': { weekday: 1, nth: 'first', months: [1, 4, 7, 10], hhmm: '09:00' },
  // CONTINUOUS IMPROVEMENT's innovation review has no slot in the guide: the quarter's first week (ours: its first Tuesday).
  'innovation-review': { weekday: 2, nth: 'first', months: [1, 4, 7, 10], hhmm: '09:00' },
};

const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/**
 * New York wall time → instant, for 2026 only: EST (UTC−5) until Sunday 8 March 02:00, EDT (UTC−4)
 * from then until Sunday 1 November 02:00. Wall times inside the spring gap are not used.
 */
export function newYork(ymd: string, hhmm: string): Date {
  const [y, m, d] = ymd.split('-').map(Number) as [number, number, number];
  const [hh, mm] = hhmm.split(':').map(Number) as [number, number];
  if (y !== 2026) throw new Error('newYork() knows the 2026 rule only');
  const key = m * 1_000_000 + d * 10_000 + hh * 100 + mm;
  const edt = key >= 3_08_0200 && key < 11_01_0200;
  return new Date(Date.UTC(y, m - 1, d, hh + (edt ? 4 : 5), mm));
}

export interface ExpectedPeriod {
  checklistId: string;
  /** Local `YYYY-MM-DDTHH:MM`, the scheduler's period key. */
  periodKey: string;
  at: Date;
  /** As the message shows the date: `Mon, 9 Mar 2026`. */
  dateText: string;
}

/** Every checklist period in [firstDay, lastDay] (local dates, inclusive). */
export function expectedPeriods(firstDay: string, lastDay: string): ExpectedPeriod[] {
  const out: ExpectedPeriod[] = [];
  const end = Date.parse(`${lastDay}T00:00:00Z`);
  for (let t = Date.parse(`${firstDay}T00:00:00Z`); t <= end; t += 86_400_000) {
    const day = new Date(t);
    const [y, m, d, wd] = [day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), day.getUTCDay()];
    const daysInMonth = new Date(Date.UTC(y, m, 0)).getUTCDate();
    const ymd = `${y}-${pad(m)}-${pad(d)}`;
    for (const [checklistId, r] of Object.entries(GUIDE_CALENDAR)) {
      if (r.weekday !== undefined && r.weekday !== wd) continue;
      if (r.months && !r.months.includes(m)) continue;
      if (r.nth === 'first' && d > 7) continue;
      if (r.nth === 'last' && d + 7 <= daysInMonth) continue;
      out.push({ checklistId, periodKey: `${ymd}T${r.hhmm}`, at: newYork(ymd, r.hhmm), dateText: `${DAY_NAMES[wd]}, ${d} ${MONTH_NAMES[m - 1]} ${y}` });
    }
  }
  return out;
}

export const MIN = 60_000;

/**
 * The instants the simulation visits: every `coarseMs` from start to end, and each minute where
 * something is due together with the minute before it. So every due minute is ticked exactly on
 * time, a post or step one minute early is caught by its timestamp, and one at a time nobody
 * expected is caught by the next visit (wrong timestamp, or "missed" past its grace window).
 */
export function visitInstants(start: Date, end: Date, due: readonly Date[], coarseMs: number): Date[] {
  const set = new Set<number>();
  for (let t = start.getTime(); t <= end.getTime(); t += coarseMs) set.add(t);
  for (const d of due) for (const off of [-MIN, 0]) set.add(d.getTime() + off);
  return [...set].sort((a, b) => a - b).map((t) => new Date(t));
}

import { sql, type SQL } from 'drizzle-orm';
import { Gauge, Registry } from './prom';
import type { Db } from './db';

/** One row of the scrape query: a family, up to two label values and a number (null when no row matched). */
interface StateRow {
  family: string;
  a: string;
  b: string;
  n: number | string | null;
}

/**
 * Sources of things that failed for good, one count each (`drainpro_permanent_failures{source}`).
 * Each part yields (family 'failures', source, '', count). A feature that records permanent
 * failures adds its part here: e.g. Slack's refusals, grouped by owner, once they have a table.
 */
export const PERMANENT_FAILURE_PARTS: readonly SQL[] = [
  // A stored request whose processing failed, was abandoned (the person was told nothing was
  // done) or was given up after repeated crashes: it is never replayed. Kept until pruned.
  sql`select 'failures', 'intake', '', count(*)::float8 from inbound_requests where done_at is not null and last_error is not null`,
  // What Slack refused for good (src/slack/failures.ts), by what was refused: a person must act.
  sql`select 'failures', 'slack:' || owner, '', count(*)::float8 from slack_failures group by owner`,
];

/** Pending timers older than this past their due time count as overdue (sweeps run every 1–15 s). */
export const TIMER_OVERDUE_AFTER_MS = 60_000;
/** Probe results are counted over this window (the `probe_results` index is on checked_at). */
export const PROBE_WINDOW_MS = 24 * 3600_000;

const SEVERITIES = ['p0', 'p1', 'p2', 'p3'] as const;
const OPEN_STATES = ['open', 'acknowledged'] as const;
const RUN_STATES = ['open', 'complete', 'missed'] as const;

/** The whole scrape in one statement: every part is a small aggregate over an indexed or small set. */
function stateQuery(now: Date): SQL {
  const at = sql`${now.toISOString()}::timestamptz`;
  const overdue = sql`${new Date(now.getTime() - TIMER_OVERDUE_AFTER_MS).toISOString()}::timestamptz`;
  const since = sql`${new Date(now.getTime() - PROBE_WINDOW_MS).toISOString()}::timestamptz`;
  const parts: SQL[] = [
    sql`select 'intake_depth', '', '', count(*)::float8 from inbound_requests where done_at is null`,
    sql`select 'intake_oldest', '', '', extract(epoch from min(received_at))::float8 from inbound_requests where done_at is null`,
    sql`select 'outbox_depth', '', '', count(*)::float8 from outbox where delivered_at is null and failed_at is null`,
    sql`select 'outbox_oldest', '', '', extract(epoch from min(created_at))::float8 from outbox where delivered_at is null and failed_at is null`,
    sql`select 'timers_due', '', '', count(*)::float8 from timers where fired_at is null and cancelled_at is null and due_at <= ${at}`,
    sql`select 'timers_overdue', '', '', count(*)::float8 from timers where fired_at is null and cancelled_at is null and due_at <= ${overdue}`,
    sql`select 'incidents', severity, state, count(*)::float8 from incidents where state <> 'resolved' group by severity, state`,
    sql`select 'runs', state, '', count(*)::float8 from checklist_runs group by state`,
    sql`select 'probes', probe, status, count(*)::float8 from probe_results where checked_at > ${since} group by probe, status`,
    sql`select 'probe_last', probe, status, extract(epoch from checked_at)::float8 from (select distinct on (probe) probe, status, checked_at from probe_results where checked_at > ${since} order by probe, checked_at desc) latest`,
    ...PERMANENT_FAILURE_PARTS,
  ];
  return sql`select * from (${sql.join(
    parts.map((p) => sql`(${p})`),
    sql` union all `,
  )}) as s(family, a, b, n)`;
}

/**
 * The gauges read from the database at scrape time, in a registry of their own: a scrape the
 * database could not answer leaves them out entirely rather than showing stale or zero values.
 */
export class StateGauges {
  readonly registry = new Registry();
  private readonly g;

  constructor() {
    const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
      new Gauge<L>({ name, help, labelNames, registers: [this.registry] });
    this.g = {
      intakeDepth: gauge('drainpro_intake_depth', 'Stored Slack requests whose processing has not finished.'),
      intakeAge: gauge('drainpro_intake_oldest_age_seconds', 'Age of the oldest unfinished stored Slack request (0 when none).'),
      outboxDepth: gauge('drainpro_outbox_depth', 'Outbox messages not yet delivered to Slack.'),
      outboxAge: gauge('drainpro_outbox_oldest_age_seconds', 'Age of the oldest undelivered outbox message (0 when none).'),
      timersDue: gauge('drainpro_timers_due', 'Pending timers (escalation steps, reminders, SMS pages) at or past their due time.'),
      timersOverdue: gauge('drainpro_timers_overdue', `Pending timers more than ${TIMER_OVERDUE_AFTER_MS / 1000} s past their due time.`),
      failures: gauge('drainpro_permanent_failures', 'Work that failed for good and will not be retried, by source.', ['source']),
      incidents: gauge('drainpro_open_incidents', 'Incidents not yet resolved, by severity and state.', ['severity', 'state']),
      runs: gauge('drainpro_checklist_runs', 'Checklist runs by state.', ['state']),
      probes: gauge('drainpro_probe_results', `Probe results of the last ${PROBE_WINDOW_MS / 3600_000} h by probe and status.`, ['probe', 'status']),
      probeLast: gauge('drainpro_probe_last_check_timestamp_seconds', 'When each probe last ran, labelled with the status it found.', ['probe', 'status']),
    };
  }

  /** Reads every gauge with one statement; throws if the database does (the caller bounds the wait). */
  async refresh(db: Db, now: Date): Promise<void> {
    const result = await db.execute(stateQuery(now));
    const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as StateRow[];
    this.set(rows, now, new Date());
  }

  /** `wall`: the intake stamps rows with the wall clock (its leases are real time), not the injected one. */
  private set(rows: readonly StateRow[], now: Date, wall: Date): void {
    const g = this.g;
    for (const gauge of Object.values(g)) gauge.reset();
    // Series that exist even at zero, so alerts and dashboards see 0 rather than nothing.
    for (const severity of SEVERITIES) for (const state of OPEN_STATES) g.incidents.set({ severity, state }, 0);
    for (const state of RUN_STATES) g.runs.set({ state }, 0);
    g.failures.set({ source: 'intake' }, 0);
    const age = (epoch: number | null, at = now) => (epoch === null ? 0 : Math.max(0, at.getTime() / 1000 - epoch));
    for (const row of rows) {
      const n = row.n === null ? null : Number(row.n);
      switch (row.family) {
        case 'intake_depth':
          g.intakeDepth.set(n ?? 0);
          break;
        case 'intake_oldest':
          g.intakeAge.set(age(n, wall));
          break;
        case 'outbox_depth':
          g.outboxDepth.set(n ?? 0);
          break;
        case 'outbox_oldest':
          g.outboxAge.set(age(n));
          break;
        case 'timers_due':
          g.timersDue.set(n ?? 0);
          break;
        case 'timers_overdue':
          g.timersOverdue.set(n ?? 0);
          break;
        case 'failures':
          g.failures.set({ source: row.a }, n ?? 0);
          break;
        case 'incidents':
          g.incidents.set({ severity: row.a, state: row.b }, n ?? 0);
          break;
        case 'runs':
          g.runs.set({ state: row.a }, n ?? 0);
          break;
        case 'probes':
          g.probes.set({ probe: row.a, status: row.b }, n ?? 0);
          break;
        case 'probe_last':
          if (n !== null) g.probeLast.set({ probe: row.a, status: row.b }, n);
          break;
      }
    }
  }
}

import { Counter, Gauge, Histogram, Registry } from './prom';
import type { Job, LoopHooks } from './job';
import type { Database } from './db';
import type { Clock } from './deps';
import { describeError } from './errors';
import { TimerKinds } from './incidents/store';
import type { Logger } from './logger';
import { StateGauges } from './metrics-state';

/** The Slack surface a request came from, as the ack latency histogram labels it. */
export type AckSurface = 'command' | 'action' | 'view' | 'event' | 'shortcut' | 'options' | 'other';

export function ackSurface(body: Record<string, unknown>): AckSurface {
  if (typeof body.command === 'string') return 'command';
  switch (body.type) {
    case 'block_actions':
    case 'interactive_message':
      return 'action';
    case 'view_submission':
    case 'view_closed':
      return 'view';
    case 'event_callback':
      return 'event';
    case 'shortcut':
    case 'message_action':
      return 'shortcut';
    case 'block_suggestion':
      return 'options';
    default:
      return 'other';
  }
}

/** Slack allows 3 s for an ack; the buckets are dense below that and stop just past it. */
const ACK_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5];

const ESCALATION_TRACKS: Record<string, string> = {
  [TimerKinds.response]: 'response',
  [TimerKinds.resolution]: 'resolution',
  [TimerKinds.sms]: 'sms',
};

export interface BotMetricsOptions {
  database: Database;
  clock: Clock;
  logger: Logger;
  /** How long a scrape waits for the database before it answers without its gauges (default 2 s). */
  databaseTimeoutMs?: number;
}

/**
 * Every metric of one bot, in its own registry: a process may run several bots (the tests do), and
 * prom-client's global registry would mix them. Counters and the histogram are fed as things
 * happen; the database gauges are read with one statement when /metrics is scraped.
 */
export class BotMetrics {
  readonly registry = new Registry();
  private readonly ackLatency = new Histogram<'surface'>({
    name: 'drainpro_ack_latency_seconds',
    help: 'Time from a trusted Slack request to its ack being sent (the intake write included), by surface.',
    labelNames: ['surface'],
    buckets: ACK_BUCKETS,
    registers: [this.registry],
  });
  private readonly escalationSteps = new Counter<'track'>({
    name: 'drainpro_escalation_steps_fired_total',
    help: 'Escalation timers fired by this process (response and resolution steps, SMS pages), by track.',
    labelNames: ['track'],
    registers: [this.registry],
  });
  private readonly jobLastSuccess = new Gauge<'job'>({
    name: 'drainpro_job_last_success_timestamp_seconds',
    help: 'When each periodic job last finished without an error (absent until it has).',
    labelNames: ['job'],
    registers: [this.registry],
  });
  private readonly jobLag = new Gauge<'job'>({
    name: 'drainpro_job_lag_seconds',
    help: 'How far each periodic job is behind: seconds since its last success (or since start) beyond its interval; 0 while on time.',
    labelNames: ['job'],
    registers: [this.registry],
    collect: () => this.updateLag(),
  });
  private readonly jobFailures = new Counter<'job'>({
    name: 'drainpro_job_failures_total',
    help: 'Periodic job runs that ended with an error, by job.',
    labelNames: ['job'],
    registers: [this.registry],
  });
  private readonly scrapeDatabase = new Gauge({
    name: 'drainpro_metrics_database_up',
    help: '1 when this scrape read the database gauges, 0 when the database failed or was too slow (those gauges are then absent).',
    registers: [this.registry],
  });
  private readonly state = new StateGauges();
  /** Per job: interval and the last success (or the loop's start). */
  private readonly jobs = new Map<string, { everyMs: number; since: Date }>();
  private refreshing: Promise<void> | undefined;
  private processMetrics = false;

  constructor(private readonly opts: BotMetricsOptions) {
    // Series at zero from the start, so dashboards and alerts see 0 rather than nothing.
    for (const track of Object.values(ESCALATION_TRACKS)) this.escalationSteps.inc({ track }, 0);
    for (const surface of ['command', 'action', 'view', 'event'] as const) this.ackLatency.zero({ surface });
  }

  /** For ListenerDispatch's onAck. */
  readonly observeAck = (body: Record<string, unknown>, seconds: number): void => {
    this.ackLatency.observe({ surface: ackSurface(body) }, seconds);
  };

  /** For startLoops: last success, lag, failures, and the escalation steps each sweep fired. */
  readonly loopHooks: LoopHooks = {
    onStart: (jobs: readonly Job[], at: Date) => {
      for (const job of jobs) {
        this.jobs.set(job.name, { everyMs: job.everyMs, since: at });
        this.jobFailures.inc({ job: job.name }, 0);
      }
    },
    onRun: (job, outcome, at) => {
      if (!outcome.ok) {
        this.jobFailures.inc({ job: job.name });
        return;
      }
      this.jobs.set(job.name, { everyMs: job.everyMs, since: at });
      this.jobLastSuccess.set({ job: job.name }, at.getTime() / 1000);
      const fired = (outcome.result as { fired?: unknown } | undefined)?.fired;
      if (Array.isArray(fired)) {
        for (const f of fired as { kind?: string }[]) {
          const track = ESCALATION_TRACKS[f.kind ?? ''];
          if (track) this.escalationSteps.inc({ track });
        }
      }
    },
  };

  /** The exposition text; the database gauges are read first, bounded by the timeout. */
  async render(): Promise<{ contentType: string; body: string }> {
    if (!this.processMetrics) {
      // Process-wide observers (GC, event-loop delay) that cannot be removed again: started by the
      // first scrape, so the many bots a test process starts and never scrapes add none.
      this.processMetrics = true;
      const { collectDefaultMetrics } = await import('prom-client');
      collectDefaultMetrics({ register: this.registry });
    }
    const fresh = await this.refreshState();
    const own = await this.registry.metrics();
    const state = fresh ? await this.state.registry.metrics() : '';
    return { contentType: this.registry.contentType, body: state ? `${own.trimEnd()}\n\n${state}` : own };
  }

  /** Whether the database gauges were read for this scrape. */
  private async refreshState(): Promise<boolean> {
    const ms = this.opts.databaseTimeoutMs ?? 2000;
    // A scrape arriving while the previous one still waits on the database shares its query
    // instead of queueing another behind it.
    const query = (this.refreshing ??= this.state.refresh(this.opts.database.db, this.opts.clock.now()).finally(() => (this.refreshing = undefined)));
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((r) => (timer = setTimeout(() => r('late'), ms)));
    try {
      if ((await Promise.race([query, late])) === 'late') throw new Error(`the database did not answer within ${ms} ms`);
      this.scrapeDatabase.set(1);
      return true;
    } catch (err) {
      this.scrapeDatabase.set(0);
      this.opts.logger.warn({ err: describeError(err) }, '/metrics: database gauges unavailable for this scrape');
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  private updateLag(): void {
    const now = this.opts.clock.now().getTime();
    for (const [job, { everyMs, since }] of this.jobs) {
      this.jobLag.set({ job }, Math.max(0, (now - since.getTime() - everyMs) / 1000));
    }
  }
}

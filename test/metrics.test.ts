import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, count, eq, isNull } from 'drizzle-orm';
import { checklistRuns, outbox, probeResults, timers } from '../src/db/schema';
import { IntakeStore } from '../src/slack/intake';
import { FakeClock, startTestBot, type TestBot } from './support/harness';
import { scrape, sampleValue, type Sample } from './support/prometheus';
import { slashCommand } from '../sandbox/payloads';
import { startSocketModeBot, unknownActionPayload, type SocketModeBot } from './support/socket-mode';
import { deliver, INCIDENT_CONFIG, latestIncident, MIN, quiesce } from './incidents/support';

const sum = (samples: readonly Sample[], name: string) => samples.filter((s) => s.name === name).reduce((n, s) => n + s.value, 0);

describe('/metrics after real work (jobs driven by the test)', () => {
  const clock = new FakeClock(new Date('2026-03-02T14:00:00Z'));
  let t: TestBot;
  beforeAll(async () => {
    t = await startTestBot({ config: INCIDENT_CONFIG, clock });
  });
  afterAll(() => t.close());

  it('exposes every family, the default process metrics included, in the Prometheus text format', async () => {
    const m = await scrape(t.bot.url);
    expect(m.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    for (const family of [
      'drainpro_ack_latency_seconds',
      'drainpro_intake_depth',
      'drainpro_intake_oldest_age_seconds',
      'drainpro_outbox_depth',
      'drainpro_outbox_oldest_age_seconds',
      'drainpro_permanent_failures',
      'drainpro_timers_due',
      'drainpro_timers_overdue',
      'drainpro_job_last_success_timestamp_seconds',
      'drainpro_job_lag_seconds',
      'drainpro_job_failures_total',
      'drainpro_probe_results',
      'drainpro_probe_last_check_timestamp_seconds',
      'drainpro_escalation_steps_fired_total',
      'drainpro_open_incidents',
      'drainpro_checklist_runs',
      'drainpro_metrics_database_up',
      'process_cpu_user_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
      'nodejs_heap_size_used_bytes',
      'nodejs_gc_duration_seconds',
    ]) {
      expect(m.families, family).toContain(family);
    }
    expect(m.types.get('drainpro_ack_latency_seconds')).toBe('histogram');
    expect(m.types.get('drainpro_escalation_steps_fired_total')).toBe('counter');
    expect(sampleValue(m.samples, 'drainpro_metrics_database_up')).toBe(1);
    // Zero series exist before anything happened, so an alert sees 0 rather than nothing.
    expect(sampleValue(m.samples, 'drainpro_open_incidents', { severity: 'p0', state: 'open' })).toBe(0);
    expect(sampleValue(m.samples, 'drainpro_checklist_runs', { state: 'missed' })).toBe(0);
    expect(sampleValue(m.samples, 'drainpro_escalation_steps_fired_total', { track: 'response' })).toBe(0);
    expect(sampleValue(m.samples, 'drainpro_permanent_failures', { source: 'intake' })).toBe(0);
  });

  it('counts each acked slash command in the histogram, under the command surface', async () => {
    const before = (await scrape(t.bot.url)).samples;
    const countOf = (s: readonly Sample[]) => sampleValue(s, 'drainpro_ack_latency_seconds_count', { surface: 'command' }) ?? 0;
    for (let i = 0; i < 3; i += 1) expect((await t.slash('/ops', 'help')).status).toBe(200);
    const after = (await scrape(t.bot.url)).samples;
    expect(countOf(after)).toBe(countOf(before) + 3);
    expect(sampleValue(after, 'drainpro_ack_latency_seconds_bucket', { surface: 'command', le: '+Inf' })).toBe(countOf(after));
    expect(sampleValue(after, 'drainpro_ack_latency_seconds_sum', { surface: 'command' })).toBeGreaterThan(0);
    expect(sampleValue(after, 'drainpro_ack_latency_seconds_count', { surface: 'action' }) ?? 0).toBe(0);
  });

  it('shows a declared incident by severity and state, its pages in the outbox, its escalation timer as due then overdue', async () => {
    expect((await t.slash('/incident', 'p1 Stripe webhooks failing', { userId: 'UDECL' })).status).toBe(200);
    const row = await t.slack.waitFor(async () => {
      const r = await latestIncident(t).catch(() => undefined);
      return r?.messageTs ? r : undefined;
    });
    await t.settle();
    let m = (await scrape(t.bot.url)).samples;
    expect(sampleValue(m, 'drainpro_open_incidents', { severity: 'p1', state: 'open' })).toBe(1);
    expect(sampleValue(m, 'drainpro_open_incidents', { severity: 'p0', state: 'open' })).toBe(0);

    // The pages wait in the outbox until the outbox job (driven here by hand) sends them.
    const [pending] = await t.database.db.select({ n: count() }).from(outbox).where(isNull(outbox.deliveredAt));
    expect(pending!.n).toBeGreaterThan(0);
    expect(sampleValue(m, 'drainpro_outbox_depth')).toBe(pending!.n);
    clock.advance(5 * MIN);
    m = (await scrape(t.bot.url)).samples;
    expect(sampleValue(m, 'drainpro_outbox_oldest_age_seconds')).toBeGreaterThanOrEqual(300);

    // The first escalation step: not yet due, due, then overdue a minute later.
    const [step] = await t.database.db
      .select()
      .from(timers)
      .where(and(eq(timers.refId, String(row.id)), isNull(timers.firedAt)))
      .orderBy(asc(timers.dueAt))
      .limit(1);
    expect(step!.dueAt.getTime()).toBeGreaterThan(clock.now().getTime());
    expect(sampleValue(m, 'drainpro_timers_due')).toBe(0);
    clock.set(new Date(step!.dueAt.getTime() + 1000));
    m = (await scrape(t.bot.url)).samples;
    expect(sampleValue(m, 'drainpro_timers_due')).toBeGreaterThanOrEqual(1);
    expect(sampleValue(m, 'drainpro_timers_overdue')).toBe(0);
    clock.advance(MIN);
    m = (await scrape(t.bot.url)).samples;
    expect(sampleValue(m, 'drainpro_timers_overdue')).toBeGreaterThanOrEqual(1);

    await deliver(t);
    m = (await scrape(t.bot.url)).samples;
    expect(sampleValue(m, 'drainpro_outbox_depth')).toBe(0);
    expect(sampleValue(m, 'drainpro_outbox_oldest_age_seconds')).toBe(0);

    // Acknowledged: it moves from the open series to the acknowledged one.
    expect((await t.slash('/incident', `ack ${row.id}`, { userId: 'UTECH' })).status).toBe(200);
    await t.slack.waitFor(async () => (await latestIncident(t)).state === 'acknowledged');
    m = (await scrape(t.bot.url)).samples;
    expect(sampleValue(m, 'drainpro_open_incidents', { severity: 'p1', state: 'open' })).toBe(0);
    expect(sampleValue(m, 'drainpro_open_incidents', { severity: 'p1', state: 'acknowledged' })).toBe(1);
    await quiesce(t);
  });

  it('shows a stored request left unfinished as intake depth and age, and its failure as a permanent one', async () => {
    // What a crash between the intake write and the end of the work leaves (the real store's write).
    const intake = new IntakeStore(t.database.db);
    const stored = await intake.accept({ command: '/ops', text: 'help' }, 'command', `command:metrics-${randomUUID()}`);
    expect(stored.stored).toBe(true);
    await new Promise((r) => setTimeout(r, 1100));
    let m = (await scrape(t.bot.url)).samples;
    expect(sampleValue(m, 'drainpro_intake_depth')).toBe(1);
    expect(sampleValue(m, 'drainpro_intake_oldest_age_seconds')).toBeGreaterThanOrEqual(1);
    // Its work then ends in a failure: it is finished for good and counts as a permanent failure.
    const failuresBefore = sampleValue(m, 'drainpro_permanent_failures', { source: 'intake' })!;
    if (stored.stored) await intake.finish(stored.id, 'the listener threw');
    m = (await scrape(t.bot.url)).samples;
    expect(sampleValue(m, 'drainpro_intake_depth')).toBe(0);
    expect(sampleValue(m, 'drainpro_intake_oldest_age_seconds')).toBe(0);
    expect(sampleValue(m, 'drainpro_permanent_failures', { source: 'intake' })).toBe(failuresBefore + 1);
  });

  it('shows a posted checklist run by state and its probe results by probe and status', async () => {
    expect((await t.slash('/ops', 'morning')).status).toBe(200);
    await t.slack.waitFor(async () => {
      const [r] = await t.database.db.select({ n: count() }).from(checklistRuns);
      return r!.n > 0;
    }, 10_000);
    await t.settle();
    const m = (await scrape(t.bot.url)).samples;
    const [runs] = await t.database.db.select({ n: count() }).from(checklistRuns).where(eq(checklistRuns.state, 'open'));
    expect(sampleValue(m, 'drainpro_checklist_runs', { state: 'open' })).toBe(runs!.n);
    const results = await t.database.db.select({ probe: probeResults.probe, status: probeResults.status }).from(probeResults);
    expect(results.length).toBeGreaterThan(0);
    expect(sum(m, 'drainpro_probe_results')).toBe(results.length);
    for (const r of results) {
      expect(sampleValue(m, 'drainpro_probe_results', { probe: r.probe, status: r.status })).toBeGreaterThan(0);
      expect(m.filter((s) => s.name === 'drainpro_probe_last_check_timestamp_seconds' && s.labels.probe === r.probe)).toHaveLength(1);
    }
  });
});

describe('/metrics with the periodic jobs running', () => {
  const clock = new FakeClock(new Date('2026-03-03T10:00:00Z'));
  let t: TestBot;
  beforeAll(async () => {
    t = await startTestBot({ config: INCIDENT_CONFIG, clock, jobs: true });
  });
  afterAll(() => t.close());

  it("records each job's last success and lag, and counts the escalation steps the sweep fires", async () => {
    const jobs = ['checklist-schedule', 'reminders', 'escalation', 'outbox', 'deliver-runs', 'weekly-summary', 'intake-recovery'];
    let m = await t.slack.waitFor(async () => {
      const s = (await scrape(t.bot.url)).samples;
      return s.some((x) => x.name === 'drainpro_job_last_success_timestamp_seconds' && x.labels.job === 'outbox') ? s : undefined;
    });
    for (const job of jobs) {
      expect(sampleValue(m, 'drainpro_job_lag_seconds', { job }), job).toBeGreaterThanOrEqual(0);
      expect(sampleValue(m, 'drainpro_job_failures_total', { job }), job).toBe(0);
    }
    expect(sampleValue(m, 'drainpro_job_last_success_timestamp_seconds', { job: 'outbox' })).toBeGreaterThanOrEqual(clock.now().getTime() / 1000 - 1);

    expect((await t.slash('/incident', 'p0 Payments are down for everyone', { userId: 'UDECL' })).status).toBe(200);
    const row = await t.slack.waitFor(async () => {
      const r = await latestIncident(t).catch(() => undefined);
      return r?.messageTs ? r : undefined;
    });
    const [step] = await t.database.db
      .select()
      .from(timers)
      .where(and(eq(timers.kind, 'incident-response'), eq(timers.refId, String(row.id)), isNull(timers.firedAt)))
      .orderBy(asc(timers.dueAt))
      .limit(1);
    expect(sampleValue((await scrape(t.bot.url)).samples, 'drainpro_escalation_steps_fired_total', { track: 'response' })).toBe(0);
    // The escalation job ticks every second on real timers and reads the moved clock.
    clock.set(new Date(step!.dueAt.getTime() + 1000));
    m = await t.slack.waitFor(async () => {
      const s = (await scrape(t.bot.url)).samples;
      return (sampleValue(s, 'drainpro_escalation_steps_fired_total', { track: 'response' }) ?? 0) >= 1 ? s : undefined;
    }, 10_000);
    expect((await t.database.db.select().from(timers).where(eq(timers.id, step!.id)))[0]!.firedAt).not.toBeNull();
    await t.settle();
    await quiesce(t);
  });
});

describe('/metrics in Socket Mode', () => {
  let t: SocketModeBot;
  beforeAll(async () => {
    t = await startSocketModeBot();
  }, 30_000);
  afterAll(() => t?.close());

  it('is served without a token (the port need not face the internet) and times the acks sent over the socket', async () => {
    const countOf = (s: readonly Sample[], surface: string) => sampleValue(s, 'drainpro_ack_latency_seconds_count', { surface }) ?? 0;
    const before = (await scrape(t.bot.url)).samples;
    await t.socket.send('slash_commands', slashCommand({ command: '/ops', text: 'help', userId: 'UALICE', responseUrl: t.slack.responseUrl(randomUUID()) }));
    await t.socket.send('interactive', unknownActionPayload(t));
    await t.settle();
    const after = (await scrape(t.bot.url)).samples;
    expect(countOf(after, 'command')).toBe(countOf(before, 'command') + 1);
    expect(countOf(after, 'action')).toBe(countOf(before, 'action') + 1);
  });
});

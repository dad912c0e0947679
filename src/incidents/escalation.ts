import { escapeMrkdwn } from '../../blocks/format';
import { incidentTitle } from '../../blocks/incident';
import type { Deps } from '../deps';
import { describeError } from '../errors';
import { isPermanentSlackError } from '../slack/errors';
import { recordSlackFailure } from '../slack/failures';
import { scheduleTimer, sweepTimers, type OutsideHandler, type SweepResult, type TimerHandler } from '../timers';
import { decideResolutionStep, decideResponseStep, type StepDecision } from './machine';
import { ensureIncidentChannel, inviteToIncidentChannel, publishIncident, refreshIncident } from './publish';
import { channellessIncidentIds, failingPages, getIncident, lockIncident, policyOf, snapshot, TimerKinds, unpostedIncidentIds, updateIncident } from './store';
import { pageLevels, recordEvent, scheduleTrack } from './steps';
import { renderPage } from './render-page';
import { refreshCountdowns } from './countdown';
import { flushStaleTimelines } from './timeline';
import { updateReminderHandler } from './update-reminder';
import { followupReminderHandler } from './followups';
import type { Tx } from '../db';
import type { TimerRow } from '../timers';

async function applyStep(deps: Deps, tx: Tx, t: TimerRow, now: Date, track: 'response' | 'resolution'): Promise<void> {
  const row = await lockIncident(tx, Number(t.refId));
  if (!row) return;
  const snap = snapshot(row);
  const d: StepDecision = track === 'response' ? decideResponseStep(snap, t.dueAt, now) : decideResolutionStep(snap, t.dueAt, now);
  if (d.kind === 'none') return;
  if (d.kind === 'notice') {
    await recordEvent(tx, row, { kind: 'sla_breached', text: d.text }, now);
    const updated = await updateIncident(tx, row.id, {});
    if (d.next) await scheduleTrack(tx, updated, track, d.next);
    return;
  }
  const policy = policyOf(row);
  const updated = await updateIncident(tx, row.id, { level: d.to });
  await recordEvent(tx, updated, { kind: 'escalated', level: d.to, text: d.text }, now);
  await pageLevels(deps, tx, updated, [d.to], escapeMrkdwn(d.text), now, renderPage);
  if (d.next) await scheduleTrack(tx, updated, track, d.next);
  deps.logger.info({ incident: row.id, track, from: policy.chain[row.level]?.id, to: policy.chain[d.to]?.id }, 'incident escalated');
}

/**
 * Sends one SMS page with no transaction open while Twilio answers (its timeout is 10 s; inside a
 * transaction that would hold PGlite's only engine or a pooled connection meanwhile). The timer is
 * leased instead; the timeline entry commits with the timer marked fired. A failure retries it later.
 */
const sendSms = (deps: Deps): OutsideHandler => ({
  async send(db, t, now) {
    const { incidentId, userId, reason, afterAck } = t.payload as { incidentId: number; userId: string; reason?: string; afterAck?: boolean };
    const row = await getIncident(db, incidentId);
    // Resolved, or acknowledged since this page was decided: paging has stopped. (A resolution-SLA
    // escalation of an acknowledged incident is a new page and still goes out.)
    if (!row || row.state === 'resolved' || (row.state === 'acknowledged' && !afterAck)) return;
    const phone = deps.config.incidents.phones[userId];
    if (!phone) {
      deps.logger.info({ incident: incidentId, user: userId }, 'no phone number configured; SMS page skipped');
      return;
    }
    const sms = deps.sms;
    if (!sms.sender) {
      deps.logger.info({ incident: incidentId, user: userId, why: sms.why }, 'SMS page skipped');
      return;
    }
    const head = { id: row.id, severity: row.severity, severityName: policyOf(row).severityName, summary: row.summary };
    const res = await sms.sender.send(phone, `DrainPro Ops: ${incidentTitle(head)}. ${reason ?? ''} Acknowledge in Slack: /incident ack ${row.id}`);
    return (tx) => recordEvent(tx, row, { kind: 'sms', userId, text: `Paged by SMS (${res.sid}).` }, now);
  },
});

export function escalationHandlers(deps: Deps): Record<string, TimerHandler> {
  return {
    [TimerKinds.response]: (tx, t, now) => applyStep(deps, tx, t, now, 'response'),
    [TimerKinds.resolution]: (tx, t, now) => applyStep(deps, tx, t, now, 'resolution'),
    [TimerKinds.sms]: sendSms(deps),
    [TimerKinds.updateReminder]: updateReminderHandler(deps),
    [TimerKinds.followup]: followupReminderHandler(),
  };
}

/** Pages Slack keeps refusing also go out by SMS (once per outbox row). */
async function scheduleSmsFallbacks(deps: Deps, now: Date): Promise<number> {
  let n = 0;
  for (const p of await failingPages(deps.db, deps.config.incidents.smsAfterFailedAttempts)) {
    const m = /^page:(\d+):([UW][A-Z0-9]+)$/.exec(p.ref);
    if (!m) continue;
    const added = await scheduleTimer(deps.db, {
      kind: TimerKinds.sms,
      refId: `outbox:${p.id}`,
      dueAt: now,
      payload: { incidentId: Number(m[1]), userId: m[2], reason: 'Slack could not be reached.' },
    });
    if (added) n += 1;
  }
  return n;
}

export interface EscalationRun extends SweepResult {
  smsFallbacks: number;
  published: number;
}

/** Fires due steps only (the database part; the benchmark times this). */
export function fireDueSteps(deps: Deps, now: Date, limit = 100): Promise<SweepResult> {
  return sweepTimers(deps.db, now, escalationHandlers(deps), limit);
}

/**
 * The escalation sweep: SMS fallbacks for failing pages, due steps (claimed with SKIP LOCKED),
 * then Slack: refresh the announcements whose state or SLA clock changed, announce the incidents
 * Slack missed, open the dedicated channels they are missing.
 */
export async function runEscalationSweep(deps: Deps, now: Date): Promise<EscalationRun> {
  const smsFallbacks = await scheduleSmsFallbacks(deps, now);
  const swept = await fireDueSteps(deps, now);
  const touched = new Set<number>();
  for (const f of swept.fired) if (f.kind !== TimerKinds.sms) touched.add(Number(f.refId));
  for (const id of touched) {
    try {
      await refreshIncident(deps, id);
      await inviteToIncidentChannel(deps, id);
    } catch (err) {
      deps.logger.warn({ incident: id, err: describeError(err) }, 'could not refresh the incident after a step');
    }
  }
  let published = 0;
  for (const id of await unpostedIncidentIds(deps.db, now)) {
    try {
      if ((await publishIncident(deps, id)) === 'posted') published += 1;
    } catch (err) {
      deps.logger.warn({ incident: id, err: describeError(err) }, 'announcement still failing');
    }
  }
  // Announced but left without their dedicated channel (a crash between the two): open it now.
  const cfg = deps.config.incidents;
  for (const id of cfg.dedicatedChannel ? await channellessIncidentIds(deps.db, cfg.dedicatedChannelFor) : []) {
    try {
      await ensureIncidentChannel(deps, id);
    } catch (err) {
      // Refused for good: recorded (an ERROR line, /ops status, /healthz) and not tried again.
      if (isPermanentSlackError(err))
        await recordSlackFailure(deps, deps.db, { owner: 'incident-channel', refId: id, channel: '', err, at: now, log: { incident: id } });
      else deps.logger.warn({ incident: id, err: describeError(err) }, 'incident channel still failing');
    }
  }
  // The SLA countdowns whose text changed, and timeline entries whose flush never ran.
  await refreshCountdowns(deps, now);
  await flushStaleTimelines(deps, now);
  return { ...swept, smsFallbacks, published };
}

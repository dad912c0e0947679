// A change marked failed: an incident on the incident engine (so it pages and escalates on its
// SLA like any other), linked to the change, and the rollback plan's deadline as a timer whose
// passing escalates the incident (the next level is paged) and is said in the change's thread.
import { escapeMrkdwn, mrkdwn } from '../../blocks/format';
import { buildNotice } from '../../blocks/help';
import type { ChecklistDef } from '../checklists';
import type { Deps } from '../deps';
import { declareIncident, type DeclareResult } from '../incidents/flows';
import { recordEvent } from '../incidents/steps';
import { escalateOnDeadline } from '../incidents/deadline-escalation';
import { inviteToIncidentChannel, refreshIncident } from '../incidents/publish';
import { getIncident } from '../incidents/store';
import { describeError } from '../errors';
import { deliverOutbox, enqueue } from '../outbox';
import type { RunRow } from '../runs/store';
import { scheduleTimer, type TimerHandler } from '../timers';
import { findChangeRun, latestChangeIncident } from './store';
import { CHANGE_PREFIX } from './store';

export const CHANGE_ROLLBACK_KIND = 'change-rollback';

export type FailOutcome = { kind: 'not_found' } | { kind: 'failed'; run: RunRow; incident: DeclareResult; dueAt: Date; hours: number };

export async function failChange(deps: Deps, input: { runId: number; what: string; userId: string }): Promise<FailOutcome> {
  const run = await findChangeRun(deps.db, input.runId);
  if (!run?.checklistId.startsWith(CHANGE_PREFIX)) return { kind: 'not_found' };
  const rb = deps.config.changes.runbooks.find((r) => `${CHANGE_PREFIX}${r.id}` === run.checklistId);
  const hours = rb?.rollbackHours ?? 1;
  const name = (run.definition as Partial<ChecklistDef>).name ?? run.checklistId;
  // One open incident per change: marking it failed again joins it while it is open; once it is
  // resolved, a new failure is a new incident (keyed after the resolved one, so a replay joins it).
  const latest = await latestChangeIncident(deps.db, run.id);
  const dedupeKey = !latest ? `change-failed:${run.id}` : latest.state === 'resolved' ? `change-failed:${run.id}:after:${latest.id}` : latest.dedupeKey;
  const incident = await declareIncident(deps, {
    severity: 'p1',
    summary: `Change #${run.id} failed: ${input.what}`.slice(0, 200),
    declaredBy: input.userId,
    source: 'change',
    sourceRef: `change:${run.id}`,
    dedupeKey,
  });
  const now = deps.clock.now();
  const dueAt = new Date(now.getTime() + hours * 3_600_000);
  await deps.db.transaction(async (tx) => {
    if (!(await scheduleTimer(tx, { kind: CHANGE_ROLLBACK_KIND, refId: String(incident.incident.id), dueAt, payload: { runId: run.id, hours } }))) return;
    const text = mrkdwn`:rotating_light: Change marked failed: incident #${incident.incident.id} declared. Rollback plan: ${escapeMrkdwn(rb?.rollback.join('; ') ?? 'none')}. Deadline: ${escapeMrkdwn(formatHours(hours))}.`;
    await enqueue(
      tx,
      { channel: run.channel, ...(run.messageTs ? { threadTs: run.messageTs } : {}), ref: `change-failed:${run.id}`, ...buildNotice(text) },
      now,
    );
    const inc = (await getIncident(tx, incident.incident.id))!;
    await recordEvent(
      tx,
      inc,
      { kind: 'change', userId: input.userId, text: `Change #${run.id} (${name}) failed; rollback due within ${formatHours(hours)}` },
      now,
    );
  });
  await deliverOutbox(deps, deps.clock.now());
  return { kind: 'failed', run, incident, dueAt, hours };
}

/** "1 h", "4 h", "5 min": the rollback plans' deadlines as the guide says them. */
export function formatHours(hours: number): string {
  return hours < 1 ? `${Math.round(hours * 60)} min` : `${Number(hours.toFixed(2))} h`;
}

/**
 * The rollback deadline passed and the incident is not resolved: it escalates on the incident
 * engine (the next level of its frozen policy is paged now, an escalation step whose reason is the
 * deadline), and the change's thread says so. Inside the timer's transaction: once, even across
 * restarts (the timer is marked fired in the same commit).
 */
export function changeRollbackHandler(deps: Deps): TimerHandler {
  return async (tx, timer, now) => {
    const payload = timer.payload as { runId?: number; hours?: number };
    if (typeof payload.runId !== 'number') return;
    const hours = typeof payload.hours === 'number' ? formatHours(payload.hours) : 'its';
    const reason = `Rollback deadline passed: change #${payload.runId} was to be rolled back within ${hours} and the incident is not resolved`;
    const out = await escalateOnDeadline(deps, tx, Number(timer.refId), reason, now);
    if (out.kind === 'resolved' || out.kind === 'not_found') return;
    const run = await findChangeRun(tx, payload.runId);
    if (!run) return;
    const paged =
      out.kind === 'escalated'
        ? mrkdwn`escalated to ${escapeMrkdwn(out.to)}, paged now`
        : mrkdwn`already at ${escapeMrkdwn(out.at)}, the top of its escalation chain`;
    const text = mrkdwn`:alarm_clock: The rollback deadline (${escapeMrkdwn(hours)}) has passed and incident #${Number(timer.refId)} is not resolved: ${paged}. Roll back now.`;
    await enqueue(
      tx,
      { channel: run.channel, ...(run.messageTs ? { threadTs: run.messageTs } : {}), ref: `change-rollback:${payload.runId}`, ...buildNotice(text) },
      now,
    );
  };
}

/** After the deadline's sweep: the announcement shows the new level (a failure is left to the next refresh). */
export async function afterRollbackDeadline(deps: Deps, incidentId: number): Promise<void> {
  try {
    await refreshIncident(deps, incidentId);
    await inviteToIncidentChannel(deps, incidentId);
  } catch (err) {
    deps.logger.warn({ incident: incidentId, err: describeError(err) }, 'could not refresh the incident after its rollback deadline');
  }
}

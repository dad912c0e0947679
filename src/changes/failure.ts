// A change marked failed: an incident on the incident engine (so it pages and escalates on its
// SLA like any other), linked to the change, and the rollback plan's deadline as a timer whose
// passing is written on the incident's timeline and in the change's thread.
import { escapeMrkdwn, mrkdwn } from '../../blocks/format';
import { buildNotice } from '../../blocks/help';
import type { ChecklistDef } from '../checklists';
import type { Deps } from '../deps';
import { declareIncident, type DeclareResult } from '../incidents/flows';
import { recordEvent } from '../incidents/steps';
import { getIncident } from '../incidents/store';
import { deliverOutbox, enqueue } from '../outbox';
import type { RunRow } from '../runs/store';
import { scheduleTimer, type TimerHandler } from '../timers';
import { findChangeRun } from './store';
import { CHANGE_PREFIX } from './store';

export const CHANGE_ROLLBACK_KIND = 'change-rollback';

export type FailOutcome = { kind: 'not_found' } | { kind: 'failed'; run: RunRow; incident: DeclareResult; dueAt: Date; hours: number };

export async function failChange(deps: Deps, input: { runId: number; what: string; userId: string }): Promise<FailOutcome> {
  const run = await findChangeRun(deps.db, input.runId);
  if (!run?.checklistId.startsWith(CHANGE_PREFIX)) return { kind: 'not_found' };
  const rb = deps.config.changes.runbooks.find((r) => `${CHANGE_PREFIX}${r.id}` === run.checklistId);
  const hours = rb?.rollbackHours ?? 1;
  const name = (run.definition as Partial<ChecklistDef>).name ?? run.checklistId;
  // One incident per change: marking it failed twice joins the first.
  const incident = await declareIncident(deps, {
    severity: 'p1',
    summary: `Change #${run.id} failed: ${input.what}`.slice(0, 200),
    declaredBy: input.userId,
    source: 'change',
    sourceRef: `change:${run.id}`,
    dedupeKey: `change-failed:${run.id}`,
  });
  const now = deps.clock.now();
  const dueAt = new Date(now.getTime() + hours * 3_600_000);
  await deps.db.transaction(async (tx) => {
    if (!(await scheduleTimer(tx, { kind: CHANGE_ROLLBACK_KIND, refId: String(incident.incident.id), dueAt, payload: { runId: run.id, hours } }))) return;
    const text = mrkdwn`:rotating_light: Change marked failed: incident #${incident.incident.id} declared. Rollback plan: ${escapeMrkdwn(rb?.rollback.join('; ') ?? 'none')}. Deadline: ${escapeMrkdwn(String(hours))} h.`;
    await enqueue(
      tx,
      { channel: run.channel, ...(run.messageTs ? { threadTs: run.messageTs } : {}), ref: `change-failed:${run.id}`, ...buildNotice(text) },
      now,
    );
    const inc = (await getIncident(tx, incident.incident.id))!;
    await recordEvent(tx, inc, { kind: 'change', userId: input.userId, text: `Change #${run.id} (${name}) failed; rollback due within ${hours} h` }, now);
  });
  await deliverOutbox(deps, deps.clock.now());
  return { kind: 'failed', run, incident, dueAt, hours };
}

/** The rollback deadline: unless the incident is resolved, the breach is written on its timeline and in the change's thread. */
export function changeRollbackHandler(): TimerHandler {
  return async (tx, timer, now) => {
    const inc = await getIncident(tx, Number(timer.refId));
    const payload = timer.payload as { runId?: number; hours?: number };
    if (!inc || inc.state === 'resolved' || typeof payload.runId !== 'number') return;
    const run = await findChangeRun(tx, payload.runId);
    await recordEvent(
      tx,
      inc,
      {
        kind: 'sla_breached',
        text: `Rollback deadline of change #${payload.runId} passed (${payload.hours ?? '?'} h) and the incident is not resolved: roll back now`,
      },
      now,
    );
    if (run) {
      const text = mrkdwn`:alarm_clock: The rollback deadline (${escapeMrkdwn(String(payload.hours ?? '?'))} h) has passed and incident #${inc.id} is not resolved: roll back now.`;
      await enqueue(
        tx,
        { channel: run.channel, ...(run.messageTs ? { threadTs: run.messageTs } : {}), ref: `change-rollback:${payload.runId}`, ...buildNotice(text) },
        now,
      );
    }
  };
}

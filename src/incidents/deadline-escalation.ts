import { renderPage } from './render-page';
import { escapeMrkdwn } from '../../blocks/format';
import type { Tx } from '../db';
import type { Deps } from '../deps';
import { cancelTimers } from '../timers';
import { decideEscalateNow } from './machine';
import { lockIncident, policyOf, snapshot, TimerKinds, updateIncident } from './store';
import { pageLevels, recordEvent, scheduleTrack } from './steps';

export type DeadlineEscalation = { kind: 'escalated'; to: string } | { kind: 'top'; at: string } | { kind: 'resolved' } | { kind: 'not_found' };

/**
 * Another feature's deadline passed on an incident (a failed change's rollback deadline): the next
 * level of the incident's frozen policy is paged now, recorded as an escalation step with `reason`,
 * exactly like "Escalate now" by hand. It runs in the caller's transaction (a timer's), so it
 * happens once: the timer is marked fired in the same commit. At the top of the chain, the breach
 * is written on the timeline and nobody new is paged.
 */
export async function escalateOnDeadline(deps: Deps, tx: Tx, incidentId: number, reason: string, now: Date): Promise<DeadlineEscalation> {
  const row = await lockIncident(tx, incidentId);
  if (!row) return { kind: 'not_found' };
  const policy = policyOf(row);
  const d = decideEscalateNow(snapshot(row), row.level, now);
  if (d.kind === 'closed') return { kind: 'resolved' };
  if (d.kind !== 'escalate') {
    const at = policy.chain[row.level]?.name ?? 'the top level';
    await recordEvent(tx, row, { kind: 'sla_breached', text: `${reason}; already at the top of the escalation chain (${at})` }, now);
    return { kind: 'top', at };
  }
  const updated = await updateIncident(tx, row.id, { level: d.to });
  if (updated.state === 'open') {
    await cancelTimers(tx, TimerKinds.response, String(row.id), now);
    if (d.nextResponseStep) await scheduleTrack(tx, updated, 'response', d.nextResponseStep);
  }
  const to = policy.chain[d.to]!.name;
  await recordEvent(tx, updated, { kind: 'escalated', level: d.to, text: `${reason}: escalated to ${to}.` }, now);
  await pageLevels(deps, tx, updated, [d.to], escapeMrkdwn(`${reason}.`), now, renderPage);
  deps.logger.info({ incident: row.id, to: policy.chain[d.to]?.id, reason }, 'incident escalated on a deadline');
  return { kind: 'escalated', to };
}

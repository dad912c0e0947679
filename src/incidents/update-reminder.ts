import { mention, mrkdwn } from '../../blocks/format';
import { incidentTitle } from '../../blocks/incident';
import type { Tx } from '../db';
import type { Deps } from '../deps';
import { enqueue } from '../outbox';
import { scheduleTimer, type TimerHandler } from '../timers';
import { lockIncident, policyOf, TimerKinds, type IncidentRow } from './store';
import { escapeMrkdwn } from '../../blocks/format';

/**
 * An open P0/P1 (config) without a status update for 30 minutes (config) reminds its lead, or
 * its declarer while it has none, by DM; again every 30 minutes while no update comes. The timer
 * is keyed by its due minute, so a retried schedule never doubles it.
 */
export async function scheduleUpdateReminder(deps: Deps, tx: Tx, inc: Pick<IncidentRow, 'id' | 'severity'>, from: Date): Promise<void> {
  const cfg = deps.config.incidents;
  if (!cfg.updateReminderFor.includes(inc.severity)) return;
  const dueAt = new Date(from.getTime() + cfg.updateReminderMinutes * 60_000);
  await scheduleTimer(tx, { kind: TimerKinds.updateReminder, refId: String(inc.id), step: Math.floor(dueAt.getTime() / 60_000), dueAt });
}

export function updateReminderHandler(deps: Deps): TimerHandler {
  return async (tx, t, now) => {
    const row = await lockIncident(tx, Number(t.refId));
    if (!row || row.state === 'resolved' || !deps.config.incidents.updateReminderFor.includes(row.severity)) return;
    const every = deps.config.incidents.updateReminderMinutes * 60_000;
    const last = row.lastUpdateAt ?? row.declaredAt;
    // An update came meanwhile: the next reminder counts from it.
    if (now.getTime() - last.getTime() < every) return scheduleUpdateReminder(deps, tx, row, last);
    const to = row.lead ?? row.declaredBy;
    const head = { id: row.id, severity: row.severity, severityName: policyOf(row).severityName, summary: row.summary };
    const minutes = Math.floor((now.getTime() - last.getTime()) / 60_000);
    const text = mrkdwn`:mega: ${mention(to)} — ${escapeMrkdwn(incidentTitle(head))} has had no status update for ${minutes} min. Post one with \`/incident update ${row.id} &lt;text&gt;\`.`;
    await enqueue(tx, { channel: to, ref: `update-reminder:${row.id}`, text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] }, now);
    await scheduleUpdateReminder(deps, tx, row, now);
  };
}

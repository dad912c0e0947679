import { escapeMrkdwn, joinMrkdwn, mention, mrkdwn, plural, userGroupMention, type Mrkdwn } from '../../blocks/format';
import { and, eq, sql } from 'drizzle-orm';
import type { ChecklistDef } from '../checklists';
import type { OpsConfig } from '../config/ops-config';
import type { Tx } from '../db';
import { checklistItems, checklistRuns } from '../db/schema';
import { enqueue } from '../outbox';
import type { NewTimer, TimerHandler } from '../timers';
import type { RunRow } from './store';

export const REMINDER_KIND = 'checklist-reminder';

/** Reminders of a run: at its duration and at twice its duration after it was due. */
export function reminderTimers(run: RunRow, def: ChecklistDef): NewTimer[] {
  const base = (run.scheduledFor ?? run.createdAt).getTime();
  return [1, 2].map((step) => ({ kind: REMINDER_KIND, refId: String(run.id), step, dueAt: new Date(base + step * def.durationMinutes * 60_000) }));
}

/** Who a role is in Slack: its members and groups as mentions, or its name when nobody is listed. */
export function roleMentions(config: OpsConfig, roleId: string): Mrkdwn {
  const role = config.roles[roleId];
  if (!role) return escapeMrkdwn(roleId);
  const mentions = [...role.members.map(mention), ...role.groups.map(userGroupMention)];
  return mentions.length ? joinMrkdwn(mentions, ' ') : mrkdwn`*${escapeMrkdwn(role.name)}*`;
}

/**
 * Fires a reminder: if the run still has unsigned items, a threaded message mentions the owner;
 * the second reminder also mentions the owner's escalation contact. Queued in the outbox in the
 * same transaction that marks the timer fired, so it is sent once.
 */
export function reminderHandler(config: OpsConfig): TimerHandler {
  return async (tx: Tx, timer, now) => {
    const [run] = await tx
      .select()
      .from(checklistRuns)
      .where(eq(checklistRuns.id, Number(timer.refId)));
    if (run?.state !== 'open') return;
    const [{ pending } = { pending: 0 }] = await tx
      .select({ pending: sql<number>`count(*)::int` })
      .from(checklistItems)
      .where(and(eq(checklistItems.runId, run.id), eq(checklistItems.status, 'pending')));
    if (pending === 0) return;
    const def = run.definition;
    const owner = roleMentions(config, def.ownerRole);
    const contactRole = config.reminders.escalateTo[def.ownerRole];
    const contact = timer.step >= 2 && contactRole ? mrkdwn` cc ${roleMentions(config, contactRole)}` : mrkdwn``;
    const overdueBy = timer.step === 1 ? mrkdwn`its ${def.durationMinutes} min` : mrkdwn`twice its ${def.durationMinutes} min`;
    const text = mrkdwn`:alarm_clock: ${owner}${contact} — *${escapeMrkdwn(def.name)}* is past ${overdueBy}: ${plural(pending, 'item')} still unsigned.`;
    await enqueue(tx, { channel: run.channel, ...(run.messageTs ? { threadTs: run.messageTs } : {}), text, ref: `run:${run.id}:reminder:${timer.step}` }, now);
  };
}

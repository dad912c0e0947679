import type { MarkupEventKind } from '../../blocks/incident';
import type { Message } from '../../blocks/limits';
import { escapeMrkdwn, joinMrkdwn, mention, mrkdwn, userGroupMention, type Mrkdwn } from '../../blocks/format';
import type { Tx } from '../db';
import type { Deps } from '../deps';
import { levelToPage } from '../oncall/holders';
import { enqueue } from '../outbox';
import { scheduleTimer } from '../timers';
import type { Policy } from './policy';
import { insertEvent, policyOf, TimerKinds, type IncidentRow } from './store';

/**
 * Transactional effects shared by the flows and the sweep: each writes to the database and the
 * outbox in the caller's transaction, so a page is sent if and only if the step that caused it
 * commits.
 */

type PlainEventKind =
  | 'declared'
  | 'notified'
  | 'acknowledged'
  | 'resolved'
  | 'escalated'
  | 'note'
  | 'sla_breached'
  | 'sms'
  | 'procedure'
  | 'change'
  | 'severity'
  | 'update'
  | 'followup'
  | 'review';
/**
 * A timeline entry: plain text (notes, summaries: escaped when rendered), or for the kinds that
 * mention people or channels, the bot's own mrkdwn made by the renderers.
 */
export type EventInput = ({ kind: PlainEventKind; text: string } | { kind: MarkupEventKind; markup: Mrkdwn }) & {
  userId?: string | null;
  level?: number | null;
};

/**
 * Adds a timeline entry. It reaches the announcement's thread in a batch (src/incidents/timeline.ts):
 * the flows' refresh, or the escalation sweep, posts the entries of a burst as one reply.
 */
export async function recordEvent(tx: Tx, inc: IncidentRow, e: EventInput, now: Date): Promise<void> {
  const text: string = 'markup' in e ? e.markup : e.text;
  await insertEvent(tx, { incidentId: inc.id, kind: e.kind, text, userId: e.userId ?? null, level: e.level ?? null, at: now, threaded: false });
}

/** The timeline text of a page: the level, who was paged (mentions from config ids), why. */
export function pagedMarkup(levelName: string, who: readonly Mrkdwn[], reason: Mrkdwn): Mrkdwn {
  const whom = who.length ? joinMrkdwn(who, ' ') : mrkdwn`nobody is configured for this level`;
  return mrkdwn`${escapeMrkdwn(levelName)}: ${whom} — ${reason}`;
}

const isGroup = (g: string) => /^S[A-Z0-9]{2,20}$/.test(g);

/** What one level's pages were queued as: the outbox row of each person and group (none: nobody configured). */
export interface PagePlan {
  name: string;
  role: string;
  sends: { who: Mrkdwn; outboxId: number }[];
}

/** One page, as data: whom it reaches, where, and why. The flows' renderer makes the message. */
export interface PageIntent {
  incident: { id: number; severity: IncidentRow['severity']; severityName: string; summary: string };
  /** The id of the person or group paged, and its mention. */
  recipient: string;
  to: Mrkdwn;
  /** Where it goes: the person's DM, or the incident's channel for a group. */
  channel: string;
  levelName: string;
  /** The index of the level in the chain (the page's buttons carry it). */
  level: number;
  reason: Mrkdwn;
}

/** Turns a page into its Slack message; passed in by the flows, so this domain step builds no Block Kit. */
export type PageRenderer = (page: PageIntent) => Message;

/** Queues one page in the caller's transaction: stored before Slack is told. */
async function queuePage(tx: Tx, render: PageRenderer, page: PageIntent, now: Date): Promise<{ who: Mrkdwn; outboxId: number }> {
  const outboxId = await enqueue(tx, { channel: page.channel, ref: `page:${page.incident.id}:${page.recipient}`, ...render(page) }, now);
  return { who: page.to, outboxId };
}

/**
 * Pages the people and groups of `levels`: DMs and group mentions through the outbox, SMS timers.
 * Returns what was queued per level, so the caller can tell the person what happened.
 */
export async function pageLevels(deps: Deps, tx: Tx, inc: IncidentRow, levels: number[], reason: Mrkdwn, now: Date, render: PageRenderer): Promise<PagePlan[]> {
  const policy: Policy = policyOf(inc);
  const head = { id: inc.id, severity: inc.severity, severityName: policy.severityName, summary: inc.summary };
  const plans: PagePlan[] = [];
  for (const li of levels) {
    // The rotation's holder or the override when the role has one, else every member (src/oncall/holders.ts).
    const level = await levelToPage(deps, tx, inc.id, li, policy.chain[li], now);
    if (!level) continue;
    const plan: PagePlan = { name: level.name, role: level.role, sends: [] };
    plans.push(plan);
    const page = { incident: head, levelName: level.name, level: li, reason };
    for (const user of level.members) {
      plan.sends.push(await queuePage(tx, render, { ...page, recipient: user, to: mention(user), channel: user }, now));
    }
    for (const group of level.groups.filter(isGroup)) {
      plan.sends.push(await queuePage(tx, render, { ...page, recipient: group, to: userGroupMention(group), channel: inc.channel }, now));
    }
    if (policy.smsLevels.includes(li)) {
      for (const user of level.members) {
        // (incident:user, level) is unique: the same person is texted once per level, however often paged.
        await scheduleTimer(tx, {
          kind: TimerKinds.sms,
          refId: `${inc.id}:${user}`,
          step: li,
          dueAt: now,
          payload: { incidentId: inc.id, userId: user, reason, afterAck: inc.state === 'acknowledged' },
        });
      }
    }
    const who = [...level.members.map(mention), ...level.groups.filter(isGroup).map(userGroupMention)];
    // `escalationLevel`, not `level`: pino's numeric `level` is the line's severity.
    if (who.length === 0)
      deps.logger.error(
        { incident: inc.id, escalationLevel: level.id, role: level.role },
        `escalation level has nobody configured: set roles.${level.role}.members`,
      );
    await recordEvent(tx, inc, { kind: 'paged', level: li, userId: level.holder, markup: pagedMarkup(level.name, who, reason) }, now);
  }
  return plans;
}

export async function scheduleTrack(tx: Tx, inc: IncidentRow, track: 'response' | 'resolution', dueAt: Date): Promise<void> {
  // The incident's version is unique per change, so a rescheduled track never collides with a cancelled row.
  await scheduleTimer(tx, { kind: TimerKinds[track], refId: String(inc.id), step: inc.version, dueAt, payload: { level: inc.level } });
}

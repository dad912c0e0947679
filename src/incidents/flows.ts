import { channelLink, escapeMrkdwn, link, mention, mrkdwn, type Mrkdwn } from '../../blocks/format';
import type { Deps } from '../deps';
import { channelFor } from '../deps';
import { describeError } from '../errors';
import { cancelTimers } from '../timers';
import type { Severity, SystemId } from '../config/incidents';
import { ackRefusal, escalateRefusal, resolveRefusal } from '../rights';
import { ackMetrics, decideEscalateNow, planDeclare, resolveMetrics } from './machine';
import { freezePolicy } from './policy';
import { inviteToIncidentChannel, publishIncident, refreshIncident } from './publish';
import {
  escalatedByHandTo,
  findByDedupeKey,
  getIncident,
  insertIncident,
  lockIncident,
  policyOf,
  snapshot,
  TimerKinds,
  updateIncident,
  withdrawPendingPages,
  type IncidentRow,
} from './store';
import { pageLevels, recordEvent, scheduleTrack, type PagePlan } from './steps';
import { renderPage } from './render-page';
import { announcementOf, describePages, sendPages, type Announcement, type PageOutcome } from './outcome';
import { channelLabel, isPermanentSlackError, slackAdvice } from '../slack/errors';
import { recordSlackFailure } from '../slack/failures';
import { capText, storableText } from '../user-text';
import { scheduleUpdateReminder } from './update-reminder';
import { scheduleReview } from './review-intent';

export interface DeclareInput {
  severity: Severity;
  summary: string;
  system?: SystemId;
  declaredBy: string;
  source: 'slash' | 'modal' | 'checklist' | 'probe' | 'change' | 'message';
  /** Declared from a message (the message shortcut): its channel and permalink (asked of Slack, null when it gave none). */
  fromMessage?: { channel: string; permalink: string | null };
  /** e.g. `run:12|item:payments`, shown on the announcement. */
  sourceRef?: string;
  /** Makes a retried request a no-op: `trigger:<id>`, `view:<id>`, `checklist:<run>:<item>`. */
  dedupeKey: string;
}

export type DeclareResult =
  | { kind: 'declared'; incident: IncidentRow; announcement: Announcement; pages: PageOutcome[]; notifyOnly: boolean; channelProblem?: Mrkdwn }
  | { kind: 'duplicate'; incident: IncidentRow };

/**
 * Declares an incident: stores it with its frozen policy, first pages and timers in one
 * transaction, then announces it (a failed announcement is retried by the escalation sweep,
 * unless Slack refused it for good) and gives the pages one delivery attempt, so the result says
 * what reached Slack.
 */
export async function declareIncident(deps: Deps, input: DeclareInput): Promise<DeclareResult> {
  const now = deps.clock.now();
  const policy = freezePolicy(deps.config, input.severity);
  const plan = planDeclare(policy, now);
  let plans: PagePlan[] = [];
  const declared = await deps.db.transaction(async (tx) => {
    const row = await insertIncident(tx, {
      dedupeKey: input.dedupeKey,
      severity: input.severity,
      summary: input.summary,
      system: input.system ?? 'other',
      declaredBy: input.declaredBy,
      source: input.source,
      sourceRef: input.sourceRef ?? null,
      level: plan.level,
      policy,
      declaredAt: now,
      responseDueAt: plan.responseDueAt,
      resolutionDueAt: plan.resolutionDueAt,
      channel: channelFor(deps.config, deps.config.incidents.channel),
      sourceLink: input.fromMessage?.permalink ?? null,
    });
    if (!row) return null;
    await recordEvent(tx, row, { kind: 'declared', userId: input.declaredBy, text: `${input.severity.toUpperCase()} declared: ${input.summary}` }, now);
    if (input.fromMessage) await recordEvent(tx, row, { kind: 'source', markup: sourceMarkup(input.fromMessage) }, now);
    if (plan.page.length) plans = await pageLevels(deps, tx, row, plan.page, mrkdwn`New incident.`, now, renderPage);
    else await recordEvent(tx, row, { kind: 'notified', text: `${policy.severityName} incidents notify the incidents channel only.` }, now);
    await scheduleTrack(tx, row, 'response', plan.responseStepAt);
    if (plan.resolutionStepAt) await scheduleTrack(tx, row, 'resolution', plan.resolutionStepAt);
    for (const hook of deps.declareHooks ?? []) await hook.inTransaction?.(tx, deps, row, now);
    await scheduleUpdateReminder(deps, tx, row, now);
    return row;
  });
  if (!declared) {
    const existing = await findByDedupeKey(deps.db, input.dedupeKey);
    deps.logger.info({ dedupeKey: input.dedupeKey, incident: existing?.id }, 'duplicate incident declaration ignored');
    return { kind: 'duplicate', incident: existing! };
  }
  deps.logger.info({ incident: declared.id, severity: input.severity, source: input.source }, 'incident declared');
  let announcement: Announcement;
  let channelProblem: Mrkdwn | undefined;
  try {
    announcement = announcementOf(declared.channel, await publishIncident(deps, declared.id));
  } catch (err) {
    const after = await getIncident(deps.db, declared.id);
    if (after?.messageTs) {
      // Announced; what failed is the dedicated incident channel made right after it.
      announcement = { state: 'posted', channel: after.channel };
      channelProblem = mrkdwn`I could not open the incident's own channel: ${slackAdvice(err)}`;
      if (isPermanentSlackError(err))
        await recordSlackFailure(deps, deps.db, {
          owner: 'incident-channel',
          refId: declared.id,
          channel: '',
          err,
          at: deps.clock.now(),
          log: { incident: declared.id },
        });
      else deps.logger.warn({ incident: declared.id, err: describeError(err) }, 'incident channel failed; the sweep will retry');
    } else {
      if (!isPermanentSlackError(err)) deps.logger.warn({ incident: declared.id, err: describeError(err) }, 'announcement failed; the sweep will retry');
      announcement = announcementOf(declared.channel, { err });
    }
  }
  const pages = await sendPages(deps, plans);
  // After the pages: what other features do with a new incident (src/incidents/hooks.ts).
  for (const hook of deps.declareHooks ?? []) {
    await hook
      .afterwards?.(deps, declared.id)
      .catch((err: unknown) => deps.logger.warn({ incident: declared.id, hook: hook.name, err: describeError(err) }, 'declaration follow-up failed'));
  }
  return { kind: 'declared', incident: declared, announcement, pages, notifyOnly: plan.page.length === 0, ...(channelProblem ? { channelProblem } : {}) };
}

/** The link back to the message an incident was declared from: the bot's own link to Slack's permalink, never the message's text. */
const sourceMarkup = (m: { channel: string; permalink: string | null }): Mrkdwn =>
  m.permalink
    ? mrkdwn`Declared from ${link(m.permalink, 'a message')} in ${channelLink(m.channel)}`
    : mrkdwn`Declared from a message in ${channelLink(m.channel)} (Slack gave no link to it)`;

/** `message` is rendered (blocks/format.ts): it may mention the people involved. `warnings`: what the change could not do in Slack. */
export type ActionResult =
  | { kind: 'done'; incident: IncidentRow; message: Mrkdwn; warnings?: Mrkdwn[] }
  | { kind: 'refused' | 'noop' | 'not_found'; message: Mrkdwn };

/** Re-renders the announcement; returns what the person should know when Slack refused. */
async function afterChange(deps: Deps, id: number, invite = false): Promise<Mrkdwn[]> {
  const row = await getIncident(deps.db, id);
  try {
    await refreshIncident(deps, id);
    if (invite) await inviteToIncidentChannel(deps, id);
    return row && !row.messageTs ? [mrkdwn`The announcement in ${channelLabel(row.channel)} has not been posted yet, so it does not show this.`] : [];
  } catch (err) {
    const log = isPermanentSlackError(err) ? deps.logger.error.bind(deps.logger) : deps.logger.warn.bind(deps.logger);
    log({ incident: id, err: describeError(err) }, 'could not refresh the incident announcement');
    return [mrkdwn`The change is saved, but the announcement does not show it: ${slackAdvice(err, row?.channel)}`];
  }
}

export const withWarnings = async (deps: Deps, r: ActionResult, invite = false): Promise<ActionResult> =>
  r.kind === 'done' ? { ...r, warnings: [...(r.warnings ?? []), ...(await afterChange(deps, r.incident.id, invite))] } : r;

/** Acknowledge: paging stops at once (the response track's timers are cancelled in the same transaction). */
export async function acknowledgeIncident(deps: Deps, input: { id: number; userId: string }): Promise<ActionResult> {
  const now = deps.clock.now();
  const result = await deps.db.transaction(async (tx): Promise<ActionResult> => {
    const row = await lockIncident(tx, input.id);
    if (!row) return { kind: 'not_found', message: mrkdwn`There is no incident #${input.id}.` };
    // Rights first: someone who may not act learns nothing more and changes nothing.
    const refusal = ackRefusal(deps.config, snapshot(row), input.userId, row.id);
    if (refusal) return { kind: 'refused', message: escapeMrkdwn(refusal) };
    if (row.state === 'resolved') return { kind: 'noop', message: mrkdwn`Incident #${row.id} is already resolved.` };
    if (row.state === 'acknowledged')
      return { kind: 'noop', message: mrkdwn`Incident #${row.id} was already acknowledged by ${mention(row.acknowledgedBy ?? '')}.` };
    const m = ackMetrics(snapshot(row), now);
    const updated = await updateIncident(tx, row.id, { state: 'acknowledged', acknowledgedAt: now, acknowledgedBy: input.userId, ...m });
    await cancelTimers(tx, TimerKinds.response, String(row.id), now);
    await withdrawPendingPages(tx, row.id, 'acknowledged', now);
    await recordEvent(
      tx,
      updated,
      { kind: 'acknowledged', userId: input.userId, text: `Acknowledged; paging stopped.${m.responseSlaMet ? '' : ' (response SLA breached)'}` },
      now,
    );
    return { kind: 'done', incident: updated, message: mrkdwn`You acknowledged incident #${row.id}; paging has stopped.` };
  });
  return withWarnings(deps, result);
}

/** Resolve: ends the incident and every pending step; times are stored for reporting. */
export async function resolveIncident(deps: Deps, input: { id: number; userId: string; note?: string }): Promise<ActionResult> {
  const now = deps.clock.now();
  const result = await deps.db.transaction(async (tx): Promise<ActionResult> => {
    const row = await lockIncident(tx, input.id);
    if (!row) return { kind: 'not_found', message: mrkdwn`There is no incident #${input.id}.` };
    const refusal = resolveRefusal(deps.config, input.userId, row.id);
    if (refusal) return { kind: 'refused', message: escapeMrkdwn(refusal) };
    if (row.state === 'resolved') return { kind: 'noop', message: mrkdwn`Incident #${row.id} is already resolved.` };
    const snap = snapshot(row);
    const ack = row.acknowledgedAt ? {} : { acknowledgedAt: now, acknowledgedBy: input.userId, ...ackMetrics(snap, now) };
    const updated = await updateIncident(tx, row.id, {
      state: 'resolved',
      resolvedAt: now,
      resolvedBy: input.userId,
      resolutionNote: input.note ?? null,
      ...ack,
      ...resolveMetrics(snap, now),
    });
    await cancelTimers(tx, TimerKinds.response, String(row.id), now);
    await cancelTimers(tx, TimerKinds.resolution, String(row.id), now);
    await withdrawPendingPages(tx, row.id, 'resolved', now);
    await recordEvent(tx, updated, { kind: 'resolved', userId: input.userId, text: input.note ? `Resolved: ${input.note}` : 'Resolved.' }, now);
    await scheduleReview(tx, updated, now);
    return { kind: 'done', incident: updated, message: mrkdwn`You resolved incident #${row.id}.` };
  });
  return withWarnings(deps, result);
}

/** Escalate now. `clickedLevel` is the level the button was rendered at: an older one does nothing. */
export async function escalateNow(deps: Deps, input: { id: number; userId: string; clickedLevel: number }): Promise<ActionResult> {
  const now = deps.clock.now();
  let plans: PagePlan[] = [];
  const result = await deps.db.transaction(async (tx): Promise<ActionResult> => {
    const row = await lockIncident(tx, input.id);
    if (!row) return { kind: 'not_found', message: mrkdwn`There is no incident #${input.id}.` };
    // Whatever level the button claims: the roles come from the incident's own frozen chain.
    const refusal = escalateRefusal(deps.config, snapshot(row), input.userId, row.id);
    if (refusal) return { kind: 'refused', message: escapeMrkdwn(refusal) };
    const d = decideEscalateNow(snapshot(row), input.clickedLevel, now);
    if (d.kind === 'stale') {
      // This very click, replayed after a crash (src/slack/intake.ts), finds its own escalation.
      if (row.level === input.clickedLevel + 1 && (await escalatedByHandTo(tx, row.id, row.level)) === input.userId) {
        return {
          kind: 'noop',
          message: mrkdwn`You escalated incident #${row.id} to ${escapeMrkdwn(policyOf(row).chain[row.level]?.name ?? 'the next level')}.`,
        };
      }
      return { kind: 'noop', message: mrkdwn`Incident #${row.id} has already been escalated since that message; nothing was changed.` };
    }
    if (d.kind === 'closed') return { kind: 'noop', message: mrkdwn`Incident #${row.id} is resolved.` };
    if (d.kind === 'top') return { kind: 'noop', message: mrkdwn`Incident #${row.id} is already at the top of the escalation chain.` };
    const policy = policyOf(row);
    const updated = await updateIncident(tx, row.id, { level: d.to });
    if (updated.state === 'open') {
      await cancelTimers(tx, TimerKinds.response, String(row.id), now);
      if (d.nextResponseStep) await scheduleTrack(tx, updated, 'response', d.nextResponseStep);
    }
    await recordEvent(tx, updated, { kind: 'escalated', userId: input.userId, level: d.to, text: `Escalated by hand to ${policy.chain[d.to]!.name}.` }, now);
    plans = await pageLevels(deps, tx, updated, [d.to], mrkdwn`Escalated by ${mention(input.userId)}.`, now, renderPage);
    return { kind: 'done', incident: updated, message: mrkdwn`Incident #${row.id} escalated to ${escapeMrkdwn(policy.chain[d.to]!.name)}.` };
  });
  if (result.kind !== 'done') return result;
  // What the escalation's pages achieved, not what was intended.
  const pages = describePages(await sendPages(deps, plans));
  return withWarnings(deps, { ...result, warnings: pages }, true);
}

/**
 * A checklist item signed Problem (or a failed probe) on a check config maps to a severity opens
 * an incident on the same engine, once per run and item. Returns null when the item maps to none.
 */
export async function declareFromChecklist(
  deps: Deps,
  input: {
    runId: number;
    itemId: string;
    itemTitle: string;
    checklistName: string;
    userId: string;
    note?: string | null;
    source?: 'checklist' | 'probe';
    severityOnProblem?: Severity;
    probe?: string;
    dedupeKey?: string;
  },
): Promise<DeclareResult | null> {
  // Config decides first; otherwise the checklist's own data (the guide's severity for that check).
  const severity = deps.config.incidents.onProblem[input.itemId] ?? input.severityOnProblem;
  if (!severity) return null;
  const system = (
    {
      payments: 'payments',
      forwarding: 'calls',
      health: 'infrastructure',
      alarms: 'infrastructure',
      errors: 'infrastructure',
      backups: 'infrastructure',
      agents: 'ai-agents',
    } as Record<string, SystemId>
  )[input.probe ?? ''];
  return declareIncident(deps, {
    severity,
    summary: capText(storableText(`${input.itemTitle}: ${input.note?.trim() || (input.source === 'probe' ? 'probe failed' : 'signed Problem')}`), 200),
    ...(system ? { system } : {}),
    declaredBy: input.userId,
    source: input.source ?? 'checklist',
    sourceRef: `${input.checklistName} (run ${input.runId}), item ${input.itemTitle}`,
    dedupeKey: input.dedupeKey ?? `checklist:${input.runId}:${input.itemId}`,
  });
}

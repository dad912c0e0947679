import { buildStatusUpdate } from '../../blocks/incident';
import { channelLink, escapeMrkdwn, mention, mrkdwn, type Mrkdwn } from '../../blocks/format';
import type { Deps } from '../deps';
import type { Tx } from '../db';
import { describeError } from '../errors';
import { enqueue } from '../outbox';
import { leadRefusal, noteRefusal, severityRefusal, updateRefusal } from '../rights';
import { channelLabel, slackAdvice } from '../slack/errors';
import { cancelTimers } from '../timers';
import { SEVERITIES, type Severity } from '../config/incidents';
import { withWarnings, type ActionResult } from './flows';
import { describePages, sendPages } from './outcome';
import { freezePolicy, pagedLevels } from './policy';
import { ensureIncidentChannel } from './publish';
import { lockIncident, policyOf, snapshot, TimerKinds, updateIncident, withdrawPendingPages, type IncidentRow } from './store';
import { pageLevels, recordEvent, scheduleTrack, type PagePlan } from './steps';
import { renderPage } from './render-page';
import { scheduleUpdateReminder } from './update-reminder';
import { timelineChanged } from './timeline';

/**
 * The incident's life after it is declared: its lead, its severity, its status updates. Each is
 * one transaction that checks the right first, stores the change and its timeline entry, and
 * queues what Slack must show; the reply then says what Slack actually took.
 */

const missing = (id: number): ActionResult => ({ kind: 'not_found', message: mrkdwn`There is no incident #${id}.` });
const plus = (d: Date, ms: number) => new Date(d.getTime() + ms);
const iso = (d: Date) => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** `/incident lead <id> [@user]`, the I'll lead button: stored, on the timeline, on the announcement. */
export async function setLead(deps: Deps, input: { id: number; userId: string; lead: string }): Promise<ActionResult> {
  const now = deps.clock.now();
  const result = await deps.db.transaction(async (tx): Promise<ActionResult> => {
    const row = await lockIncident(tx, input.id);
    if (!row) return missing(input.id);
    const refusal = leadRefusal(deps.config, input.userId, row.id);
    if (refusal) return { kind: 'refused', message: escapeMrkdwn(refusal) };
    if (row.state === 'resolved') return { kind: 'noop', message: mrkdwn`Incident #${row.id} is already resolved.` };
    if (row.lead === input.lead) return { kind: 'noop', message: mrkdwn`${mention(input.lead)} already leads incident #${row.id}.` };
    const updated = await updateIncident(tx, row.id, { lead: input.lead });
    const self = input.lead === input.userId;
    const markup = self
      ? mrkdwn`${mention(input.lead)} took the lead.`
      : mrkdwn`${mention(input.lead)} leads the incident (assigned by ${mention(input.userId)}).`;
    await recordEvent(tx, updated, { kind: 'lead', userId: input.userId, markup }, now);
    return {
      kind: 'done',
      incident: updated,
      message: self ? mrkdwn`You lead incident #${row.id}.` : mrkdwn`${mention(input.lead)} now leads incident #${row.id}.`,
    };
  });
  if (result.kind !== 'done') return result;
  const warnings: Mrkdwn[] = [];
  const channel = result.incident.incidentChannel;
  if (channel) {
    await deps.slack.conversations.invite({ channel, users: input.lead }).catch((err: unknown) => {
      if ((err as { data?: { error?: string } }).data?.error === 'already_in_channel') return;
      deps.logger.warn({ incident: input.id, err: describeError(err) }, 'could not invite the lead to the incident channel');
      warnings.push(mrkdwn`I could not invite them to ${channelLink(channel)}: ${slackAdvice(err, channel)}`);
    });
  }
  return withWarnings(deps, { ...result, warnings });
}

/**
 * `/incident severity <id> <p0..p3>`: the policy is frozen again for the new severity and the
 * SLAs re-derived from the declaration time. Raising pages the new severity's first levels not
 * paged yet and opens the channel its severity gets; lowering returns to the new start level
 * (nothing climbs above it until its own clock says so) and withdraws unsent pages when the new
 * severity pages nobody.
 */
export async function changeSeverity(deps: Deps, input: { id: number; userId: string; severity: Severity }): Promise<ActionResult> {
  const now = deps.clock.now();
  let plans: PagePlan[] = [];
  const result = await deps.db.transaction(async (tx): Promise<ActionResult> => {
    const row = await lockIncident(tx, input.id);
    if (!row) return missing(input.id);
    // The rights of the policy it has now: a lower severity's chain cannot be used to climb.
    const refusal = severityRefusal(deps.config, snapshot(row), input.userId, row.id);
    if (refusal) return { kind: 'refused', message: escapeMrkdwn(refusal) };
    if (row.state === 'resolved') return { kind: 'noop', message: mrkdwn`Incident #${row.id} is already resolved.` };
    if (row.severity === input.severity)
      return { kind: 'noop', message: mrkdwn`Incident #${row.id} is already ${escapeMrkdwn(input.severity.toUpperCase())}.` };
    const changed = await applySeverity(deps, tx, row, input, now);
    plans = changed.plans;
    return changed.result;
  });
  if (result.kind !== 'done') return result;
  const warnings = describePages(await sendPages(deps, plans));
  try {
    await ensureIncidentChannel(deps, input.id);
  } catch (err) {
    deps.logger.warn({ incident: input.id, err: describeError(err) }, 'could not open the incident channel after a severity change');
    warnings.push(mrkdwn`I could not open the incident's own channel: ${slackAdvice(err)}`);
  }
  // After the pages and the channel (the DR procedure goes there); a failure is left to the hook's timer.
  for (const hook of deps.severityHooks ?? []) {
    await hook
      .afterwards?.(deps, input.id)
      .catch((err: unknown) => deps.logger.warn({ incident: input.id, hook: hook.name, err: describeError(err) }, 'severity change follow-up failed'));
  }
  return withWarnings(deps, { ...result, warnings }, true);
}

/** `/incident update <id> <text>`: on the timeline, on the announcement, and posted in the incident channel. */
export async function postStatusUpdate(deps: Deps, input: { id: number; userId: string; text: string }): Promise<ActionResult> {
  const now = deps.clock.now();
  let outboxId: number | null = null;
  const result = await deps.db.transaction(async (tx): Promise<ActionResult> => {
    const row = await lockIncident(tx, input.id);
    if (!row) return missing(input.id);
    const refusal = updateRefusal(deps.config, input.userId, row.lead, row.id);
    if (refusal) return { kind: 'refused', message: escapeMrkdwn(refusal) };
    if (row.state === 'resolved')
      return { kind: 'noop', message: mrkdwn`Incident #${row.id} is resolved; add a note instead (\`/incident note ${row.id} …\`).` };
    const updated = await updateIncident(tx, row.id, { lastUpdate: input.text, lastUpdateAt: now, lastUpdateBy: input.userId });
    await recordEvent(tx, updated, { kind: 'update', userId: input.userId, text: input.text }, now);
    if (row.incidentChannel) {
      const head = { id: row.id, severity: row.severity, severityName: policyOf(row).severityName, summary: row.summary };
      outboxId = await enqueue(tx, { channel: row.incidentChannel, ref: `incident:${row.id}`, ...buildStatusUpdate(head, input.userId, input.text) }, now);
    }
    return { kind: 'done', incident: updated, message: mrkdwn`Status update saved on incident #${row.id}.` };
  });
  if (result.kind !== 'done') return result;
  const channel = result.incident.incidentChannel;
  const warnings: Mrkdwn[] = [];
  if (channel && outboxId !== null) {
    const [sent] = await sendPages(deps, [{ name: 'the incident channel', role: '', sends: [{ who: channelLink(channel), outboxId }] }]);
    if (sent?.delivered.length) warnings.push(mrkdwn`Posted in ${channelLink(channel)}.`);
    else if (sent?.failed.length) warnings.push(mrkdwn`It could not be posted in ${channelLink(channel)}: ${sent.failed[0]!.reason}`);
    else warnings.push(mrkdwn`Its post in ${channelLink(channel)} is queued: Slack has not taken it yet, I keep trying.`);
  } else {
    warnings.push(mrkdwn`It has no channel of its own, so it is shown on the announcement in ${channelLabel(result.incident.channel)} only.`);
  }
  return withWarnings(deps, { ...result, warnings });
}

/** A note on the timeline. */
export async function addIncidentNote(deps: Deps, input: { id: number; userId: string; text: string }): Promise<ActionResult> {
  const now = deps.clock.now();
  const result = await deps.db.transaction(async (tx): Promise<ActionResult> => {
    const row = await lockIncident(tx, input.id);
    if (!row) return { kind: 'not_found', message: mrkdwn`There is no incident #${input.id}.` };
    const refusal = noteRefusal(deps.config, input.userId, row.id);
    if (refusal) return { kind: 'refused', message: escapeMrkdwn(refusal) };
    await recordEvent(tx, row, { kind: 'note', userId: input.userId, text: input.text }, now);
    // Stored now; the thread copy goes through the outbox, so say which is which.
    const where = row.messageTs
      ? mrkdwn`; it is queued for the announcement's thread in ${channelLabel(row.channel)}`
      : mrkdwn`; the announcement is not posted yet, so it is in no thread`;
    return { kind: 'done', incident: row, message: mrkdwn`Note saved on incident #${row.id}'s timeline (\`/incident show ${row.id}\`)${where}.` };
  });
  if (result.kind === 'done') timelineChanged(deps, result.incident.id);
  return result;
}

/** The severity change inside its transaction: the new policy and SLAs, the timers, the timeline, the pages to send. */
async function applySeverity(
  deps: Deps,
  tx: Tx,
  row: IncidentRow,
  input: { userId: string; severity: Severity },
  now: Date,
): Promise<{ result: ActionResult; plans: PagePlan[] }> {
  let plans: PagePlan[] = [];
  const old = policyOf(row);
  const policy = freezePolicy(deps.config, input.severity);
  const raising = SEVERITIES.indexOf(input.severity) < SEVERITIES.indexOf(row.severity);
  const level = raising ? Math.max(row.level, policy.start) : policy.start;
  const responseDueAt = plus(row.declaredAt, policy.responseMs);
  const resolutionDueAt = policy.resolutionMs === null ? null : plus(row.declaredAt, policy.resolutionMs);
  const updated = await updateIncident(tx, row.id, {
    severity: input.severity,
    policy,
    level,
    responseDueAt,
    resolutionDueAt,
    ...(row.acknowledgedAt ? { responseSlaMet: row.acknowledgedAt <= responseDueAt } : {}),
  });
  await cancelTimers(tx, TimerKinds.response, String(row.id), now);
  await cancelTimers(tx, TimerKinds.resolution, String(row.id), now);
  if (updated.state === 'open') {
    const next = policy.escalate ? plus(now, policy.stepMs) : responseDueAt > now ? responseDueAt : null;
    if (next) await scheduleTrack(tx, updated, 'response', next);
  }
  if (resolutionDueAt) await scheduleTrack(tx, updated, 'resolution', resolutionDueAt > now ? resolutionDueAt : now);
  if (!policy.escalate) await withdrawPendingPages(tx, row.id, `severity lowered to ${input.severity}`, now);
  await scheduleUpdateReminder(deps, tx, updated, now);
  const from = row.severity.toUpperCase();
  const to = input.severity.toUpperCase();
  const due = `response by ${iso(responseDueAt)}, resolution ${resolutionDueAt ? `by ${iso(resolutionDueAt)}` : 'next release'}`;
  await recordEvent(
    tx,
    updated,
    {
      kind: 'severity',
      userId: input.userId,
      text: `Severity ${from} → ${to}; SLAs from the declaration time: ${due}. The escalation policy is now ${policy.severityName}'s.`,
    },
    now,
  );
  if (raising && policy.escalate) {
    const paged = old.escalate ? new Set(pagedLevels(old, row.level)) : new Set<number>();
    const toPage = [policy.start, ...policy.alsoPage].filter((i) => !paged.has(i)).sort((a, b) => a - b);
    plans = await pageLevels(deps, tx, updated, toPage, mrkdwn`Severity raised to ${escapeMrkdwn(to)} by ${mention(input.userId)}.`, now, renderPage);
  }
  for (const hook of deps.severityHooks ?? []) await hook.inTransaction?.(tx, deps, updated, now);
  return {
    plans,
    result: {
      kind: 'done',
      incident: updated,
      message: mrkdwn`Incident #${row.id} is now ${escapeMrkdwn(to)} (was ${escapeMrkdwn(from)}); SLAs re-derived from its declaration.`,
    },
  };
}

import type { Policy } from './policy';

/**
 * The incident state machine: pure decisions on a snapshot of the incident and the time. The
 * store applies them in one transaction; nothing here talks to Slack or the database.
 */
export type IncidentStateName = 'open' | 'acknowledged' | 'resolved';

export interface IncidentSnapshot {
  state: IncidentStateName;
  level: number;
  policy: Policy;
  declaredAt: Date;
  responseDueAt: Date;
  resolutionDueAt: Date | null;
  acknowledgedAt: Date | null;
  resolvedAt: Date | null;
}

export interface DeclarePlan {
  level: number;
  /** Levels paged at once, lowest first. */
  page: number[];
  responseDueAt: Date;
  resolutionDueAt: Date | null;
  /** First step of the response track (escalation, or a breach notice for notify-only). */
  responseStepAt: Date;
  resolutionStepAt: Date | null;
}

const plus = (d: Date, ms: number) => new Date(d.getTime() + ms);

export function planDeclare(policy: Policy, now: Date): DeclarePlan {
  const responseDueAt = plus(now, policy.responseMs);
  const resolutionDueAt = policy.resolutionMs === null ? null : plus(now, policy.resolutionMs);
  return {
    level: policy.start,
    page: policy.escalate ? [policy.start, ...policy.alsoPage].sort((a, b) => a - b) : [],
    responseDueAt,
    resolutionDueAt,
    responseStepAt: policy.escalate ? plus(now, policy.stepMs) : responseDueAt,
    resolutionStepAt: resolutionDueAt,
  };
}

export type StepDecision =
  | { kind: 'none'; why: string }
  /** The deadline passed but there is nobody higher (or the severity only notifies). */
  | { kind: 'notice'; text: string; next: Date | null }
  | { kind: 'escalate'; to: number; text: string; next: Date | null };

const topLevel = (p: Policy) => p.chain.length - 1;

/** Next due time of a repeating step: on the beat, unless a long outage made it overdue already. */
function nextBeat(dueAt: Date, every: number, now: Date): Date {
  const next = plus(dueAt, every);
  return next > now ? next : plus(now, every);
}

/** A response-track step fired: climb one level while unacknowledged. */
export function decideResponseStep(inc: IncidentSnapshot, dueAt: Date, now: Date): StepDecision {
  if (inc.state !== 'open') return { kind: 'none', why: `incident is ${inc.state}` };
  const p = inc.policy;
  if (!p.escalate) return { kind: 'notice', text: 'Response SLA breached: nobody has acknowledged yet.', next: null };
  if (inc.level >= topLevel(p)) return { kind: 'notice', text: `Still unacknowledged at the top of the chain (${p.chain[inc.level]?.name}).`, next: null };
  const to = inc.level + 1;
  return {
    kind: 'escalate',
    to,
    text: `Not acknowledged in time: escalated to ${p.chain[to]!.name}.`,
    next: to < topLevel(p) ? nextBeat(dueAt, p.stepMs, now) : null,
  };
}

/** A resolution-track step fired: past the resolution SLA, escalate again. */
export function decideResolutionStep(inc: IncidentSnapshot, dueAt: Date, now: Date): StepDecision {
  if (inc.state === 'resolved') return { kind: 'none', why: 'incident is resolved' };
  const p = inc.policy;
  if (!p.escalate || inc.level >= topLevel(p)) return { kind: 'notice', text: 'Resolution SLA breached: the incident is still open.', next: null };
  const to = inc.level + 1;
  return {
    kind: 'escalate',
    to,
    text: `Not resolved in time: escalated to ${p.chain[to]!.name}.`,
    next: to < topLevel(p) ? nextBeat(dueAt, p.stepMs, now) : null,
  };
}

export type EscalateNowDecision = { kind: 'stale' } | { kind: 'closed' } | { kind: 'top' } | { kind: 'escalate'; to: number; nextResponseStep: Date | null };

/** Escalate now: a click rendered at an older level than the current one does nothing (GoAlert). */
export function decideEscalateNow(inc: IncidentSnapshot, clickedLevel: number, now: Date): EscalateNowDecision {
  if (inc.state === 'resolved') return { kind: 'closed' };
  if (clickedLevel !== inc.level) return { kind: 'stale' };
  const p = inc.policy;
  if (inc.level >= topLevel(p)) return { kind: 'top' };
  const to = inc.level + 1;
  return { kind: 'escalate', to, nextResponseStep: inc.state === 'open' && p.escalate && to < topLevel(p) ? plus(now, p.stepMs) : null };
}

export interface AckMetrics {
  timeToAckMs: number;
  responseSlaMet: boolean;
}

export function ackMetrics(inc: IncidentSnapshot, now: Date): AckMetrics {
  return { timeToAckMs: now.getTime() - inc.declaredAt.getTime(), responseSlaMet: now <= inc.responseDueAt };
}

export function resolveMetrics(inc: IncidentSnapshot, now: Date) {
  return {
    timeToResolveMs: now.getTime() - inc.declaredAt.getTime(),
    resolutionSlaMet: inc.resolutionDueAt === null ? true : now <= inc.resolutionDueAt,
  };
}

export type SlaState = { state: 'met'; at: Date } | { state: 'breached'; by: number; done: boolean } | { state: 'running'; left: number } | { state: 'none' };

/** Where each SLA stands at `now`, for the announcement and `/incident list`. */
export function slaClock(inc: IncidentSnapshot, now: Date): { response: SlaState; resolution: SlaState } {
  const clock = (due: Date | null, doneAt: Date | null): SlaState => {
    if (!due) return { state: 'none' };
    if (doneAt) return doneAt <= due ? { state: 'met', at: doneAt } : { state: 'breached', by: doneAt.getTime() - due.getTime(), done: true };
    return now < due ? { state: 'running', left: due.getTime() - now.getTime() } : { state: 'breached', by: now.getTime() - due.getTime(), done: false };
  };
  return { response: clock(inc.responseDueAt, inc.acknowledgedAt ?? inc.resolvedAt), resolution: clock(inc.resolutionDueAt, inc.resolvedAt) };
}

/** Slack allows 80; 40 stays readable in the sidebar and the channel header. */
export const CHANNEL_NAME_MAX = 40;

/**
 * `inc-42-payments-are-down`: the incident's number, then the summary's words while they fit in
 * 40 characters, cut between words (a single word longer than the room is cut where it must).
 * Lowercase, Slack's allowed characters. The number makes the name the incident's own, so a
 * repeat attempt can recognise the channel an earlier one made.
 */
export function incidentChannelName(id: number, summary: string, suffix = ''): string {
  const words = summary
    .toLowerCase()
    .normalize('NFKD')
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  const head = `inc-${id}-`;
  const room = CHANNEL_NAME_MAX - head.length - suffix.length;
  let slug = '';
  for (const w of words) {
    const next = slug ? `${slug}-${w}` : w;
    if (next.length > room) break;
    slug = next;
  }
  if (!slug && words.length) slug = words[0]!.slice(0, Math.max(0, room));
  return `${head}${slug || 'incident'}${suffix}`;
}

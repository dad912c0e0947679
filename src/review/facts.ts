// The facts of a post-incident review, gathered from what the database already holds: the
// incident and its frozen policy, its timeline, and the checklists and probes of its window.
// The plain draft and the LLM's narrative are both written from this object alone. Fields marked
// "untrusted" hold text typed by people in Slack: data, never instructions, escaped when rendered.
import type { IncidentEventRow, IncidentRow } from '../incidents/store';
import type { Policy } from '../incidents/policy';
import { formatInZone } from '../runs/view';
import type { WindowProbe, WindowRun } from './store';

export interface ReviewTimelineEntry {
  /** HH:MM in the business time zone. */
  time: string;
  at: string;
  kind: string;
  /** Untrusted; for the bot's own markup kinds (paged, channel, lead) its stored mrkdwn. */
  text: string;
  userId: string | null;
}

export interface ReviewFacts {
  incident: {
    id: number;
    severity: string;
    severityName: string;
    system: string;
    /** Untrusted. */
    summary: string;
    declared: string;
    resolved: string;
    timeZone: string;
    /** Untrusted. */
    resolutionNote: string | null;
  };
  /** Minutes, whole; `met` null when the policy has no such SLA. */
  acknowledge: { minutes: number | null; slaMinutes: number; met: boolean | null };
  resolve: { minutes: number | null; slaMinutes: number | null; met: boolean | null };
  escalations: { time: string; level: string; how: 'automatic' | 'by hand' }[];
  slaBreaches: number;
  timeline: ReviewTimelineEntry[];
  /** Timeline entries left out (the oldest are kept, then the newest). */
  timelineOmitted: number;
  checklists: { name: string; state: string; items: number; done: number; problems: number }[];
  probes: { time: string; probe: string; status: string; summary: string }[];
  probeFailures: number;
}

/** Timeline entries kept: the first 10 and the last 20. */
const HEAD = 10;
const TAIL = 20;

const minutes = (ms: number | null) => (ms === null ? null : Math.round(ms / 60_000));

export function gatherReviewFacts(
  inc: IncidentRow,
  data: { events: IncidentEventRow[]; runs: WindowRun[]; probes: WindowProbe[] },
  timeZone: string,
): ReviewFacts {
  const policy = inc.policy as Policy;
  const time = (at: Date) => formatInZone(at, timeZone, { hour: '2-digit', minute: '2-digit', hour12: false });
  const day = (at: Date) => `${formatInZone(at, timeZone, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' })} ${time(at)}`;
  const resolvedAt = inc.resolvedAt ?? inc.declaredAt;
  const entries = data.events.map((e) => ({ time: time(e.at), at: e.at.toISOString(), kind: e.kind, text: e.text, userId: e.userId }));
  const kept = entries.length > HEAD + TAIL ? [...entries.slice(0, HEAD), ...entries.slice(-TAIL)] : entries;
  return {
    incident: {
      id: inc.id,
      severity: inc.severity.toUpperCase(),
      severityName: policy.severityName,
      system: inc.system,
      summary: inc.summary,
      declared: day(inc.declaredAt),
      resolved: day(resolvedAt),
      timeZone,
      resolutionNote: inc.resolutionNote,
    },
    acknowledge: { minutes: minutes(inc.timeToAckMs), slaMinutes: Math.round(policy.responseMs / 60_000), met: inc.responseSlaMet },
    resolve: {
      minutes: minutes(inc.timeToResolveMs),
      slaMinutes: policy.resolutionMs === null ? null : Math.round(policy.resolutionMs / 60_000),
      met: policy.resolutionMs === null ? null : inc.resolutionSlaMet,
    },
    escalations: data.events
      .filter((e) => e.kind === 'escalated')
      .map((e) => ({
        time: time(e.at),
        level: policy.chain[e.level ?? -1]?.name ?? 'the next level',
        how: e.userId ? ('by hand' as const) : ('automatic' as const),
      })),
    slaBreaches: [inc.responseSlaMet, policy.resolutionMs === null ? null : inc.resolutionSlaMet].filter((m) => m === false).length,
    timeline: kept,
    timelineOmitted: entries.length - kept.length,
    checklists: data.runs.map((r) => ({ name: r.name, state: r.state, items: r.items, done: r.done, problems: r.problems })),
    probes: data.probes.map((p) => ({ time: time(p.checkedAt), probe: p.probe, status: p.status, summary: p.summary.slice(0, 200) })),
    probeFailures: data.probes.filter((p) => p.status === 'fail').length,
  };
}

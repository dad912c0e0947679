import type { ProbeOutcome, ProbeStatus } from './types';

const MAX_SUMMARY = 199;

/**
 * One line, plain text, < 200 chars. Characters Slack mrkdwn treats as markup or entities
 * (< > & * ` ~) become spaces; in-word underscores (STRIPE_SECRET_KEY) are harmless and kept.
 */
export function cleanSummary(text: string): string {
  const oneLine = text
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/[<>&*~`]/g, ' ')
    .replace(/\s{2,}/g, ' ')
    .trim();
  return oneLine.length > MAX_SUMMARY ? `${oneLine.slice(0, MAX_SUMMARY - 1)}…` : oneLine;
}

export function outcome(status: ProbeStatus, summary: string, evidence: Record<string, unknown> = {}): ProbeOutcome {
  return { status, summary: cleanSummary(summary), evidence };
}

export function skipped(vars: readonly string[]): ProbeOutcome {
  return outcome('skipped', `not configured: set ${vars.join(', ')}`, { missing: [...vars] });
}

/** Worst-first ordering used when a probe combines several findings. */
const RANK: Record<ProbeStatus, number> = { skipped: 0, ok: 1, unknown: 2, warn: 3, fail: 4 };

export function worst(statuses: readonly ProbeStatus[]): ProbeStatus {
  return statuses.reduce<ProbeStatus>((acc, s) => (RANK[s] > RANK[acc] ? s : acc), 'ok');
}

export function pct(ratio: number): string {
  return `${(ratio * 100).toFixed(1)}%`;
}

/** Keep evidence lists bounded so a storm of alarms can't blow up a Slack message. */
export function cap<T>(items: readonly T[], max: number): { items: T[]; truncated: number } {
  return { items: items.slice(0, max), truncated: Math.max(0, items.length - max) };
}

// The grounding checks of a review narrative, the weekly summary's rules applied to one
// incident: every number must be a number of the facts (validate.ts), every name (a capitalised
// word inside a sentence) must be written somewhere in the facts, no Slack ids, no link the facts
// lack, and no zero/all claim the facts contradict (claims.ts).
import { claimsIn, clauses } from '../summary/claims';
import { linksIn, numbersIn, ungroundedNumbers } from '../summary/validate';
import type { ReviewFacts } from './facts';

export type NarrativeCheck =
  | { ok: true }
  | { ok: false; reason: 'ungrounded_number' | 'ungrounded_name' | 'contradicts_facts' | 'unknown_link'; detail: string };

/**
 * Untrusted text (the incident's summary and resolution note, timeline entries) and raw
 * timestamps give no numbers: a number only a Slack user typed is not a fact. Probe summaries are
 * the probes' own words and count.
 */
const NO_NUMBERS = new Set(['incident.summary', 'incident.resolutionNote', 'timeline.text', 'timeline.at', 'timeline.userId']);

export function reviewFactNumbers(facts: ReviewFacts): number[] {
  const out: number[] = [];
  const walk = (v: unknown, path: string): void => {
    if (typeof v === 'number' && Number.isFinite(v)) out.push(v);
    else if (typeof v === 'string') {
      if (!NO_NUMBERS.has(path)) for (const n of numbersIn(v)) out.push(n.value);
    } else if (Array.isArray(v)) v.forEach((x) => walk(x, path));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, path ? `${path}.${k}` : k);
  };
  walk(facts, '');
  // "P1" is a label, but "priority 1" says its number.
  const sev = /^P(\d)$/.exec(facts.incident.severity);
  if (sev) out.push(Number(sev[1]));
  return out;
}

/** Words any narrative may capitalise without the facts containing them. */
const COMMON = new Set(['i', 'sla', 'slas', 'ok', 'utc']);
const SLACK_ID = /\b[UWBSCG][A-Z0-9]{6,}\b/;

/** Capitalised words that do not start a sentence and that the facts never write. */
export function ungroundedNames(text: string, facts: ReviewFacts): string[] {
  const factWords = new Set(
    JSON.stringify(facts)
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u),
  );
  const bad: string[] = [];
  for (const sentence of text.split(/(?<=[.!?:;])\s+|\n+/)) {
    const words = sentence.split(/\s+/).filter(Boolean);
    words.forEach((raw, i) => {
      const w = raw.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
      if (i === 0 || !/^\p{Lu}/u.test(w)) return;
      for (const part of w.split(/[^\p{L}\p{N}]+/u)) if (part && !COMMON.has(part.toLowerCase()) && !factWords.has(part.toLowerCase())) bad.push(part);
    });
  }
  return [...new Set(bad)];
}

/** How many of each topic the facts hold, for the zero/all claims a clause can make; null: cannot tell. */
function topicCounts(facts: ReviewFacts): Record<string, number | null> {
  const sev = (s: string) => (facts.incident.severity.toLowerCase() === s ? 1 : 0);
  const missed = facts.checklists.filter((c) => c.state === 'missed').length;
  return {
    incidents: 1,
    p0: sev('p0'),
    p1: sev('p1'),
    p2: sev('p2'),
    p3: sev('p3'),
    sla: facts.slaBreaches,
    missed,
    unfinished: missed + facts.checklists.filter((c) => c.state === 'open').length,
    probeFailures: facts.probeFailures,
    escalations: facts.escalations.length,
    problems: facts.checklists.reduce((n, c) => n + c.problems, 0),
    unresolved: 0,
    late: null,
    issues: null,
    targets: null,
  };
}

export function checkNarrative(text: string, facts: ReviewFacts): NarrativeCheck {
  const bad = ungroundedNumbers(text, reviewFactNumbers(facts));
  if (bad.length)
    return {
      ok: false,
      reason: 'ungrounded_number',
      detail: bad
        .map((b) => b.text)
        .slice(0, 5)
        .join(', '),
    };
  const id = SLACK_ID.exec(text);
  const names = ungroundedNames(text, facts);
  if (id || names.length) return { ok: false, reason: 'ungrounded_name', detail: (id ? [id[0]] : names).slice(0, 5).join(', ') };
  const counts = topicCounts(facts);
  const claims: string[] = [];
  for (const clause of clauses(text))
    for (const topic of claimsIn(clause)) {
      const have = counts[topic];
      if (have === null || have === undefined || have > 0) claims.push(`"${clause.slice(0, 80)}" (${topic}: ${have ?? 'the facts cannot confirm it'})`);
    }
  if (claims.length) return { ok: false, reason: 'contradicts_facts', detail: claims.slice(0, 3).join('; ') };
  const factText = JSON.stringify(facts).toLowerCase();
  const links = linksIn(text).filter((l) => !factText.includes(l));
  if (links.length) return { ok: false, reason: 'unknown_link', detail: links.slice(0, 3).join(', ') };
  return { ok: true };
}

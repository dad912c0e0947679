// Claims in words: "there were no incidents", "all SLAs were met", "operations were flawless".
// The number check (validate.ts) cannot see them, so an LLM that was talked into lying (an
// incident summary saying "report zero incidents") would pass with no digit in its prose. Each
// clause is matched against a small vocabulary of topics and quantifiers and the claim it makes
// is checked against the facts; anything it contradicts, or that the facts cannot confirm (the
// incidents table unavailable), sends the summary to the plain fallback.
import type { WeekFacts } from './types';

/** What a claim is about, and how many of it the facts hold (null: the facts cannot tell). */
type Topic =
  | 'incidents'
  | 'p0'
  | 'p1'
  | 'p2'
  | 'p3'
  | 'sla'
  | 'missed'
  | 'late'
  | 'probeFailures'
  | 'escalations'
  | 'problems'
  | 'issues'
  | 'unresolved'
  | 'unfinished'
  | 'targets';

const WORD_TOPICS: [RegExp, Topic][] = [
  [/^(p0s?|sev0s?|critical)$/, 'p0'],
  [/^(p1s?|sev1s?)$/, 'p1'],
  [/^(p2s?|sev2s?)$/, 'p2'],
  [/^(p3s?|sev3s?)$/, 'p3'],
  [/^(incidents?|outages?|emergenc(y|ies)|downtime)$/, 'incidents'],
  [/^(slas?|breach(es|ed)?|deadlines?)$/, 'sla'],
  [/^missed$/, 'missed'],
  [/^(late|delayed|overdue)$/, 'late'],
  [/^(fail(ed|ing|ures?|s)?|alerts?)$/, 'probeFailures'],
  [/^escalat(ed|ion|ions|e|es|ing)$/, 'escalations'],
  [/^problems?$/, 'problems'],
  [/^(issues?|hiccups?|disruptions?)$/, 'issues'],
  [/^(unresolved|open)$/, 'unresolved'],
];

/** More specific topics win when a window names several ("no missed checklists": missed). */
const PRIORITY: Topic[] = [
  'targets',
  'p0',
  'p1',
  'p2',
  'p3',
  'sla',
  'missed',
  'late',
  'probeFailures',
  'escalations',
  'unresolved',
  'problems',
  'incidents',
  'issues',
];

function topicOf(word: string): Topic | undefined {
  return WORD_TOPICS.find(([re]) => re.test(word))?.[1];
}

function counts(facts: WeekFacts): Record<Topic, number | null> {
  const inc = facts.incidents.source === 'database' ? facts.incidents : null;
  const sev = (s: string) => inc?.bySeverity.find((b) => b.severity === s)?.count ?? (inc ? 0 : null);
  const breaches = inc ? inc.bySeverity.reduce((n, b) => n + b.slaBreaches, 0) : null;
  const unresolved = inc ? inc.incidents.filter((i) => !i.resolved).length + (inc.omitted > 0 ? Number.NaN : 0) : null;
  const failures = facts.probes.failures;
  return {
    incidents: inc ? inc.total : null,
    p0: sev('p0'),
    p1: sev('p1'),
    p2: sev('p2'),
    p3: sev('p3'),
    sla: breaches,
    missed: facts.checklists.totals.missed,
    // "All checklists completed" must also be false while a posted one is still open (not missed).
    unfinished: facts.checklists.totals.missed + facts.checklists.totals.open,
    late: facts.checklists.totals.late,
    probeFailures: failures,
    escalations: inc ? inc.escalations : null,
    problems: facts.problems.count,
    issues: inc ? inc.total + facts.problems.count + failures + facts.checklists.totals.missed : null,
    // NaN (some incidents omitted from the list): cannot confirm "all resolved".
    unresolved: unresolved === null || Number.isNaN(unresolved) ? null : unresolved,
    // "All targets met": every success metric measured and on target (src/scorecard).
    targets: facts.scorecard ? facts.scorecard.missed + facts.scorecard.noData : null,
  };
}

/** "No more than", "no later than"… compare, they do not say none. */
const NOT_A_ZERO = /^(more|less|fewer|longer|later|earlier|sooner|worse|better|doubt|change)$/;
const ZERO_WORDS = new Set(['no', 'zero', 'never', 'nothing', 'without', 'nobody', 'none', 'neither']);
/** Claims of a spotless week: every count must be zero. */
const SPOTLESS =
  /\b(flawless(ly)?|perfect(ly)?|spotless|impeccabl[ey]|uneventful|without (a|any) (hitch|hiccup|issue|problem)s?|nothing went wrong|no (issues|problems) (at all|whatsoever)|all systems (were )?(green|healthy|normal|operational|go)|clean (week|sheet|record)|smooth(ly)? (week|sailing|operations?)|ran smoothly|zero[- ]defect)\b/;
/** "All/every … <topic> … <predicate>": the predicate says which count must be zero. */
const ALL_CLAIMS: [RegExp, Topic[]][] = [
  [/\b(all|every|each)\b(\s+\S+){0,4}?\s+(slas?|deadlines?|response times?)\b.*\b(met|kept|achieved|hit|respected|honou?red|satisfied|within)\b/, ['sla']],
  [/\b(met|kept|hit|achieved|within)\s+(all|every|each)\b(\s+\S+){0,3}?\s+(slas?|deadlines?)\b/, ['sla']],
  [/\b(all|every|each)\b(\s+\S+){0,4}?\s+(targets?|metrics?|kpis?|goals?)\b.*\b(met|achieved|hit|reached|on target|green)\b/, ['targets']],
  [/\b(met|hit|achieved|reached)\s+(all|every|each)\b(\s+\S+){0,3}?\s+(targets?|metrics?|kpis?|goals?)\b/, ['targets']],
  [/\b(all|every|each)\b(\s+\S+){0,4}?\s+checklists?\b.*\bon time\b/, ['unfinished', 'late']],
  [/\b(all|every|each)\b(\s+\S+){0,4}?\s+checklists?\b.*\b(completed|complete|done|finished|signed off)\b/, ['unfinished']],
  [/\b(all|every|each)\b(\s+\S+){0,4}?\s+checklists?\b.*\bposted\b/, ['missed']],
  [
    /\b(all|every|each)\b(\s+\S+){0,4}?\s+(probes?|checks?|health ?checks?|monitors?|systems?|services?)\b.*\b(pass(ed|ing)?|green|healthy|ok|up|operational|succeeded|clean)\b/,
    ['probeFailures'],
  ],
  [/\b(all|every|each)\b(\s+\S+){0,4}?\s+(incidents?|outages?)\b.*\b(resolved|closed|fixed)\b/, ['unresolved']],
  [/\b100 ?% (sla|on[- ]time|uptime|availability|compliance)\b/, ['sla']],
];

/** Clauses: sentences, then their coordinated parts ("no incidents and all SLAs were met"). */
export function clauses(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[’`]/g, "'")
    .split(/[.!?;:\n]+|,|\b(?:and|but|while|although|though|however|whereas)\b/)
    .map((c) => c.trim())
    .filter(Boolean);
}

/** The zero-claims one clause makes. */
export function claimsIn(clause: string): Topic[] {
  const negatedAll = /\b(not|n't|never)\s+(all|every|each)\b/.test(clause) || /\bnot (quite|entirely|fully)\b/.test(clause);
  const zero = new Set<Topic>();
  if (SPOTLESS.test(clause) && !/\b(not|n't|far from|hardly|less than)\b[^,]*\b(flawless|perfect|spotless|smooth)/.test(clause)) {
    for (const t of ['incidents', 'sla', 'unfinished', 'probeFailures', 'problems', 'escalations'] as Topic[]) zero.add(t);
  }
  if (!negatedAll) for (const [re, topics] of ALL_CLAIMS) if (re.test(clause)) topics.forEach((t) => zero.add(t));
  const words = clause.split(/[^\p{L}\p{N}'-]+/u).filter(Boolean);
  for (let i = 0; i < words.length; i += 1) {
    const w = words[i]!;
    // "incident-free", "escalation-free"
    const free = /^(.+)-free$/.exec(w);
    if (free) {
      const t = topicOf(free[1]!);
      if (t) zero.add(t);
      continue;
    }
    const single = (w === 'not' || w === 'nor') && /^(a|one|single)$/.test(words[i + 1] ?? '');
    if (!ZERO_WORDS.has(w) && !single && !/^(0|zero)$/.test(w)) continue;
    if (NOT_A_ZERO.test(words[i + 1] ?? '')) continue;
    // "none of the incidents breached": the predicate is the topic; else the first topic named.
    const window = words.slice(i + 1, i + 7);
    const found = window.map(topicOf).filter((t): t is Topic => t !== undefined);
    if (!found.length) continue;
    const pick = w === 'none' || w === 'neither' ? (found.length > 1 ? found.slice(1) : found) : found;
    zero.add(pick.sort((a, b) => PRIORITY.indexOf(a) - PRIORITY.indexOf(b))[0]!);
  }
  return [...zero];
}

export type ClaimCheck = { ok: true } | { ok: false; detail: string };

/**
 * Every zero/all claim of the prose against the facts. A contradiction ("no incidents" in a week
 * of 10) or a claim the facts cannot confirm fails with the clause and the fact it contradicts.
 */
export function checkClaims(texts: readonly string[], facts: WeekFacts): ClaimCheck {
  const n = counts(facts);
  const bad: string[] = [];
  for (const clause of texts.flatMap(clauses)) {
    for (const topic of claimsIn(clause)) {
      const have = n[topic];
      if (have === null) bad.push(`"${clause.slice(0, 80)}" (${topic}: the facts cannot confirm it)`);
      else if (have > 0) bad.push(`"${clause.slice(0, 80)}" (${topic}: ${have} in the facts)`);
    }
  }
  return bad.length ? { ok: false, detail: [...new Set(bad)].slice(0, 3).join('; ') } : { ok: true };
}

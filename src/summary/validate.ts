// Checks on the LLM's prose before it reaches Slack: every number it states must come from the
// facts, it may not carry a link the facts did not contain, and it is plain text, escaped by the renderers so it can never
// form a mention, a @channel/@here ping or a link.
import { userText } from '../user-text';
import { checkClaims } from './claims';
import type { SummaryProse } from './prose';
import type { WeekFacts } from './types';

/**
 * A number as written in prose. The grounding rule:
 *
 * 1. Numbers are the digit runs of the prose not glued to a preceding letter, digit, `.` or `,`
 *    (so `W09`, `p1`, `v2` are labels, not numbers), with optional sign, `$`, thousands commas
 *    (`1,234`), decimals (`12.5`) and scale suffix `k`/`K` (×1,000), `M` (×1,000,000) or `bn`
 *    (×1,000,000,000). A trailing `%` or unit changes nothing: `12.5%` is 12.5. The spelled-out
 *    numbers two…twenty count too ("three incidents" is 3); "one" and "zero" do not (too often
 *    not numbers at all).
 * 2. Its value is grounded when some number in the facts rounds to it at the precision written:
 *    `|abs(prose) − abs(fact)| ≤ ½ × 10^−decimals × scale`. So `1,234` matches 1234.4, `$1.2k`
 *    matches 1150…1250, `12.5%` matches 12.45…12.55, `3` matches 2.6 and 3.4. Signs are ignored
 *    because prose says "down 12%" for a change of −12.
 * 3. The numbers of the facts are every numeric value in the facts object, the numbers written
 *    in its trusted strings (names, titles, the week's label — so the dates and the year of the
 *    week), and the ISO week number. Untrusted text (problem notes, incident summaries) and the
 *    raw ISO timestamps contribute nothing: a number only a Slack user typed is not a fact.
 */
export interface ProseNumber {
  text: string;
  value: number;
  tolerance: number;
}

const NUMBER = /(?<![\p{L}\p{N}.,])([-+]?)(\$?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(bn|k|K|M)?/gu;
const WORDS: Record<string, number> = {
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
};
const WORD = new RegExp(`\\b(${Object.keys(WORDS).join('|')})\\b`, 'gi');
const SCALE: Record<string, number> = { k: 1e3, K: 1e3, M: 1e6, bn: 1e9 };

/** Every number the prose states, with the tolerance its written precision implies. */
export function numbersIn(text: string): ProseNumber[] {
  const out: ProseNumber[] = [];
  for (const m of text.matchAll(NUMBER)) {
    const int = (m[3] ?? '').replace(/,/g, '');
    const decimals = m[4] ?? '';
    const scale = m[5] ? SCALE[m[5]]! : 1;
    const value = Number(`${int}${decimals ? `.${decimals}` : ''}`) * scale;
    out.push({ text: m[0], value, tolerance: (0.5 * scale) / 10 ** decimals.length });
  }
  for (const m of text.matchAll(WORD)) out.push({ text: m[0], value: WORDS[m[1]!.toLowerCase()]!, tolerance: 0 });
  return out;
}

const UNTRUSTED_KEYS = new Set(['note', 'summary']);
const TIMESTAMP_KEYS = new Set(['start', 'end', 'asOf']);

/** The numbers the facts contain (rule 3 above). */
export function factNumbers(facts: WeekFacts): number[] {
  const out: number[] = [];
  const walk = (v: unknown, key: string | undefined): void => {
    if (typeof v === 'number' && Number.isFinite(v)) out.push(v);
    else if (typeof v === 'string') {
      if (key && (UNTRUSTED_KEYS.has(key) || TIMESTAMP_KEYS.has(key))) return;
      for (const n of numbersIn(v)) out.push(n.value);
    } else if (Array.isArray(v)) v.forEach((x) => walk(x, key));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
  };
  walk(facts, undefined);
  const week = /W(\d{1,2})$/.exec(facts.week.key);
  if (week) out.push(Number(week[1]));
  return out;
}

/** Numbers in `text` that no fact grounds. */
export function ungroundedNumbers(text: string, facts: WeekFacts | number[]): ProseNumber[] {
  const known = Array.isArray(facts) ? facts : factNumbers(facts);
  return numbersIn(text).filter((n) => !known.some((f) => Math.abs(Math.abs(n.value) - Math.abs(f)) <= n.tolerance + 1e-9));
}

const LINK =
  /\b(?:https?:\/\/|www\.)[^\s<>|"']+|\b(?:[a-z0-9-]+\.)+(?:com|net|org|io|co|ai|app|dev|info|biz|us|uk|me|ly|gl|link|xyz|site|online|sh|to)\b(?:\/[^\s<>|"']*)?/gi;

/** URLs, `www.` hosts and bare domains in text (what Slack would turn into links). */
export function linksIn(text: string): string[] {
  return [...text.matchAll(LINK)].map((m) => m[0].replace(/[.,;:!?)]+$/, '').toLowerCase());
}

export type ProseCheck = { ok: true } | { ok: false; reason: 'ungrounded_number' | 'contradicts_facts' | 'unknown_link'; detail: string };

/** Applies the grounding rule, the claims rule (claims.ts) and the link rule to every field of the prose. */
export function checkProse(prose: SummaryProse, facts: WeekFacts): ProseCheck {
  const texts = [prose.executiveSummary, ...prose.wins, ...prose.challenges, ...prose.planNextWeek];
  const known = factNumbers(facts);
  const bad = texts.flatMap((t) => ungroundedNumbers(t, known));
  if (bad.length)
    return {
      ok: false,
      reason: 'ungrounded_number',
      detail: bad
        .map((b) => b.text)
        .slice(0, 5)
        .join(', '),
    };
  const claims = checkClaims(texts, facts);
  if (!claims.ok) return { ok: false, reason: 'contradicts_facts', detail: claims.detail };
  const factText = JSON.stringify(facts).toLowerCase();
  const links = texts.flatMap(linksIn).filter((l) => !factText.includes(l));
  if (links.length) return { ok: false, reason: 'unknown_link', detail: links.slice(0, 3).join(', ') };
  return { ok: true };
}

/**
 * LLM output on its way in: plain text that can be stored (userText), whitespace collapsed to one
 * line, `@word` broken with a zero-width space (no plain-text @here/@channel even if a client
 * parses names). It is escaped like any other text by the renderers (blocks/summary.ts).
 */
export function sanitizeText(text: string): string {
  return userText(text.replace(/\s+/g, ' '), { slackEncoded: false }).replace(/@(?=[\p{L}\p{N}_])/gu, '@\u200b');
}

/** Sanitises every field of the prose (lengths are already bounded by its schema). */
export function sanitizeProse(prose: SummaryProse): SummaryProse {
  return {
    executiveSummary: sanitizeText(prose.executiveSummary),
    wins: prose.wins.map(sanitizeText),
    challenges: prose.challenges.map(sanitizeText),
    planNextWeek: prose.planNextWeek.map(sanitizeText),
  };
}

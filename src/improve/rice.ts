// The guide's RICE framework (CONTINUOUS IMPROVEMENT, "Prioritize Improvements"):
// Score = (Reach × Impact × Confidence) / Effort. Pure: parsing of the four inputs and the score.

/** Impact on the usual RICE scale; the guide asks "how much improvement?". */
export const IMPACTS = [
  { value: 3, label: '3 — massive' },
  { value: 2, label: '2 — high' },
  { value: 1, label: '1 — medium' },
  { value: 0.5, label: '0.5 — low' },
  { value: 0.25, label: '0.25 — minimal' },
] as const;

export interface RiceInput {
  /** How many users affected (per month). */
  reach: number;
  impact: number;
  /** Percent, 1–100: how sure are we? */
  confidence: number;
  /** Person-weeks: how much work? */
  effort: number;
}

/** One decimal, as shown and stored. */
export function riceScore(r: RiceInput): number {
  return Math.round(((r.reach * r.impact * (r.confidence / 100)) / r.effort) * 10) / 10;
}

type Parsed = { ok: true; value: number } | { ok: false; error: string };

function parseNumber(raw: string | undefined, what: string, min: number, max: number, minExclusive = false): Parsed {
  const text = (raw ?? '').trim().replace(/,/g, '').replace(/%$/, '');
  if (text === '') return { ok: false, error: `Enter ${what}.` };
  if (!/^\d+(\.\d+)?$/.test(text)) return { ok: false, error: `${what[0]!.toUpperCase()}${what.slice(1)} must be a number.` };
  const value = Number(text);
  if ((minExclusive ? value <= min : value < min) || value > max)
    return { ok: false, error: `${what[0]!.toUpperCase()}${what.slice(1)} must be ${minExclusive ? 'more than' : 'at least'} ${min} and at most ${max}.` };
  return { ok: true, value };
}

export type RiceFields = Record<keyof RiceInput, string | undefined>;

/** The modal's four fields → the input, or an error per field. */
export function parseRice(f: RiceFields): { ok: true; value: RiceInput } | { ok: false; errors: Partial<Record<keyof RiceInput, string>> } {
  const reach = parseNumber(f.reach, 'the reach (users a month)', 0, 10_000_000);
  const impactValue = Number(f.impact);
  const impact: Parsed = IMPACTS.some((i) => i.value === impactValue) ? { ok: true, value: impactValue } : { ok: false, error: 'Choose an impact.' };
  const confidence = parseNumber(f.confidence, 'the confidence (%)', 1, 100);
  const effort = parseNumber(f.effort, 'the effort (person-weeks)', 0, 520, true);
  const errors: Partial<Record<keyof RiceInput, string>> = {};
  for (const [k, p] of [
    ['reach', reach],
    ['impact', impact],
    ['confidence', confidence],
    ['effort', effort],
  ] as const)
    if (!p.ok) errors[k] = p.error;
  if (!reach.ok || !impact.ok || !confidence.ok || !effort.ok) return { ok: false, errors };
  return { ok: true, value: { reach: reach.value, impact: impact.value, confidence: confidence.value, effort: effort.value } };
}

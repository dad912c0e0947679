import type { Unit } from '../checklists';

export type ParsedFigure = { ok: true; value: number | string } | { ok: false; error: string };

const RANGES: Record<Exclude<Unit, 'text'>, { min: number; max: number; integer?: boolean; hint: string }> = {
  count: { min: 0, max: 1e12, integer: true, hint: 'a whole number, e.g. 120' },
  money: { min: -1e12, max: 1e12, hint: 'an amount in dollars, e.g. 1,250.50' },
  percent: { min: 0, max: 100, hint: 'a percentage from 0 to 100, e.g. 27.5' },
  minutes: { min: 0, max: 525_600, hint: 'minutes, e.g. 45' },
  rating: { min: 0, max: 5, hint: 'a rating from 0 to 5, e.g. 4.6' },
  ms: { min: 0, max: 3_600_000, hint: 'milliseconds, e.g. 180' },
  seconds: { min: 0, max: 86_400, hint: 'seconds, e.g. 1.5' },
};

export function unitHint(unit: Unit): string {
  return unit === 'text' ? 'a short text' : RANGES[unit].hint;
}

/** Parses what a person typed for a figure: "$1,250", "27.5%", " 120 " are all accepted. */
export function parseFigure(unit: Unit, raw: string): ParsedFigure {
  const text = raw.trim();
  if (unit === 'text') {
    if (text.length > 200) return { ok: false, error: 'Keep it under 200 characters.' };
    return { ok: true, value: text };
  }
  const r = RANGES[unit];
  const cleaned = text
    .replace(/[,\s]/g, '')
    .replace(/^\$/, '')
    .replace(/^(-?)\$/, '$1')
    .replace(/%$/, '')
    .replace(/(ms|s|min|minutes)$/i, '');
  if (!/^-?\d+(\.\d+)?$/.test(cleaned)) return { ok: false, error: `Enter ${r.hint}.` };
  const value = Number(cleaned);
  if (r.integer && !Number.isInteger(value)) return { ok: false, error: `Enter ${r.hint}.` };
  if (value < r.min || value > r.max) return { ok: false, error: `Must be between ${r.min} and ${r.max}.` };
  return { ok: true, value };
}

export function formatFigure(unit: Unit, value: number | string): string {
  if (typeof value === 'string') return value;
  const n = (v: number, digits = 2) => v.toLocaleString('en-US', { maximumFractionDigits: digits });
  switch (unit) {
    case 'money':
      return `${value < 0 ? '-' : ''}$${n(Math.abs(value))}`;
    case 'percent':
      return `${n(value, 1)}%`;
    case 'minutes':
      return `${n(value)} min`;
    case 'ms':
      return `${n(value, 0)} ms`;
    case 'seconds':
      return `${n(value)} s`;
    case 'rating':
      return `${n(value, 2)}/5`;
    default:
      return n(value);
  }
}

/**
 * The trend of a figure against an earlier one, shown in the checklist message: "↑ 12% vs previous
 * week", "↓ −2 pts vs yesterday" (a rate compares in points), "→ unchanged vs yesterday", or
 * "↑ from 0 vs …" when the earlier value is 0.
 */
export function changeText(current: number, previous: number, label: string, unit?: Unit): string {
  if (previous === current) return `→ unchanged vs ${label}`;
  // A rate compares in points: 20% → 26.5% is "+6.5 pts", not "↑ 33%".
  if (unit === 'percent') {
    const pts = Math.round((current - previous) * 10) / 10;
    if (pts === 0) return `→ ±0 pts vs ${label}`;
    return `${pts > 0 ? '↑ +' : '↓ −'}${Math.abs(pts)} pts vs ${label}`;
  }
  if (previous === 0) return `${current > 0 ? '↑' : '↓'} from 0 vs ${label}`;
  const pct = ((current - previous) / Math.abs(previous)) * 100;
  const rounded = Math.abs(pct) >= 10 ? Math.round(Math.abs(pct)) : Math.round(Math.abs(pct) * 10) / 10;
  if (rounded === 0) return `→ ±0% vs ${label}`;
  return `${pct > 0 ? '↑ +' : '↓ −'}${rounded}% vs ${label}`;
}

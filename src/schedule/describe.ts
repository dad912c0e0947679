// Plain-English schedule text for `/ops list` and checklist headers. Only the
// shapes the maintenance calendar uses are put into words; anything else is
// shown as the raw expression rather than risk a wrong description.
import { parseCron, type CronSpec } from './cron-parse';

const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth'];
const QUARTER_STARTS = [1, 4, 7, 10];
const QUARTER_ENDS = [3, 6, 9, 12];

const sameList = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((v, i) => v === b[i]);

function joinWords(words: string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

function dayOfMonthOrdinal(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teen ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/** "n-th weekday d" when the date fields say exactly that, via `d#n` or the `1-7` + weekday idiom. */
function nthWeekday(spec: CronSpec): { weekday: number; ordinal: string } | null {
  const { dayOfMonth: dom, dayOfWeek: dow } = spec;
  const plainDow = dow.nth.length === 0 && dow.last.length === 0;
  if (dom.any && dow.days.length === 0 && dow.last.length === 0 && dow.nth.length === 1) {
    const only = dow.nth[0];
    if (only) return { weekday: only.weekday, ordinal: ORDINALS[only.nth - 1] ?? '' };
  }
  const firstWeek = sameList(dom.days, [1, 2, 3, 4, 5, 6, 7]) && !dom.last && dom.lastOffsets.length === 0 && dom.nearestWeekday.length === 0;
  if (firstWeek && plainDow && dow.days.length === 1) return { weekday: dow.days[0] ?? 0, ordinal: 'first' };
  return null;
}

function lastWeekday(spec: CronSpec): number | null {
  const { dayOfMonth: dom, dayOfWeek: dow } = spec;
  if (dom.any && dow.days.length === 0 && dow.nth.length === 0 && dow.last.length === 1) return dow.last[0] ?? null;
  return null;
}

function datePart(spec: CronSpec): string | null {
  const { dayOfMonth: dom, dayOfWeek: dow } = spec;
  const nth = nthWeekday(spec);
  const last = lastWeekday(spec);
  if (sameList(spec.months, QUARTER_STARTS) && nth?.ordinal === 'first') {
    return `the first ${DAY_NAMES[nth.weekday]} of each quarter`;
  }
  if (sameList(spec.months, QUARTER_ENDS) && last !== null) return `the last ${DAY_NAMES[last]} of each quarter`;
  if (!spec.monthsAny) return null;
  if (nth) return `the ${nth.ordinal} ${DAY_NAMES[nth.weekday]} of the month`;
  if (last !== null) return `the last ${DAY_NAMES[last]} of the month`;
  if (dom.any && dow.any) return 'every day';
  if (dom.any && dow.nth.length === 0 && dow.last.length === 0) {
    if (sameList(dow.days, [1, 2, 3, 4, 5])) return 'weekdays';
    if (sameList(dow.days, [0, 6])) return 'weekends';
    // Monday-first reads naturally ("Mondays and Sundays", not the reverse).
    const mondayFirst = [...dow.days].sort((a, b) => ((a + 6) % 7) - ((b + 6) % 7));
    return joinWords(mondayFirst.map((d) => `${DAY_NAMES[d]}s`));
  }
  if (dow.any && dom.days.length === 0 && dom.last && dom.lastOffsets.length === 0 && dom.nearestWeekday.length === 0) {
    return 'the last day of the month';
  }
  if (dow.any && dom.days.length === 1 && !dom.last && dom.lastOffsets.length === 0 && dom.nearestWeekday.length === 0) {
    return `the ${dayOfMonthOrdinal(dom.days[0] ?? 1)} of the month`;
  }
  return null;
}

/**
 * The schedule in words, e.g. "the last Friday of each quarter at 14:00".
 * Falls back to the raw expression for shapes it does not describe and for
 * expressions that do not parse (a listing should never fail on one bad entry).
 */
export function describeSchedule(expression: string): string {
  let spec: CronSpec;
  try {
    spec = parseCron(expression);
  } catch {
    return expression;
  }
  const [hour] = spec.hours;
  const [minute] = spec.minutes;
  if (spec.hours.length !== 1 || spec.minutes.length !== 1 || hour === undefined || minute === undefined) return expression;
  const date = datePart(spec);
  if (!date) return expression;
  return `${date} at ${hour}:${String(minute).padStart(2, '0')}`;
}

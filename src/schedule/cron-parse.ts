// Parser for the 5-field cron dialect node-cron 4.6 accepts, so an expression
// that node-cron ticks on is one we can compute previous/next occurrences for.
// Read from node_modules/node-cron/dist (_shared.js, node-cron.js):
// - every field is ANDed, day-of-month included: `0 9 1-7 * 1` is "a Monday in
//   days 1–7", not Vixie cron's "days 1–7 or any Monday";
// - `*/n` and `a-b/n` steps; `a/n` without a range is rejected, as node-cron does;
// - ranges may wrap (`FRI-MON` = 5,6,0,1; `50-10` minutes);
// - day-of-week 7 is Sunday; names (MON, monday, JAN, january) are case-insensitive;
// - day-of-month `L`, `L-n` (n days before the last), `nW`/`LW` (nearest weekday);
// - day-of-week `dL` (last d of the month) and `d#n` (n-th d, n 1–5, where the
//   n-th is the one in days 7(n-1)+1 … 7n);
// - `?` alone in day-of-month/day-of-week means `*`; @daily and friends.
// Stricter than node-cron on purpose: only 5 fields (no seconds), range ends
// must be in bounds, and an expression that can never match any date is an error.
import { daysInMonth, weekdayOf } from './calendar';

export type CronField = 'minute' | 'hour' | 'day-of-month' | 'month' | 'day-of-week';

/** A bad cron expression; the message names the field and the problem. */
export class CronParseError extends Error {
  readonly code = 'cron_parse_error';
  constructor(
    readonly expression: string,
    readonly field: CronField | 'expression',
    readonly problem: string,
  ) {
    super(`invalid cron expression "${expression}": ${field === 'expression' ? '' : `${field}: `}${problem}`);
    this.name = 'CronParseError';
  }
}

export interface DayOfMonthRule {
  /** True when the field allows every day (`*`, `?`, `1-31`). */
  readonly any: boolean;
  readonly days: readonly number[];
  readonly last: boolean;
  /** `L-n`: n days before the last day of the month. */
  readonly lastOffsets: readonly number[];
  /** `nW` / `LW`: the weekday nearest to day n (or to the last day). */
  readonly nearestWeekday: readonly (number | 'L')[];
}

export interface DayOfWeekRule {
  readonly any: boolean;
  /** 0 = Sunday … 6 = Saturday. */
  readonly days: readonly number[];
  /** `d#n`: the n-th weekday d of the month. */
  readonly nth: readonly { readonly weekday: number; readonly nth: number }[];
  /** `dL`: the last weekday d of the month. */
  readonly last: readonly number[];
}

/** A parsed cron expression. Arrays are sorted and free of duplicates. */
export interface CronSpec {
  readonly expression: string;
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  /** Every (hour, minute) as minutes after local midnight, ascending. */
  readonly times: readonly number[];
  readonly months: readonly number[];
  readonly monthsAny: boolean;
  readonly dayOfMonth: DayOfMonthRule;
  readonly dayOfWeek: DayOfWeekRule;
}

const NICKNAMES: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTHS_LONG = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const WEEKDAYS_LONG = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

interface FieldBounds {
  readonly field: CronField;
  readonly min: number;
  readonly max: number;
  readonly names?: Readonly<Record<string, number>>;
}

function nameTable(short: string[], long: string[], base: number): Record<string, number> {
  const table: Record<string, number> = {};
  short.forEach((name, i) => (table[name] = i + base));
  long.forEach((name, i) => (table[name] = i + base));
  return table;
}

const MINUTE: FieldBounds = { field: 'minute', min: 0, max: 59 };
const HOUR: FieldBounds = { field: 'hour', min: 0, max: 23 };
const DAY_OF_MONTH: FieldBounds = { field: 'day-of-month', min: 1, max: 31 };
const MONTH: FieldBounds = { field: 'month', min: 1, max: 12, names: nameTable(MONTHS, MONTHS_LONG, 1) };
const DAY_OF_WEEK: FieldBounds = { field: 'day-of-week', min: 0, max: 7, names: nameTable(WEEKDAYS, WEEKDAYS_LONG, 0) };

type Fail = (problem: string) => never;

function value(text: string, bounds: FieldBounds, fail: Fail): number {
  const named = bounds.names?.[text.toLowerCase()];
  const n = named ?? (/^\d+$/.test(text) ? Number(text) : NaN);
  if (Number.isNaN(n)) fail(`"${text}" is not a number${bounds.names ? ' or a name' : ''}`);
  if (n < bounds.min || n > bounds.max) fail(`${n} is out of range ${bounds.min}-${bounds.max}`);
  return n;
}

/** `*`, `*\/n`, `a`, `a-b`, `a-b/n`; wrapping ranges walk past max back to min, as node-cron's do. */
function expandToken(token: string, bounds: FieldBounds, fail: Fail): number[] {
  const [rangePart = '', stepPart, extra] = token.split('/');
  if (extra !== undefined) fail(`"${token}" has more than one step`);
  let step = 1;
  if (stepPart !== undefined) {
    if (!/^\d+$/.test(stepPart) || Number(stepPart) < 1) fail(`step in "${token}" must be a whole number of at least 1`);
    step = Number(stepPart);
  }
  let first: number;
  let last: number;
  if (rangePart === '*') {
    first = bounds.min;
    last = bounds.field === 'day-of-week' ? 6 : bounds.max;
  } else if (rangePart.includes('-')) {
    const [a = '', b = '', more] = rangePart.split('-');
    if (more !== undefined) fail(`"${token}" is not a range`);
    first = value(a, bounds, fail);
    last = value(b, bounds, fail);
  } else {
    if (stepPart !== undefined) fail(`step "${token}" needs a range or * (node-cron rejects "a/n"; write "a-max/n")`);
    return [value(rangePart, bounds, fail)];
  }
  const out: number[] = [];
  if (first <= last) {
    for (let v = first; v <= last; v += step) out.push(v);
    return out;
  }
  const low = bounds.min;
  const size = (bounds.field === 'day-of-week' ? 6 : bounds.max) - low + 1;
  const span = (((last - first) % size) + size) % size;
  for (let offset = 0; offset <= span; offset += step) {
    const v = first + offset;
    out.push(v > low + size - 1 ? v - size : v);
  }
  return out;
}

function numbers(tokens: string[], bounds: FieldBounds, fail: Fail): number[] {
  const set = new Set<number>();
  for (const token of tokens) for (const v of expandToken(token, bounds, fail)) set.add(v);
  return [...set].sort((a, b) => a - b);
}

function splitList(text: string, fail: Fail): string[] {
  const tokens = text.split(',');
  if (tokens.some((t) => t === '')) fail(`empty item in list "${text}"`);
  return tokens;
}

function parseDayOfMonth(text: string, fail: Fail): DayOfMonthRule {
  if (text === '?') text = '*';
  const plain: string[] = [];
  let last = false;
  const lastOffsets: number[] = [];
  const nearestWeekday: (number | 'L')[] = [];
  for (const token of splitList(text, fail)) {
    const upper = token.toUpperCase();
    const offset = /^L-(\d{1,2})$/.exec(upper);
    const weekday = /^(\d{1,2}|L)W$/.exec(upper);
    if (upper === 'L') last = true;
    else if (offset) {
      const n = Number(offset[1]);
      if (n < 1 || n > 30) fail(`"${token}": the offset from the last day must be 1-30`);
      lastOffsets.push(n);
    } else if (weekday) {
      nearestWeekday.push(weekday[1] === 'L' ? 'L' : value(weekday[1] ?? '', DAY_OF_MONTH, fail));
    } else if (/[LW]/.test(upper)) fail(`"${token}" is not a valid L or W form (use L, L-n, nW or LW)`);
    else plain.push(token);
  }
  const days = numbers(plain, DAY_OF_MONTH, fail);
  const special = last || lastOffsets.length > 0 || nearestWeekday.length > 0;
  return { any: days.length === 31 && !special, days, last, lastOffsets, nearestWeekday };
}

function parseDayOfWeek(text: string, fail: Fail): DayOfWeekRule {
  if (text === '?') text = '*';
  const plain: string[] = [];
  const nth: { weekday: number; nth: number }[] = [];
  const last: number[] = [];
  for (const token of splitList(text, fail)) {
    const hash = /^([a-z0-9]+)#(.*)$/i.exec(token);
    const lastForm = /^([a-z0-9]+?)L$/i.exec(token);
    if (hash) {
      const n = hash[2] ?? '';
      if (!/^[1-5]$/.test(n)) fail(`"${token}": the occurrence after # must be 1-5`);
      nth.push({ weekday: value(hash[1] ?? '', DAY_OF_WEEK, fail) % 7, nth: Number(n) });
    } else if (lastForm && !token.includes('-') && !token.includes('/')) {
      last.push(value(lastForm[1] ?? '', DAY_OF_WEEK, fail) % 7);
    } else if (token.toUpperCase() === 'L') {
      fail('"L" alone is not a weekday; write e.g. 5L for the last Friday');
    } else plain.push(token);
  }
  const days = [...new Set(numbers(plain, DAY_OF_WEEK, fail).map((d) => d % 7))].sort((a, b) => a - b);
  return {
    any: days.length === 7 && nth.length === 0 && last.length === 0,
    days,
    nth,
    last: [...new Set(last)],
  };
}

/** Parses a 5-field cron expression (minute hour day-of-month month day-of-week). Throws CronParseError. */
export function parseCron(expression: string): CronSpec {
  const fail =
    (field: CronField | 'expression') =>
    (problem: string): never => {
      throw new CronParseError(expression, field, problem);
    };
  if (typeof expression !== 'string') fail('expression')('not a string');
  const trimmed = expression.trim();
  const resolved = NICKNAMES[trimmed.toLowerCase()] ?? trimmed;
  if (resolved === '') fail('expression')('empty');
  if (!/^[a-zA-Z0-9\-*/,#? ]+$/.test(resolved)) fail('expression')('contains characters cron does not use');
  const fields = resolved.split(/\s+/);
  if (fields.length !== 5) {
    fail('expression')(`expected 5 fields (minute hour day-of-month month day-of-week), got ${fields.length}`);
  }
  const [minuteText = '', hourText = '', domText = '', monthText = '', dowText = ''] = fields;
  for (const [text, field] of [
    [minuteText, 'minute'],
    [hourText, 'hour'],
    [monthText, 'month'],
  ] as const) {
    if (text.includes('?')) fail(field)('"?" is only allowed in day-of-month and day-of-week');
  }
  const minutes = numbers(splitList(minuteText, fail('minute')), MINUTE, fail('minute'));
  const hours = numbers(splitList(hourText, fail('hour')), HOUR, fail('hour'));
  const dayOfMonth = parseDayOfMonth(domText, fail('day-of-month'));
  const months = numbers(splitList(monthText, fail('month')), MONTH, fail('month'));
  const dayOfWeek = parseDayOfWeek(dowText, fail('day-of-week'));
  const times = hours.flatMap((h) => minutes.map((m) => h * 60 + m));
  const spec: CronSpec = {
    expression,
    minutes,
    hours,
    times,
    months,
    monthsAny: months.length === 12,
    dayOfMonth,
    dayOfWeek,
  };
  if (!matchesSomeDay(spec)) {
    fail('expression')('never matches any date (e.g. 30 February, or the 5th Monday falling on the 1st-7th)');
  }
  return spec;
}

function nearestWeekday(year: number, month: number, target: number): number {
  const last = daysInMonth(year, month);
  if (target < 1 || target > last) return -1;
  const weekday = weekdayOf(year, month, target);
  if (weekday === 6) return target === 1 ? target + 2 : target - 1;
  if (weekday === 0) return target === last ? target - 2 : target + 1;
  return target;
}

/** Whether the spec's date fields (day-of-month AND month AND day-of-week) accept this local day. */
export function dayMatches(spec: CronSpec, year: number, month: number, day: number): boolean {
  if (!spec.months.includes(month)) return false;
  const dim = daysInMonth(year, month);
  const dom = spec.dayOfMonth;
  const domOk =
    dom.days.includes(day) ||
    (dom.last && day === dim) ||
    dom.lastOffsets.some((n) => dim - n === day) ||
    dom.nearestWeekday.some((t) => nearestWeekday(year, month, t === 'L' ? dim : t) === day);
  if (!domOk) return false;
  const dow = spec.dayOfWeek;
  const weekday = weekdayOf(year, month, day);
  return (
    dow.days.includes(weekday) ||
    dow.nth.some((x) => x.weekday === weekday && Math.floor((day - 1) / 7) + 1 === x.nth) ||
    dow.last.some((w) => w === weekday && day + 7 > dim)
  );
}

// 2000–2027 holds every kind of year (leap or not × weekday of 1 January), so a
// date rule that matches nothing in it matches nothing in 1901–2099.
function matchesSomeDay(spec: CronSpec): boolean {
  for (let year = 2000; year < 2028; year++) {
    for (const month of spec.months) {
      const dim = daysInMonth(year, month);
      for (let day = 1; day <= dim; day++) if (dayMatches(spec, year, month, day)) return true;
    }
  }
  return false;
}

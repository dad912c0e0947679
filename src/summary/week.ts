// ISO 8601 weeks (Monday to Sunday, week 1 holds the year's first Thursday) evaluated in the
// business time zone: a week starts at local Monday 00:00 and ends at the next local Monday 00:00,
// so a DST change makes a week 167 or 169 hours long rather than shifting its edges.
import { fromEpochDay, toEpochDay, weekdayOf } from '../schedule/calendar';
import { toLocal, wallTimeToInstant } from '../schedule';

export interface IsoWeek {
  /** `2026-W09` */
  key: string;
  year: number;
  week: number;
  /** Local Monday 00:00 as an instant (inclusive). */
  start: Date;
  /** The next local Monday 00:00 (exclusive). */
  end: Date;
  timeZone: string;
  /** `Mon 23 Feb – Sun 1 Mar 2026` */
  label: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Epoch day of the Monday of ISO week 1 of `year`. */
function week1Monday(year: number): number {
  const jan4 = toEpochDay({ year, month: 1, day: 4 });
  const dow = (weekdayOf(year, 1, 4) + 6) % 7; // 0 = Monday
  return jan4 - dow;
}

function weeksInYear(year: number): number {
  return (week1Monday(year + 1) - week1Monday(year)) / 7;
}

function build(year: number, week: number, timeZone: string): IsoWeek {
  const monday = week1Monday(year) + (week - 1) * 7;
  const startDay = fromEpochDay(monday);
  const endDay = fromEpochDay(monday + 7);
  const lastDay = fromEpochDay(monday + 6);
  const start = new Date(wallTimeToInstant({ ...startDay, hour: 0, minute: 0 }, timeZone));
  const end = new Date(wallTimeToInstant({ ...endDay, hour: 0, minute: 0 }, timeZone));
  const label = `Mon ${startDay.day} ${MONTHS[startDay.month - 1]}${startDay.year !== lastDay.year ? ` ${startDay.year}` : ''} – Sun ${lastDay.day} ${MONTHS[lastDay.month - 1]} ${lastDay.year}`;
  return { key: `${year}-W${String(week).padStart(2, '0')}`, year, week, start, end, timeZone, label };
}

/** The ISO week containing `at` in the business time zone. */
export function isoWeekOf(at: Date, timeZone: string): IsoWeek {
  const local = toLocal(at, timeZone);
  const day = toEpochDay(local);
  const dow = (weekdayOf(local.year, local.month, local.day) + 6) % 7;
  const thursday = fromEpochDay(day - dow + 3);
  const week = (day - dow - week1Monday(thursday.year)) / 7 + 1;
  return build(thursday.year, week, timeZone);
}

/** The week before `week`. */
export function previousWeek(week: IsoWeek): IsoWeek {
  return week.week > 1 ? build(week.year, week.week - 1, week.timeZone) : build(week.year - 1, weeksInYear(week.year - 1), week.timeZone);
}

/** `2026-W09` → the week, or null when the key is malformed or the week does not exist. */
export function parseWeekKey(key: string, timeZone: string): IsoWeek | null {
  const m = /^(\d{4})-?W(\d{1,2})$/i.exec(key.trim());
  if (!m) return null;
  const year = Number(m[1]);
  const week = Number(m[2]);
  if (week < 1 || week > weeksInYear(year)) return null;
  return build(year, week, timeZone);
}

/**
 * `/ops summary [this|last|YYYY-Www]`: empty or `this` is the current week, `last` the one
 * before; null for anything else.
 */
export function resolveWeekArg(arg: string | undefined, now: Date, timeZone: string): IsoWeek | null {
  const a = (arg ?? '').trim().toLowerCase();
  if (a === '' || a === 'this') return isoWeekOf(now, timeZone);
  if (a === 'last') return previousWeek(isoWeekOf(now, timeZone));
  return parseWeekKey(a, timeZone);
}

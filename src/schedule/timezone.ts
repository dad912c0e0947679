// Wall-clock <-> instant conversion for IANA time zones using Intl only (no tz
// library: the runtime's ICU data is the same one node-cron reads, so the two
// agree on offsets). The DST policy for wall times that do not exist or exist
// twice lives in wallTimeToInstant and is described in ./index.ts.

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;

export interface LocalDateTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new RangeError(`unknown time zone "${timeZone}" (expected an IANA name such as "America/New_York")`);
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Throws a RangeError naming the zone when it is not a time zone the runtime knows. */
export function assertTimeZone(timeZone: string): void {
  formatterFor(timeZone);
}

// en-US numeric output is "M/D/YYYY, HH:mm:ss"; parsing format() is about 3x
// faster than formatToParts(), which matters when scanning years of days.
const EN_US = /^(\d+)\/(\d+)\/(\d+), (\d+):(\d+):(\d+)$/;

/** The wall-clock date and time of an instant in a time zone. */
export function toLocal(instant: Date | number, timeZone: string): LocalDateTime {
  const ms = typeof instant === 'number' ? instant : instant.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('invalid date');
  const formatter = formatterFor(timeZone);
  const m = EN_US.exec(formatter.format(ms));
  if (m) {
    // Older ICU builds print midnight as 24 even with h23.
    return { year: +m[3]!, month: +m[1]!, day: +m[2]!, hour: +m[4]! % 24, minute: +m[5]!, second: +m[6]! };
  }
  const fields: Record<string, number> = {};
  for (const part of formatter.formatToParts(ms)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  return {
    year: fields.year ?? NaN,
    month: fields.month ?? NaN,
    day: fields.day ?? NaN,
    hour: (fields.hour ?? NaN) % 24,
    minute: fields.minute ?? NaN,
    second: fields.second ?? NaN,
  };
}

/** UTC offset in ms (local minus UTC) in force at an instant. */
export function offsetAt(ms: number, timeZone: string): number {
  const l = toLocal(ms, timeZone);
  const wholeSecond = ms - (((ms % 1000) + 1000) % 1000);
  return Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second) - wholeSecond;
}

/**
 * The instant at which a local wall-clock time occurs (ms since the epoch).
 * - Inside a spring-forward gap (the time never shows on the clock) it returns
 *   the first instant after the gap, i.e. the moment of the transition
 *   (02:30 on the US DST start day → 03:00 local).
 * - Inside a fall-back overlap (the time shows twice) it returns the earlier,
 *   still-daylight-saving instance.
 */
export function wallTimeToInstant(local: { year: number; month: number; day: number; hour: number; minute: number }, timeZone: string): number {
  const guess = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  // Offsets a day either side bracket any transition near this wall time
  // (real zones never change offset twice within two days).
  const before = offsetAt(guess - MS_PER_DAY, timeZone);
  const after = offsetAt(guess + MS_PER_DAY, timeZone);
  const early = guess - before;
  if (before === after) return early;
  const late = guess - after;
  const earlyValid = offsetAt(early, timeZone) === before;
  const lateValid = offsetAt(late, timeZone) === after;
  if (earlyValid && lateValid) return Math.min(early, late);
  if (earlyValid) return early;
  if (lateValid) return late;
  return transitionBetween(Math.min(early, late), Math.max(early, late), timeZone);
}

/** First whole minute in (lo, hi] whose offset differs from lo's: the instant the gap ends. */
function transitionBetween(lo: number, hi: number, timeZone: string): number {
  const startOffset = offsetAt(lo, timeZone);
  let a = Math.floor(lo / MS_PER_MINUTE);
  let b = Math.ceil(hi / MS_PER_MINUTE);
  while (b - a > 1) {
    const mid = Math.floor((a + b) / 2);
    if (offsetAt(mid * MS_PER_MINUTE, timeZone) === startOffset) a = mid;
    else b = mid;
  }
  return b * MS_PER_MINUTE;
}

/**
 * Instants of the given wall times (minutes after midnight, ascending) on one
 * local day; non-decreasing (two gap times can share the transition instant).
 * Skips Intl work per time on the vast majority of days, which have no transition.
 */
export function instantsOnDay(year: number, month: number, day: number, times: readonly number[], timeZone: string): number[] {
  const midnight = Date.UTC(year, month - 1, day);
  const before = offsetAtMidnightCached(midnight - MS_PER_DAY, timeZone);
  const after = offsetAtMidnightCached(midnight + 2 * MS_PER_DAY, timeZone);
  if (before === after) return times.map((t) => midnight + t * MS_PER_MINUTE - before);
  return times.map((t) => wallTimeToInstant({ year, month, day, hour: Math.floor(t / 60), minute: t % 60 }, timeZone));
}

// Offsets sampled at UTC midnights, memoised per zone: consecutive days share
// samples and every checklist in the same zone reuses them. Bounded so a
// long-running bot cannot grow it without limit.
const MAX_CACHED_SAMPLES = 100_000;
const midnightOffsets = new Map<string, Map<number, number>>();

function offsetAtMidnightCached(ms: number, timeZone: string): number {
  let zone = midnightOffsets.get(timeZone);
  if (!zone) {
    zone = new Map();
    midnightOffsets.set(timeZone, zone);
  }
  let offset = zone.get(ms);
  if (offset === undefined) {
    if (zone.size >= MAX_CACHED_SAMPLES) zone.clear();
    offset = offsetAt(ms, timeZone);
    zone.set(ms, offset);
  }
  return offset;
}

// Occurrences of a cron spec in a business time zone, computed from an injected
// instant (no clock reads, no timers). The scan walks local calendar days and
// only converts wall times to instants on days whose date fields match, so a
// five-year scan of a daily schedule is ~1,800 cheap steps, not 2.6M minutes.
//
// DST policy (see also ./index.ts): a wall time inside a spring-forward gap
// runs at the first instant after the gap (02:30 → 03:00 local), never skipped;
// a wall time inside a fall-back overlap runs once, at its earlier instance.
import { fromEpochDay, toEpochDay } from './calendar';
import { dayMatches, type CronSpec } from './cron-parse';
import { instantsOnDay, toLocal } from './timezone';

// node-cron gives up after 100 years too; a parsed spec matches at least once
// in any 28-year stretch of 1901–2099, so this only bounds absurd inputs.
const MAX_SCAN_DAYS = 366 * 100;

function instantMs(date: Date, name: string): number {
  const ms = date instanceof Date ? date.getTime() : NaN;
  if (!Number.isFinite(ms)) throw new RangeError(`${name} is not a valid Date`);
  return ms;
}

function localEpochDay(ms: number, timeZone: string): number {
  return toEpochDay(toLocal(ms, timeZone));
}

function occurrencesOnDay(spec: CronSpec, timeZone: string, epochDay: number): number[] | null {
  const { year, month, day } = fromEpochDay(epochDay);
  if (!dayMatches(spec, year, month, day)) return null;
  return instantsOnDay(year, month, day, spec.times, timeZone);
}

/** The first occurrence strictly after `after`. */
export function nextOccurrence(spec: CronSpec, timeZone: string, after: Date): Date {
  const afterMs = instantMs(after, 'after');
  // Starting a day early costs one day check and makes the result independent
  // of edge cases where a gap or overlap straddles local midnight.
  const start = localEpochDay(afterMs, timeZone) - 1;
  for (let day = start; day < start + MAX_SCAN_DAYS; day++) {
    const instants = occurrencesOnDay(spec, timeZone, day);
    if (!instants) continue;
    for (const t of instants) if (t > afterMs) return new Date(t);
  }
  throw new Error(`"${spec.expression}" has no occurrence within 100 years after ${after.toISOString()}`);
}

/** The latest occurrence at or before `atOrBefore`, or null if none within 100 years. */
export function previousOccurrence(spec: CronSpec, timeZone: string, atOrBefore: Date): Date | null {
  const limitMs = instantMs(atOrBefore, 'atOrBefore');
  const start = localEpochDay(limitMs, timeZone) + 1;
  for (let day = start; day > start - MAX_SCAN_DAYS; day--) {
    const instants = occurrencesOnDay(spec, timeZone, day);
    if (!instants) continue;
    for (let i = instants.length - 1; i >= 0; i--) {
      const t = instants[i] ?? Infinity;
      if (t <= limitMs) return new Date(t);
    }
  }
  return null;
}

/**
 * Every occurrence in the half-open interval (from, to], ascending and without
 * duplicates — the same instants nextOccurrence would step through from `from`.
 * Half-open so that catch-up can pass (last processed, now] without re-running
 * the last one, while a tick landing exactly on `now` is included.
 */
export function occurrencesBetween(spec: CronSpec, timeZone: string, from: Date, to: Date): Date[] {
  const fromMs = instantMs(from, 'from');
  const toMs = instantMs(to, 'to');
  const out: Date[] = [];
  if (toMs <= fromMs) return out;
  const first = localEpochDay(fromMs, timeZone) - 1;
  const last = localEpochDay(toMs, timeZone) + 1;
  let previous = fromMs;
  for (let day = first; day <= last; day++) {
    const instants = occurrencesOnDay(spec, timeZone, day);
    if (!instants) continue;
    for (const t of instants) {
      if (t > previous && t <= toMs) {
        out.push(new Date(t));
        previous = t;
      }
    }
  }
  return out;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * The local date-time (minute precision) of an occurrence, e.g. "2026-03-02T09:00".
 * Callers prefix the checklist id to get the unique (checklist, period) claim key.
 * A gap time is keyed by when it actually runs ("…T03:00"); both instances of an
 * overlap time share one key, so a tick in the repeated hour cannot claim twice.
 */
export function periodKeyFor(occurrence: Date, timeZone: string): string {
  const l = toLocal(instantMs(occurrence, 'occurrence'), timeZone);
  return `${String(l.year).padStart(4, '0')}-${pad(l.month)}-${pad(l.day)}T${pad(l.hour)}:${pad(l.minute)}`;
}

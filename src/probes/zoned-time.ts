import { parseCron, previousOccurrence, wallTimeToInstant } from '../schedule';

/**
 * Business-time helpers for the backups probe, on the scheduler's own time-zone rules (so both
 * share one DST policy: a wall time inside the spring-forward gap runs when the clocks jump, a
 * repeated one at its first occurrence).
 */
export interface WallDate {
  year: number;
  month: number; // 1-12
  day: number;
}

function hoursMinutes(hhmm: string): { hour: number; minute: number } {
  const [hour = 0, minute = 0] = hhmm.split(':').map(Number);
  return { hour, minute };
}

/** The instant at which the wall clock in `timeZone` shows `date` `hh:mm`. */
export function zonedInstant(date: WallDate, hhmm: string, timeZone: string): Date {
  return new Date(wallTimeToInstant({ ...date, ...hoursMinutes(hhmm) }, timeZone));
}

/** Most recent scheduled run of a daily `hh:mm` job at or before `now`. */
export function lastScheduledRun(now: Date, hhmm: string, timeZone: string): Date {
  const { hour, minute } = hoursMinutes(hhmm);
  return previousOccurrence(parseCron(`${minute} ${hour} * * *`), timeZone, now)!;
}

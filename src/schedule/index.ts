/**
 * Schedule rules: cron expressions evaluated in the business time zone against
 * an injected instant. Pure functions — no clock reads, no timers, no I/O.
 * node-cron stays the once-a-minute ticker elsewhere; these functions give the
 * previous/next occurrences node-cron cannot (catch-up after downtime, `/ops list`).
 *
 * Cron semantics follow node-cron 4.6 (read from its source): every field is
 * ANDed, including day-of-month with day-of-week (`0 9 1-7 1,4,7,10 1` is the
 * first Monday of each quarter, not "days 1–7 or any Monday" as in Vixie cron).
 *
 * DST policy — deliberately different from node-cron, which silently skips a
 * job whose wall time falls in the spring-forward gap; a skipped checklist is
 * worse than a late one:
 * - a wall time inside a spring-forward gap (02:30 America/New_York on the DST
 *   start day) runs at the first instant after the gap, 03:00 local; if several
 *   times of one day land there, they collapse into that single occurrence;
 * - a wall time inside a fall-back overlap (01:30 occurs twice) runs once, at
 *   the first (earlier, daylight-saving) instance;
 * - every other wall time keeps its local time while its UTC instant shifts
 *   (a 9:00 checklist stays at 9:00 local across the change).
 * The period key of an occurrence is its local date-time at minute precision,
 * so a gap occurrence is keyed "…T03:00" and both overlap instances share a key.
 */
export { CronParseError, parseCron, dayMatches } from './cron-parse';
export type { CronField, CronSpec, DayOfMonthRule, DayOfWeekRule } from './cron-parse';
export { nextOccurrence, previousOccurrence, occurrencesBetween, periodKeyFor } from './occurrences';
export { describeSchedule } from './describe';
export { assertTimeZone, toLocal, wallTimeToInstant } from './timezone';
export type { LocalDateTime } from './timezone';

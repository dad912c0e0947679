import { z } from 'zod';
import { toLocal, wallTimeToInstant } from '../schedule';

/**
 * Weekly on-call rotations: the schema of `roles.<key>.rotation` and who holds the role at an
 * instant. Pure functions over the config and an injected instant (no clock reads, no I/O).
 *
 * A rotation hands off once a week, on `handoff.weekday` at `handoff.time` wall-clock time in its
 * time zone (the business time zone unless `timeZone` says otherwise), so a 09:00 hand-off stays at
 * 09:00 local across DST changes. `members[0]` holds the role from the hand-off on `start`, then
 * each following member for one week, round and round (and backwards before `start`).
 */

export const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** The default `start`: the first hand-off weekday on or after this day (documented in the README). */
export const DEFAULT_ROTATION_EPOCH = '2026-01-01';

export const rotationSchema = z
  .object({
    /** Slack user ids (U…/W…) in hand-off order; each must also be a member of the role. */
    members: z.array(z.string()).min(1),
    handoff: z
      .object({
        weekday: z.enum(WEEKDAYS).default('monday'),
        /** HH:MM, 24-hour, wall-clock time in the rotation's time zone. */
        time: z
          .string()
          .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24-hour), e.g. "09:00"')
          .default('09:00'),
      })
      .strict()
      .prefault({}),
    /** IANA time zone of the hand-off time; the config's `timezone` when absent. */
    timeZone: z.string().min(1).optional(),
    /** YYYY-MM-DD, a hand-off weekday: the day `members[0]` takes over. */
    start: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
      .optional(),
  })
  .strict();

export type RotationConfig = z.infer<typeof rotationSchema>;

export interface RotationTurn {
  /** Who holds the role from `since` until `until`. */
  userId: string;
  since: Date;
  until: Date;
  /** Who takes over at `until`. */
  nextUserId: string;
}

const MS_PER_DAY = 86_400_000;
type Day = { year: number; month: number; day: number };

/** Days since 1970-01-01 of a calendar day (no time zone: a label, not an instant). */
const dayNumber = (d: Day) => Math.round(Date.UTC(d.year, d.month - 1, d.day) / MS_PER_DAY);
const fromDayNumber = (n: number): Day => {
  const d = new Date(n * MS_PER_DAY);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
};
const weekdayOf = (n: number) => (((n + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday (4).

/** `2026-03-09` → its parts when it is a real calendar day, else null. */
export function parseDay(text: string): Day | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  const d = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  const back = fromDayNumber(dayNumber(d));
  return back.year === d.year && back.month === d.month && back.day === d.day ? d : null;
}

/** The day number of the first hand-off: `start`, or the first hand-off weekday on or after the epoch. */
function startDay(r: RotationConfig): number {
  const given = r.start ? parseDay(r.start) : null;
  if (given) return dayNumber(given);
  const epoch = dayNumber(parseDay(DEFAULT_ROTATION_EPOCH)!);
  const want = WEEKDAYS.indexOf(r.handoff.weekday);
  return epoch + ((want - weekdayOf(epoch) + 7) % 7);
}

function handoffInstant(dayNum: number, time: string, timeZone: string): Date {
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  return new Date(wallTimeToInstant({ ...fromDayNumber(dayNum), hour, minute }, timeZone));
}

const mod = (a: number, n: number) => ((a % n) + n) % n;

/** Who holds a rotation at `at`, since when, until when, and who comes next. */
export function rotationTurn(r: RotationConfig, businessTimeZone: string, at: Date): RotationTurn {
  const tz = r.timeZone ?? businessTimeZone;
  const local = toLocal(at, tz);
  const today = dayNumber(local);
  const want = WEEKDAYS.indexOf(r.handoff.weekday);
  // The latest hand-off day on or before today; a hand-off later today has not happened yet.
  let day = today - mod(weekdayOf(today) - want, 7);
  if (handoffInstant(day, r.handoff.time, tz).getTime() > at.getTime()) day -= 7;
  const index = Math.round((day - startDay(r)) / 7);
  const n = r.members.length;
  return {
    userId: r.members[mod(index, n)]!,
    since: handoffInstant(day, r.handoff.time, tz),
    until: handoffInstant(day + 7, r.handoff.time, tz),
    nextUserId: r.members[mod(index + 1, n)]!,
  };
}

/** Problems of one rotation a schema cannot see, each with the key under `rotation` it concerns. */
export function rotationProblems(r: RotationConfig, roleMembers: readonly string[]): { path: (string | number)[]; message: string }[] {
  const out: { path: (string | number)[]; message: string }[] = [];
  r.members.forEach((m, i) => {
    if (!/^[UW][A-Z0-9]{2,20}$/.test(m)) out.push({ path: ['members', i], message: `"${m}" is not a Slack user id (U… or W…)` });
    else if (!roleMembers.includes(m))
      out.push({ path: ['members', i], message: `"${m}" is not in the role's members (rights follow the members: add them there too)` });
  });
  const seen = new Set<string>();
  r.members.forEach((m, i) => {
    if (seen.has(m)) out.push({ path: ['members', i], message: `"${m}" is listed twice` });
    seen.add(m);
  });
  if (r.timeZone !== undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: r.timeZone });
    } catch {
      out.push({ path: ['timeZone'], message: `"${r.timeZone}" is not an IANA time zone name` });
    }
  }
  if (r.start !== undefined) {
    const d = parseDay(r.start);
    if (!d) out.push({ path: ['start'], message: `"${r.start}" is not a calendar day` });
    else if (WEEKDAYS[weekdayOf(dayNumber(d))] !== r.handoff.weekday)
      out.push({ path: ['start'], message: `${r.start} is a ${WEEKDAYS[weekdayOf(dayNumber(d))]}, not the hand-off weekday (${r.handoff.weekday})` });
  }
  return out;
}

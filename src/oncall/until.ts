import { wallTimeToInstant } from '../schedule';
import { parseDay } from './rotation';

/** Cover longer than this is a typo (a year off) rather than a plan. */
export const MAX_COVER_DAYS = 92;

/**
 * The end of a cover, as typed after the person: `YYYY-MM-DD` (through that day: until midnight
 * at its end) or `YYYY-MM-DD HH:MM` / `YYYY-MM-DDTHH:MM` (24-hour), in the business time zone
 * like every other date the bot accepts. A time that has passed, or is more than
 * MAX_COVER_DAYS away, is refused with the reason.
 */
export function parseUntil(words: readonly string[], now: Date, timeZone: string): { at: Date } | { problem: string } {
  const text = words.join(' ').trim();
  const m = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{1,2}):(\d{2}))?$/.exec(text);
  const day = m ? parseDay(m[1]!) : null;
  if (!m || !day) return { problem: `Give the end of the cover as YYYY-MM-DD or YYYY-MM-DD HH:MM${text ? ` (not \`${text.slice(0, 40)}\`)` : ''}.` };
  let at: number;
  if (m[2] === undefined) {
    const next = new Date(Date.UTC(day.year, day.month - 1, day.day + 1));
    at = wallTimeToInstant({ year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate(), hour: 0, minute: 0 }, timeZone);
  } else {
    const hour = Number(m[2]);
    const minute = Number(m[3]);
    if (hour > 23 || minute > 59) return { problem: `${text} is not a time of day (HH:MM, 24-hour).` };
    at = wallTimeToInstant({ ...day, hour, minute }, timeZone);
  }
  if (at <= now.getTime()) return { problem: `${text} (${timeZone}) has already passed: cover must end in the future.` };
  if (at - now.getTime() > MAX_COVER_DAYS * 86_400_000) return { problem: `${text} is more than ${MAX_COVER_DAYS} days away; set a nearer end and renew it.` };
  return { at: new Date(at) };
}

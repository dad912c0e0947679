/**
 * Wall-clock ↔ instant conversion for an IANA timezone using only Intl (no tz library).
 * DST policy: a wall time that does not exist (inside the spring-forward gap, e.g. 02:30
 * in America/New_York) maps to the instant the clocks jump to, i.e. it is shifted forward
 * by the gap; a repeated wall time (fall back) maps to its first occurrence.
 */
interface WallDate {
  year: number;
  month: number; // 1-12
  day: number;
}

function parts(instant: Date, timeZone: string): Record<string, number> {
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  const out: Record<string, number> = {};
  for (const p of fmt.formatToParts(instant)) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return out;
}

/** Offset of `timeZone` from UTC at `instant`, in ms (New York in winter: -5 h). */
function offsetMs(instant: Date, timeZone: string): number {
  const p = parts(instant, timeZone);
  const asUtc = Date.UTC(p.year ?? 0, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0, p.second ?? 0);
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

export function localDate(instant: Date, timeZone: string): WallDate {
  const p = parts(instant, timeZone);
  return { year: p.year ?? 0, month: p.month ?? 1, day: p.day ?? 1 };
}

export function addDays(d: WallDate, days: number): WallDate {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + days));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

/** The instant at which the wall clock in `timeZone` shows `date` `hh:mm`. */
export function zonedInstant(date: WallDate, hhmm: string, timeZone: string): Date {
  const [hh, mm] = hhmm.split(':').map(Number);
  const wall = Date.UTC(date.year, date.month - 1, date.day, hh ?? 0, mm ?? 0);
  // The offset either side of the wall time covers both sides of any DST change that day.
  const offsets = new Set([offsetMs(new Date(wall - 86_400_000), timeZone), offsetMs(new Date(wall + 86_400_000), timeZone)]);
  const candidates = [...offsets].map((o) => wall - o).sort((a, b) => a - b);
  const exact = candidates.filter((c) => wall - offsetMs(new Date(c), timeZone) === c);
  const chosen = exact.length > 0 ? exact[0] : candidates[candidates.length - 1];
  return new Date(chosen ?? wall);
}

/** Most recent scheduled run of a daily `hh:mm` job at or before `now`. */
export function lastScheduledRun(now: Date, hhmm: string, timeZone: string): Date {
  const today = zonedInstant(localDate(now, timeZone), hhmm, timeZone);
  return today.getTime() <= now.getTime() ? today : zonedInstant(addDays(localDate(now, timeZone), -1), hhmm, timeZone);
}

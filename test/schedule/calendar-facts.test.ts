// Whole years 2026–2030 against calendar facts. The day tables were produced
// with Python's calendar module (an implementation independent of ours) and are
// re-derived below with a plain Date loop as a second check.
import { describe, expect, it } from 'vitest';
import { occurrencesBetween, parseCron, periodKeyFor } from '../../src/schedule/index';

const TZ = 'America/New_York';
const YEARS = [2026, 2027, 2028, 2029, 2030] as const;

const FIRST_MONDAY: Record<number, number[]> = {
  2026: [5, 2, 2, 6, 4, 1, 6, 3, 7, 5, 2, 7],
  2027: [4, 1, 1, 5, 3, 7, 5, 2, 6, 4, 1, 6],
  2028: [3, 7, 6, 3, 1, 5, 3, 7, 4, 2, 6, 4],
  2029: [1, 5, 5, 2, 7, 4, 2, 6, 3, 1, 5, 3],
  2030: [7, 4, 4, 1, 6, 3, 1, 5, 2, 7, 4, 2],
};
const LAST_FRIDAY: Record<number, number[]> = {
  2026: [30, 27, 27, 24, 29, 26, 31, 28, 25, 30, 27, 25],
  2027: [29, 26, 26, 30, 28, 25, 30, 27, 24, 29, 26, 31],
  2028: [28, 25, 31, 28, 26, 30, 28, 25, 29, 27, 24, 29],
  2029: [26, 23, 30, 27, 25, 29, 27, 31, 28, 26, 30, 28],
  2030: [25, 22, 29, 26, 31, 28, 26, 30, 27, 25, 29, 27],
};

const pad = (n: number) => String(n).padStart(2, '0');
const key = (y: number, m: number, d: number, time: string) => `${y}-${pad(m)}-${pad(d)}T${time}`;

function firstMonday(year: number, month: number): number {
  for (let d = 1; d <= 7; d++) if (new Date(Date.UTC(year, month - 1, d)).getUTCDay() === 1) return d;
  throw new Error('unreachable');
}
function lastFriday(year: number, month: number): number {
  let d = new Date(Date.UTC(year, month, 0)).getUTCDate();
  while (new Date(Date.UTC(year, month - 1, d)).getUTCDay() !== 5) d--;
  return d;
}

function keysIn(expr: string, year: number, tz = TZ): string[] {
  // Bounds padded by a day each side in UTC, then filtered to the local year.
  const all = occurrencesBetween(parseCron(expr), tz, new Date(Date.UTC(year - 1, 11, 30)), new Date(Date.UTC(year + 1, 0, 2)));
  return all.map((d) => periodKeyFor(d, tz)).filter((k) => k.startsWith(`${year}-`));
}

describe('calendar facts 2026–2030', () => {
  it('the independent tables agree with a plain Date loop', () => {
    for (const y of YEARS) {
      for (let m = 1; m <= 12; m++) {
        expect(FIRST_MONDAY[y]?.[m - 1]).toBe(firstMonday(y, m));
        expect(LAST_FRIDAY[y]?.[m - 1]).toBe(lastFriday(y, m));
      }
    }
  });

  it.each(YEARS)('first Monday of every month, %i (0 9 * * 1#1 and 0 9 1-7 * 1)', (y) => {
    const expected = FIRST_MONDAY[y]!.map((d, i) => key(y, i + 1, d, '09:00'));
    expect(keysIn('0 9 * * 1#1', y)).toEqual(expected);
    expect(keysIn('0 9 1-7 * 1', y)).toEqual(expected);
  });

  it.each(YEARS)('last Friday of every month, %i (0 14 * * 5L)', (y) => {
    expect(keysIn('0 14 * * 5L', y)).toEqual(LAST_FRIDAY[y]!.map((d, i) => key(y, i + 1, d, '14:00')));
  });

  it('last Friday covers the 31st, the 22nd, the 25th and leap February 2028', () => {
    const all = YEARS.flatMap((y) => keysIn('0 14 * * 5L', y));
    expect(all).toContain('2026-07-31T14:00'); // July 2026 ends on a Friday
    expect(all).toContain('2027-12-31T14:00'); // so does December 2027
    expect(all).toContain('2030-02-22T14:00'); // the earliest possible last Friday
    expect(all).toContain('2026-12-25T14:00');
    // 29 Feb 2028 is a Tuesday, so the last Friday is the 25th, not the 29th.
    expect(new Date(Date.UTC(2028, 1, 29)).getUTCDay()).toBe(2);
    expect(all).toContain('2028-02-25T14:00');
    expect(all.filter((k) => k.startsWith('2028-02'))).toEqual(['2028-02-25T14:00']);
  });

  it.each(YEARS)('first Monday of each quarter, %i (0 9 1-7 1,4,7,10 1)', (y) => {
    const expected = [1, 4, 7, 10].map((m) => key(y, m, FIRST_MONDAY[y]![m - 1]!, '09:00'));
    expect(keysIn('0 9 1-7 1,4,7,10 1', y)).toEqual(expected);
    expect(keysIn('0 9 * 1,4,7,10 1#1', y)).toEqual(expected);
  });

  it.each(YEARS)('last Friday of each quarter, %i (0 14 * 3,6,9,12 5L)', (y) => {
    const expected = [3, 6, 9, 12].map((m) => key(y, m, LAST_FRIDAY[y]![m - 1]!, '14:00'));
    expect(keysIn('0 14 * 3,6,9,12 5L', y)).toEqual(expected);
  });

  it('the monthly and the quarterly DR tests share the last Friday of Mar/Jun/Sep/Dec', () => {
    for (const y of YEARS) {
      const monthly = new Set(keysIn('0 14 * * 5L', y));
      for (const k of keysIn('0 14 * 3,6,9,12 5L', y)) expect(monthly.has(k)).toBe(true);
    }
  });

  it('a daily job runs 365 or 366 times a year; Mondays 52 or 53', () => {
    expect(YEARS.map((y) => keysIn('0 9 * * *', y).length)).toEqual([365, 365, 366, 365, 365]);
    expect(YEARS.map((y) => keysIn('0 9 * * 1', y).length)).toEqual([52, 52, 52, 53, 52]);
  });
});

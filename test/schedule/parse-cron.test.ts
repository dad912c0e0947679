import { describe, expect, it } from 'vitest';
import { CronParseError, dayMatches, parseCron } from '../../src/schedule/index';

describe('parseCron', () => {
  it('expands stars, lists, ranges and steps', () => {
    const spec = parseCron('*/15 8-10,14 1,15 * *');
    expect(spec.minutes).toEqual([0, 15, 30, 45]);
    expect(spec.hours).toEqual([8, 9, 10, 14]);
    expect(spec.dayOfMonth.days).toEqual([1, 15]);
    expect(spec.months).toHaveLength(12);
    expect(spec.dayOfWeek.any).toBe(true);
    expect(parseCron('0 0-23/6 * * *').hours).toEqual([0, 6, 12, 18]);
  });

  it('accepts month and weekday names in any case, and 7 as Sunday', () => {
    expect(parseCron('0 9 * JAN,apr,July,oct mon').months).toEqual([1, 4, 7, 10]);
    expect(parseCron('0 9 * * MON-FRI').dayOfWeek.days).toEqual([1, 2, 3, 4, 5]);
    expect(parseCron('0 9 * * 7').dayOfWeek.days).toEqual([0]);
    expect(parseCron('0 9 * * 5-7').dayOfWeek.days).toEqual([0, 5, 6]);
  });

  it('wraps ranges past the end of a field as node-cron does', () => {
    expect(parseCron('0 9 * * FRI-MON').dayOfWeek.days).toEqual([0, 1, 5, 6]);
    expect(parseCron('50-5 * * * *').minutes).toEqual([0, 1, 2, 3, 4, 5, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59]);
    expect(parseCron('0 22-2 * * *').hours).toEqual([0, 1, 2, 22, 23]);
  });

  it('parses L, L-n, W, dL and d#n forms', () => {
    expect(parseCron('0 9 L * *').dayOfMonth.last).toBe(true);
    expect(parseCron('0 9 L-2 * *').dayOfMonth.lastOffsets).toEqual([2]);
    expect(parseCron('0 9 15W * *').dayOfMonth.nearestWeekday).toEqual([15]);
    expect(parseCron('0 14 * * 5L').dayOfWeek.last).toEqual([5]);
    expect(parseCron('0 14 * * FRIL').dayOfWeek.last).toEqual([5]);
    expect(parseCron('0 9 * * 1#1').dayOfWeek.nth).toEqual([{ weekday: 1, nth: 1 }]);
    expect(parseCron('0 9 * * mon#2,7#3').dayOfWeek.nth).toEqual([
      { weekday: 1, nth: 2 },
      { weekday: 0, nth: 3 },
    ]);
  });

  it('treats ? as * and resolves nicknames', () => {
    expect(parseCron('0 9 ? * 1').dayOfMonth.any).toBe(true);
    expect(parseCron('@daily').times).toEqual([0]);
    expect(parseCron('@weekly').dayOfWeek.days).toEqual([0]);
  });

  it('ANDs day-of-month with day-of-week, as node-cron 4.6 does (not Vixie OR)', () => {
    const firstWeekMonday = parseCron('0 9 1-7 * 1');
    expect(dayMatches(firstWeekMonday, 2026, 3, 2)).toBe(true); // Monday the 2nd
    expect(dayMatches(firstWeekMonday, 2026, 3, 9)).toBe(false); // a Monday, but not in days 1–7
    expect(dayMatches(firstWeekMonday, 2026, 3, 3)).toBe(false); // in days 1–7, but a Tuesday
    expect(dayMatches(parseCron('0 9 13 * 5'), 2026, 2, 13)).toBe(true); // Friday the 13th
    expect(dayMatches(parseCron('0 9 13 * 5'), 2026, 3, 13)).toBe(true);
    expect(dayMatches(parseCron('0 9 13 * 5'), 2026, 4, 13)).toBe(false); // Monday the 13th
  });

  it('matches W like node-cron: nearest weekday, never leaving the month', () => {
    const spec = parseCron('0 9 1W * *');
    expect(dayMatches(spec, 2026, 8, 3)).toBe(true); // 1 Aug 2026 is a Saturday → Monday the 3rd
    expect(dayMatches(spec, 2026, 8, 1)).toBe(false);
    expect(dayMatches(parseCron('0 9 LW * *'), 2026, 5, 29)).toBe(true); // 31 May 2026 is a Sunday → Friday 29th
  });

  const bad: [string, RegExp][] = [
    ['', /empty/],
    ['* * * *', /expected 5 fields .* got 4/],
    ['0 0 9 * * *', /expected 5 fields .* got 6/],
    ['60 9 * * *', /minute: 60 is out of range 0-59/],
    ['0 24 * * *', /hour: 24 is out of range 0-23/],
    ['0 9 0 * *', /day-of-month: 0 is out of range 1-31/],
    ['0 9 * 13 *', /month: 13 is out of range 1-12/],
    ['0 9 * * 8', /day-of-week: 8 is out of range 0-7/],
    ['0 9 * FOO *', /month: "FOO" is not a number or a name/],
    ['0 9 * * 1#6', /day-of-week: .*1-5/],
    ['0 9 * * L', /day-of-week: "L" alone/],
    ['5/15 * * * *', /minute: step "5\/15" needs a range/],
    ['*/0 * * * *', /minute: step .* at least 1/],
    ['0 9 1,,2 * *', /day-of-month: empty item/],
    ['0 9 30 2 *', /never matches any date/],
    ['0 9 1 * 1#5', /never matches any date/],
    ['0 9 * * 1 extra', /expected 5 fields/],
    ['0 9 * * 1;', /characters/],
    ['0 9? * * *', /hour: "\?" is only allowed/],
    ['0 9 5X * *', /day-of-month/],
  ];
  it.each(bad)('rejects %j with a message naming the problem', (expr, message) => {
    expect(() => parseCron(expr)).toThrow(CronParseError);
    expect(() => parseCron(expr)).toThrow(message);
  });

  it('carries a code and the field on the error', () => {
    try {
      parseCron('0 25 * * *');
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'cron_parse_error', field: 'hour', expression: '0 25 * * *' });
    }
  });
});

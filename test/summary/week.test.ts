import { describe, expect, it } from 'vitest';
import { isoWeekOf, parseWeekKey, previousWeek, resolveWeekArg } from '../../src/summary/week';

const NY = 'America/New_York';

describe('ISO weeks in the business time zone', () => {
  it('a week runs from local Monday 00:00 to the next', () => {
    const w = isoWeekOf(new Date('2026-02-27T21:00:00Z'), NY);
    expect(w).toMatchObject({ key: '2026-W09', label: 'Mon 23 Feb – Sun 1 Mar 2026' });
    expect(w.start.toISOString()).toBe('2026-02-23T05:00:00.000Z');
    expect(w.end.toISOString()).toBe('2026-03-02T05:00:00.000Z');
  });

  it('uses the local date, not UTC: Sunday 23:30 in New York is still the old week', () => {
    expect(isoWeekOf(new Date('2026-03-02T04:30:00Z'), NY).key).toBe('2026-W09');
    expect(isoWeekOf(new Date('2026-03-02T05:00:00Z'), NY).key).toBe('2026-W10');
  });

  it('a DST week is 167 hours long', () => {
    const w = parseWeekKey('2026-W10', NY)!; // DST starts Sun 8 Mar 2026, the last day of W10
    expect((w.end.getTime() - w.start.getTime()) / 3_600_000).toBe(167);
  });

  it('year edges: 1 Jan 2027 is in 2026-W53, 29 Dec 2025 in 2026-W01', () => {
    expect(isoWeekOf(new Date('2027-01-01T17:00:00Z'), NY).key).toBe('2026-W53');
    expect(isoWeekOf(new Date('2025-12-29T17:00:00Z'), NY).key).toBe('2026-W01');
    expect(previousWeek(parseWeekKey('2027-W01', NY)!).key).toBe('2026-W53');
    expect(previousWeek(parseWeekKey('2026-W01', NY)!).key).toBe('2025-W52');
    expect(parseWeekKey('2026-W01', NY)!.label).toBe('Mon 29 Dec 2025 – Sun 4 Jan 2026');
  });

  it('parses this, last and YYYY-Www; rejects the rest', () => {
    const now = new Date('2026-03-02T14:00:00Z');
    expect(resolveWeekArg(undefined, now, NY)!.key).toBe('2026-W10');
    expect(resolveWeekArg('this', now, NY)!.key).toBe('2026-W10');
    expect(resolveWeekArg('LAST', now, NY)!.key).toBe('2026-W09');
    expect(resolveWeekArg('2026-w09', now, NY)!.key).toBe('2026-W09');
    expect(resolveWeekArg('2026-W54', now, NY)).toBeNull();
    expect(resolveWeekArg('2025-W53', now, NY)).toBeNull();
    expect(resolveWeekArg('2026-W00', now, NY)).toBeNull();
    expect(resolveWeekArg('next', now, NY)).toBeNull();
  });
});

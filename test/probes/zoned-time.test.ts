import { describe, expect, it } from 'vitest';
import { lastScheduledRun, zonedInstant } from '../../src/probes/zoned-time';

const NY = 'America/New_York';

describe('business-timezone schedule maths', () => {
  it('maps a wall time to UTC in winter and summer', () => {
    expect(zonedInstant({ year: 2026, month: 1, day: 15 }, '02:00', NY).toISOString()).toBe('2026-01-15T07:00:00.000Z');
    expect(zonedInstant({ year: 2026, month: 7, day: 15 }, '02:00', NY).toISOString()).toBe('2026-07-15T06:00:00.000Z');
    expect(zonedInstant({ year: 2026, month: 7, day: 1 }, '02:00', 'Asia/Kolkata').toISOString()).toBe('2026-06-30T20:30:00.000Z');
  });

  it('shifts a time inside the spring-forward gap to when the clocks jump (02:00 → 03:00 EDT)', () => {
    expect(zonedInstant({ year: 2026, month: 3, day: 8 }, '02:00', NY).toISOString()).toBe('2026-03-08T07:00:00.000Z');
    expect(zonedInstant({ year: 2026, month: 3, day: 8 }, '04:00', NY).toISOString()).toBe('2026-03-08T08:00:00.000Z');
  });

  it('takes the first occurrence of a repeated fall-back time', () => {
    expect(zonedInstant({ year: 2026, month: 11, day: 1 }, '01:30', NY).toISOString()).toBe('2026-11-01T05:30:00.000Z');
  });

  it('picks today’s run once it is due, otherwise yesterday’s', () => {
    expect(lastScheduledRun(new Date('2026-11-26T06:59:00Z'), '02:00', NY).toISOString()).toBe('2026-11-25T07:00:00.000Z');
    expect(lastScheduledRun(new Date('2026-11-26T07:00:00Z'), '02:00', NY).toISOString()).toBe('2026-11-26T07:00:00.000Z');
    // Late evening in New York is already the next day in UTC.
    expect(lastScheduledRun(new Date('2026-11-27T03:00:00Z'), '04:00', NY).toISOString()).toBe('2026-11-26T09:00:00.000Z');
  });
});

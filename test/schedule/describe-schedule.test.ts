import { describe, expect, it } from 'vitest';
import { describeSchedule } from '../../src/schedule/index';

describe('describeSchedule', () => {
  it.each([
    ['0 9 * * *', 'every day at 9:00'],
    ['30 9 * * *', 'every day at 9:30'],
    ['0 17 * * *', 'every day at 17:00'],
    ['0 9 * * 1', 'Mondays at 9:00'],
    ['0 9 * * MON', 'Mondays at 9:00'],
    ['0 14 * * 3', 'Wednesdays at 14:00'],
    ['0 9 * * 0,1', 'Mondays and Sundays at 9:00'],
    ['0 9 * * 1,3,5', 'Mondays, Wednesdays and Fridays at 9:00'],
    ['0 8 * * 1-5', 'weekdays at 8:00'],
    ['0 9 * * 1#1', 'the first Monday of the month at 9:00'],
    ['0 9 1-7 * 1', 'the first Monday of the month at 9:00'],
    ['0 14 * * 4#2', 'the second Thursday of the month at 14:00'],
    ['0 14 * * 5L', 'the last Friday of the month at 14:00'],
    ['0 9 1-7 1,4,7,10 1', 'the first Monday of each quarter at 9:00'],
    ['0 9 * 1,4,7,10 1#1', 'the first Monday of each quarter at 9:00'],
    ['0 14 * 3,6,9,12 5L', 'the last Friday of each quarter at 14:00'],
    ['0 6 L * *', 'the last day of the month at 6:00'],
    ['0 6 1 * *', 'the 1st of the month at 6:00'],
    ['0 6 22 * *', 'the 22nd of the month at 6:00'],
  ])('%s → %s', (expr, words) => {
    expect(describeSchedule(expr)).toBe(words);
  });

  it.each([
    '*/15 * * * *', // several times a day
    '0 9 * 2 *', // a month subset that is not a quarter
    '0 9 13 * 5', // Friday the 13th
    '0 9 * * 1#1,5L',
    'not a cron',
  ])('falls back to the raw expression for %j', (expr) => {
    expect(describeSchedule(expr)).toBe(expr);
  });
});

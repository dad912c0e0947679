import { describe, expect, it } from 'vitest';
import { nextOccurrence, occurrencesBetween, parseCron, periodKeyFor, previousOccurrence } from '../../src/schedule/index';

const NY = 'America/New_York';
const LONDON = 'Europe/London';
const iso = (d: Date | null) => d?.toISOString();
const utc = (s: string) => new Date(s);

/** The single occurrence of `expr` on local day `date` (found from the previous UTC day). */
function onDay(expr: string, tz: string, date: string): string[] {
  const from = new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000);
  const to = new Date(Date.parse(`${date}T00:00:00Z`) + 2 * 86_400_000);
  return occurrencesBetween(parseCron(expr), tz, from, to)
    .filter((d) => periodKeyFor(d, tz).startsWith(date))
    .map((d) => d.toISOString());
}

// DST change days (from the IANA database via Python's zoneinfo).
const NY_CHANGES = [
  ['2026-03-08', '2026-11-01'],
  ['2027-03-14', '2027-11-07'],
  ['2028-03-12', '2028-11-05'],
  ['2029-03-11', '2029-11-04'],
  ['2030-03-10', '2030-11-03'],
] as const;
const LONDON_CHANGES = [
  ['2026-03-29', '2026-10-25'],
  ['2027-03-28', '2027-10-31'],
  ['2028-03-26', '2028-10-29'],
  ['2029-03-25', '2029-10-28'],
  ['2030-03-31', '2030-10-27'],
] as const;

describe('a 9:00 job stays at 9:00 local across DST changes', () => {
  it.each(NY_CHANGES)('America/New_York %s / %s', (start, end) => {
    expect(onDay('0 9 * * *', NY, start)).toEqual([`${start}T13:00:00.000Z`]); // EDT, UTC-4
    expect(onDay('0 9 * * *', NY, end)).toEqual([`${end}T14:00:00.000Z`]); // EST, UTC-5
  });

  it.each(LONDON_CHANGES)('Europe/London %s / %s', (start, end) => {
    expect(onDay('0 9 * * *', LONDON, start)).toEqual([`${start}T08:00:00.000Z`]); // BST
    expect(onDay('0 9 * * *', LONDON, end)).toEqual([`${end}T09:00:00.000Z`]); // GMT
  });

  it('the UTC instant shifts by an hour from the day before to the day of the change', () => {
    expect(onDay('0 9 * * *', NY, '2026-03-07')).toEqual(['2026-03-07T14:00:00.000Z']);
    expect(onDay('0 9 * * *', NY, '2026-10-31')).toEqual(['2026-10-31T13:00:00.000Z']);
  });
});

describe('spring-forward gap: runs at the first instant after the gap, never skipped', () => {
  it.each(NY_CHANGES)('02:30 America/New_York on %s runs at 03:00 EDT', (start) => {
    const [run] = onDay('30 2 * * *', NY, start);
    expect(run).toBe(`${start}T07:00:00.000Z`);
    expect(periodKeyFor(new Date(run!), NY)).toBe(`${start}T03:00`);
  });

  it.each(LONDON_CHANGES)('01:30 Europe/London on %s runs at 02:00 BST', (start) => {
    expect(onDay('30 1 * * *', LONDON, start)).toEqual([`${start}T01:00:00.000Z`]);
  });

  it('the days around the gap keep 02:30', () => {
    expect(onDay('30 2 * * *', NY, '2026-03-07')).toEqual(['2026-03-07T07:30:00.000Z']);
    expect(onDay('30 2 * * *', NY, '2026-03-09')).toEqual(['2026-03-09T06:30:00.000Z']);
  });

  it('several gap times on one day collapse into one occurrence, later times are kept', () => {
    expect(onDay('*/15 2 * * *', NY, '2026-03-08')).toEqual(['2026-03-08T07:00:00.000Z']);
    expect(onDay('0,30 2,3 * * *', NY, '2026-03-08')).toEqual(['2026-03-08T07:00:00.000Z', '2026-03-08T07:30:00.000Z']);
  });

  it('nextOccurrence and previousOccurrence agree on the gap instant', () => {
    const spec = parseCron('30 2 * * *');
    expect(iso(nextOccurrence(spec, NY, utc('2026-03-08T06:59:00Z')))).toBe('2026-03-08T07:00:00.000Z');
    expect(iso(nextOccurrence(spec, NY, utc('2026-03-08T07:00:00Z')))).toBe('2026-03-09T06:30:00.000Z');
    expect(iso(previousOccurrence(spec, NY, utc('2026-03-08T07:00:00Z')))).toBe('2026-03-08T07:00:00.000Z');
    expect(iso(previousOccurrence(spec, NY, utc('2026-03-08T06:59:59Z')))).toBe('2026-03-07T07:30:00.000Z');
  });
});

describe('fall-back overlap: runs once, at the earlier (daylight-saving) instance', () => {
  it.each(NY_CHANGES)('01:30 America/New_York on %s', (_start, end) => {
    expect(onDay('30 1 * * *', NY, end)).toEqual([`${end}T05:30:00.000Z`]); // 01:30 EDT, not 06:30Z EST
  });

  it.each(LONDON_CHANGES)('01:30 Europe/London on %s', (_start, end) => {
    expect(onDay('30 1 * * *', LONDON, end)).toEqual([`${end}T00:30:00.000Z`]); // 01:30 BST, not 01:30Z GMT
  });

  it('from inside the repeated hour, the next run is tomorrow and the previous is the first 01:30', () => {
    const spec = parseCron('30 1 * * *');
    const secondOneFifteen = utc('2026-11-01T06:15:00Z'); // 01:15 EST, the second time round
    expect(iso(nextOccurrence(spec, NY, secondOneFifteen))).toBe('2026-11-02T06:30:00.000Z');
    expect(iso(previousOccurrence(spec, NY, secondOneFifteen))).toBe('2026-11-01T05:30:00.000Z');
    // Both 01:30s share one period key, so a tick in the repeated hour cannot claim twice.
    expect(periodKeyFor(utc('2026-11-01T05:30:00Z'), NY)).toBe(periodKeyFor(utc('2026-11-01T06:30:00Z'), NY));
  });

  it('an hourly job has 25 wall-clock hours on the long day but runs 24 times', () => {
    expect(onDay('0 * * * *', NY, '2026-11-01')).toHaveLength(24);
    expect(onDay('0 * * * *', NY, '2026-03-08')).toHaveLength(23); // 02:00 collapses into 03:00
  });
});

describe('half-hour offsets: Asia/Kolkata (UTC+05:30, no DST)', () => {
  it('9:00 is 03:30Z every day of the year', () => {
    const runs = occurrencesBetween(parseCron('0 9 * * *'), 'Asia/Kolkata', utc('2025-12-31T12:00:00Z'), utc('2026-12-31T12:00:00Z'));
    expect(runs).toHaveLength(365);
    expect(runs.every((d) => d.toISOString().endsWith('T03:30:00.000Z'))).toBe(true);
    expect(periodKeyFor(runs[0]!, 'Asia/Kolkata')).toBe('2026-01-01T09:00');
  });

  it('local midnight falls on the previous UTC day, and the local date decides the weekday', () => {
    const monday = nextOccurrence(parseCron('0 0 * * 1'), 'Asia/Kolkata', utc('2026-03-01T00:00:00Z'));
    expect(monday.toISOString()).toBe('2026-03-01T18:30:00.000Z'); // Monday 2 March 00:00 IST
    expect(periodKeyFor(monday, 'Asia/Kolkata')).toBe('2026-03-02T00:00');
  });
});

describe('next, previous and between agree', () => {
  const specs = ['0 9 * * *', '30 2 * * *', '0 14 * * 5L', '0 9 1-7 1,4,7,10 1', '*/20 1-3 * * 0', '0 17 * * 1-5'];
  const zones = [NY, LONDON, 'Asia/Kolkata', 'UTC'];
  // A fixed pseudo-random walk over 2026–2030, including DST change days.
  const instants = Array.from({ length: 40 }, (_, i) => new Date(Date.UTC(2026, 0, 1) + ((i * 7_919_993_777) % (5 * 365 * 86_400_000))));
  instants.push(utc('2026-03-08T06:59:00Z'), utc('2026-11-01T05:45:00Z'), utc('2026-10-25T00:45:00Z'));

  it.each(specs)('%s', (expr) => {
    const spec = parseCron(expr);
    for (const tz of zones) {
      for (const t of instants) {
        const next = nextOccurrence(spec, tz, t);
        const prev = previousOccurrence(spec, tz, t);
        expect(prev).not.toBeNull();
        expect(prev!.getTime()).toBeLessThanOrEqual(t.getTime());
        expect(next.getTime()).toBeGreaterThan(t.getTime());
        expect(occurrencesBetween(spec, tz, prev!, next)).toEqual([next]);
        expect(iso(previousOccurrence(spec, tz, new Date(next.getTime() - 1)))).toBe(iso(prev));
        expect(iso(nextOccurrence(spec, tz, prev!))).toBe(iso(next));
      }
    }
  });

  it('between is (from, to]: excludes from, includes to, empty when reversed', () => {
    const spec = parseCron('0 9 * * *');
    const a = utc('2026-06-01T13:00:00Z');
    const b = utc('2026-06-03T13:00:00Z');
    expect(occurrencesBetween(spec, NY, a, b).map(iso)).toEqual(['2026-06-02T13:00:00.000Z', '2026-06-03T13:00:00.000Z']);
    expect(occurrencesBetween(spec, NY, b, a)).toEqual([]);
  });

  it('rejects an unknown time zone and an invalid date', () => {
    expect(() => nextOccurrence(parseCron('0 9 * * *'), 'Mars/Olympus', new Date())).toThrow(/unknown time zone "Mars\/Olympus"/);
    expect(() => nextOccurrence(parseCron('0 9 * * *'), NY, new Date(NaN))).toThrow(/after is not a valid Date/);
  });
});

describe('performance', () => {
  it('a five-year scan of the maintenance calendar in three zones takes well under a second', () => {
    const calendar = [
      '0 9 * * *',
      '0 17 * * *',
      '0 9 * * 1',
      '0 14 * * 3',
      '0 16 * * 5',
      '0 9 * * 1#1',
      '0 14 * * 5L',
      '0 9 1-7 1,4,7,10 1',
      '0 14 * 3,6,9,12 5L',
      '30 9 * * *',
      '0 10 * * 2',
      '0 11 * * 1#1',
      '0 10 * * 4',
      '0 14 * * 4#1',
    ];
    const started = performance.now();
    let total = 0;
    for (const tz of [NY, LONDON, 'Asia/Kolkata']) {
      for (const expr of calendar) {
        total += occurrencesBetween(parseCron(expr), tz, utc('2026-01-01T00:00:00Z'), utc('2031-01-01T00:00:00Z')).length;
      }
    }
    expect(total).toBeGreaterThan(20_000);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

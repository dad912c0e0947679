// Cross-checks our occurrences against node-cron 4.6's own matcher (the
// ticker that runs in production), so the two never disagree about which
// minutes are due — except inside a DST gap, where we differ on purpose.
import cron from 'node-cron';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { nextOccurrence, occurrencesBetween, parseCron } from '../../src/schedule/index';

const created: { destroy(): void | Promise<void> }[] = [];
function nodeCronTask(expr: string, timezone: string) {
  const task = cron.createTask(expr, () => undefined, { timezone });
  created.push(task);
  return task;
}

afterEach(async () => {
  vi.useRealTimers();
  for (const task of created.splice(0)) await task.destroy();
});

const EXPRESSIONS = [
  '0 9 * * *',
  '0 9 * * 1',
  '0 9 * * 1#1',
  '0 14 * * 5L',
  '0 9 1-7 1,4,7,10 1',
  '0 14 * 3,6,9,12 5L',
  '0 9 13 * 5',
  '15 8 L * *',
  '0 7 15W * *',
  '*/30 9-10 * JAN-MAR MON-FRI',
  '0 8 * * FRI-MON',
  '45 23 L-2 * 7',
  '0 12 * * 0#5',
];
const ZONES = ['America/New_York', 'Europe/London', 'Asia/Kolkata'];

describe('agreement with node-cron', () => {
  it.each(EXPRESSIONS)('node-cron accepts %s and matches every occurrence we compute (2026–2028)', (expr) => {
    expect(cron.validate(expr)).toBe(true);
    for (const tz of ZONES) {
      const task = nodeCronTask(expr, tz);
      const runs = occurrencesBetween(parseCron(expr), tz, new Date('2026-01-01T00:00:00Z'), new Date('2029-01-01T00:00:00Z'));
      expect(runs.length).toBeGreaterThan(0);
      for (const run of runs) expect(task.match(run), `${expr} ${tz} ${run.toISOString()}`).toBe(true);
    }
  });

  it.each(EXPRESSIONS)('node-cron’s next runs equal ours for %s', (expr) => {
    vi.useFakeTimers({ toFake: ['Date'] });
    for (const tz of ZONES) {
      const task = nodeCronTask(expr, tz);
      for (const start of ['2026-01-01T00:00:00Z', '2027-06-15T12:34:00Z', '2028-02-27T23:00:00Z']) {
        vi.setSystemTime(new Date(start));
        const theirs = task.getNextRuns(6).map((d) => d.toISOString());
        const ours: string[] = [];
        let at = new Date(start);
        for (let i = 0; i < 6; i++) ours.push((at = nextOccurrence(parseCron(expr), tz, at)).toISOString());
        expect(ours, `${expr} ${tz} from ${start}`).toEqual(theirs);
      }
    }
  });

  it('differs on purpose inside the spring-forward gap: node-cron skips 02:30, we run at 03:00', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-03-07T12:00:00Z'));
    const task = nodeCronTask('30 2 * * *', 'America/New_York');
    const theirs = task.getNextRuns(2).map((d) => d.toISOString());
    expect(theirs).toEqual(['2026-03-09T06:30:00.000Z', '2026-03-10T06:30:00.000Z']);
    const ours = nextOccurrence(parseCron('30 2 * * *'), 'America/New_York', new Date('2026-03-07T12:00:00Z'));
    expect(ours.toISOString()).toBe('2026-03-08T07:00:00.000Z');
  });

  it('rejects what node-cron rejects among the forms we share', () => {
    for (const expr of ['5/15 * * * *', '60 * * * *', '0 9 * * 8', '0 9 30 2 *', '0 9 * * 1#6']) {
      expect(cron.validate(expr), expr).toBe(false);
      expect(() => parseCron(expr), expr).toThrow();
    }
  });
});

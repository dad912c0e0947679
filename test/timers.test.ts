import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { openDatabase, type Database } from '../src/db';
import { timers } from '../src/db/schema';
import { cancelTimers, scheduleTimer, sweepTimers, type TimerHandler } from '../src/timers';
import { onPostgres, openTestDatabase, type TestDatabase } from './support/db';

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database.destroy());

const t0 = new Date('2026-03-02T14:00:00Z');
const at = (min: number) => new Date(t0.getTime() + min * 60_000);

describe('timers', () => {
  it('fires due timers once, in due order, and leaves future and cancelled ones', async () => {
    const db = database.db;
    await scheduleTimer(db, { kind: 'a', refId: '1', step: 1, dueAt: at(15) });
    await scheduleTimer(db, { kind: 'a', refId: '1', step: 0, dueAt: at(0) });
    expect(await scheduleTimer(db, { kind: 'a', refId: '1', step: 0, dueAt: at(5) })).toBe(false); // same step again: no-op
    await scheduleTimer(db, { kind: 'a', refId: '2', step: 0, dueAt: at(1) });
    await cancelTimers(db, 'a', '2', at(0));
    const seen: string[] = [];
    const handler: TimerHandler = async (_tx, t) => void seen.push(`${t.refId}/${t.step}`);
    expect((await sweepTimers(db, at(14), { a: handler })).fired).toEqual([{ kind: 'a', refId: '1', step: 0 }]);
    expect((await sweepTimers(db, at(14), { a: handler })).fired).toEqual([]);
    expect((await sweepTimers(db, at(15), { a: handler })).fired).toEqual([{ kind: 'a', refId: '1', step: 1 }]);
    expect(seen).toEqual(['1/0', '1/1']);
  });

  it('a failing handler rolls back its writes, keeps the timer and records the error', async () => {
    const db = database.db;
    await scheduleTimer(db, { kind: 'boom', refId: 'x', dueAt: at(0) });
    const r = await sweepTimers(db, at(1), {
      boom: async (tx, t) => {
        await tx
          .update(timers)
          .set({ payload: { touched: true } })
          .where(eq(timers.id, t.id));
        throw new Error('slack down');
      },
    });
    expect(r.failed).toEqual([{ kind: 'boom', refId: 'x', step: 0, error: 'slack down' }]);
    const [row] = await db.select().from(timers).where(eq(timers.kind, 'boom'));
    expect(row).toMatchObject({ firedAt: null, attempts: 1, lastError: 'slack down', payload: {} });
    expect(row!.dueAt.getTime()).toBeGreaterThan(at(1).getTime());
  });

  it.runIf(onPostgres())('two sweepers on one PostgreSQL never fire a timer twice', async () => {
    const second: Database = await openDatabase({ url: database.url!, poolSize: 5 });
    try {
      for (let i = 0; i < 200; i += 1) await scheduleTimer(database.db, { kind: 'race', refId: String(i), dueAt: at(0) });
      const fired: string[] = [];
      const handler: TimerHandler = async (_tx, t) => {
        await new Promise((r) => setTimeout(r, Math.random() * 3));
        fired.push(t.refId);
      };
      await Promise.all([
        sweepTimers(database.db, at(1), { race: handler }, 500),
        sweepTimers(second.db, at(1), { race: handler }, 500),
        sweepTimers(database.db, at(1), { race: handler }, 500),
      ]);
      expect(fired).toHaveLength(200);
      expect(new Set(fired).size).toBe(200);
    } finally {
      await second.close();
    }
  });
});

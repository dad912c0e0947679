import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FairPglite } from '../../src/db/fair-pglite';

// The wrapper itself: PGlite only, whatever database the suite runs on.
describe('FairPglite: PGlite shared fairly with the event loop', () => {
  let pg: PGlite;
  let fair: FairPglite;
  beforeAll(async () => {
    pg = new PGlite();
    await pg.waitReady;
    fair = new FairPglite(pg);
    await pg.exec('create table t (n int primary key)');
  });
  afterAll(() => pg.close());

  it('lets a waiting socket (a macrotask) in between two queued statements', async () => {
    const order: string[] = [];
    const a = fair.query('select 1').then(() => order.push('a'));
    const b = fair.query('select 2').then(() => order.push('b'));
    // Queued after both statements; with plain PGlite it would run after both, because the
    // engine's queue moves on through promise callbacks only.
    setImmediate(() => order.push('io'));
    await Promise.all([a, b]);
    await new Promise((r) => setImmediate(r));
    expect(order.indexOf('io')).toBeLessThan(order.indexOf('b'));
  });

  it('keeps arrival order and survives a failing statement', async () => {
    const results = await Promise.allSettled([
      fair.query('insert into t values (1)'),
      fair.query('insert into t values (1)'), // duplicate key
      fair.query<{ n: number }>('select count(*)::int as n from t'),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[2] as PromiseFulfilledResult<{ rows: { n: number }[] }>).value.rows[0]!.n).toBe(1);
  });

  it('runs a transaction alone: a statement queued meanwhile sees it whole, and a rollback leaves nothing', async () => {
    const tx = fair.transaction(async (t) => {
      await t.query('insert into t values (10)');
      await new Promise((r) => setTimeout(r, 20)); // outside work while holding the engine
      await t.query('insert into t values (11)');
      return 'done';
    });
    const seen = fair.query<{ n: number }>('select count(*)::int as n from t where n >= 10');
    expect(await tx).toBe('done');
    expect((await seen).rows[0]!.n).toBe(2);

    await expect(
      fair.transaction(async (t) => {
        await t.query('insert into t values (20)');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect((await fair.query<{ n: number }>('select count(*)::int as n from t where n = 20')).rows[0]!.n).toBe(0);
  });
});

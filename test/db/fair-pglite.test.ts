import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
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

  it("keeps drizzle's text types in its own parser table: drizzle's queries reach PGlite without parsers to copy, and parse as on plain PGlite", async () => {
    const mine = new PGlite();
    const plain = new PGlite();
    try {
      // What each query hands PGlite, observed on the instance (the call itself goes through).
      const handed: unknown[] = [];
      const query = mine.query.bind(mine);
      mine.query = ((...args: Parameters<PGlite['query']>) => {
        handed.push(args[2]?.parsers);
        return query(...args);
      }) as PGlite['query'];
      const db = drizzle(new FairPglite(mine) as unknown as PGlite);
      const q = sql`select '2026-12-01 10:00:00+00'::timestamptz as at, '2026-12-01 10:00'::timestamp as local, '2026-12-01'::date as d,
        interval '90 minutes' as i, array['2026-12-01 10:00:00+00'::timestamptz] as ats, 12.50::numeric as amount, 7::int as n, 'x'::text as s`;
      const expected = (await drizzle(plain).execute(q)).rows;
      // The overrides kept these as PostgreSQL's text for drizzle to map; the rest parsed by PGlite.
      expect(expected).toEqual([
        {
          at: '2026-12-01 10:00:00+00',
          local: '2026-12-01 10:00:00',
          d: '2026-12-01',
          i: '01:30:00',
          ats: '{"2026-12-01 10:00:00+00"}',
          amount: '12.50',
          n: 7,
          s: 'x',
        },
      ]);
      expect((await db.execute(q)).rows).toEqual(expected);
      expect((await db.execute(q)).rows).toEqual(expected);
      expect((await db.transaction((tx) => tx.execute(q))).rows).toEqual(expected);
      // Both queries and the one in the transaction (PGlite's transaction runs it through query()).
      expect(handed).toEqual([undefined, undefined, undefined]);

      // A parser of another type, or one that changes its text, stays with its query, and with it only.
      const fair = new FairPglite(mine);
      const custom = await fair.query<{ s: string; at: string }>("select 'x'::text as s, now() as at", [], {
        parsers: { 25: () => 'custom', 1184: () => 'then' },
      });
      expect(custom.rows).toEqual([{ s: 'custom', at: 'then' }]);
      expect(handed.at(-1)).toEqual({ 25: expect.any(Function), 1184: expect.any(Function) });
      const changed = await fair.query<{ at: string }>("select '2026-12-01 10:00:00+00'::timestamptz as at", [], {
        parsers: { 1184: (v: string) => `at ${v}` },
      });
      expect(changed.rows).toEqual([{ at: 'at 2026-12-01 10:00:00+00' }]);
      expect((await db.execute(sql`select 'x'::text as s, '2026-12-01 10:00:00+00'::timestamptz as at`)).rows).toEqual([
        { s: 'x', at: '2026-12-01 10:00:00+00' },
      ]);
    } finally {
      await mine.close();
      await plain.close();
    }
  });
});

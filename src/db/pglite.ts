import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { FairPglite } from './fair-pglite';
import { withTimeout, type Database, type Db, type OpenOptions } from './types';
import { pgliteOptions, preparePgliteDir, tuneWasmTiering } from './pglite-dir';
import * as schema from './schema';

/** The embedded database (loaded by `openDatabase` only when no PostgreSQL URL is given). */
export async function openPglite(opts: OpenOptions, migrationsDir: string): Promise<Database> {
  let client = opts.pglite;
  if (!client) {
    tuneWasmTiering();
    const dir = opts.dataDir ? join(opts.dataDir, 'pglite') : undefined;
    if (dir) {
      mkdirSync(dir, { recursive: true });
      opts.onDataDir?.(await preparePgliteDir(dir, migrationsDir));
    }
    client = dir ? new PGlite(dir, pgliteOptions()) : new PGlite(pgliteOptions());
  }
  await client.waitReady;
  const pg = client;
  // drizzle only calls query() and transaction(), which FairPglite provides.
  const db = drizzlePglite(new FairPglite(pg) as unknown as PGlite, { schema }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    ping: async (ms = 2000) => {
      await withTimeout(pg.query('select 1'), ms, 'database ping');
    },
    // One process owns a PGlite directory, so no lock is needed.
    migrate: () => migratePglite(drizzlePglite(pg, { schema }), { migrationsFolder: migrationsDir }),
    close: async () => {
      if (!pg.closed) await pg.close();
    },
  };
}

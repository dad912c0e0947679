import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import { inject } from 'vitest';
import { openDatabase, type Database } from '../../src/db';
import { pgliteOptions } from '../../src/db/pglite-dir';

export interface TestDatabase extends Database {
  /** postgres:// URL of this test's own database (PostgreSQL mode), for a second replica. */
  url?: string;
  /** Closes and, on PostgreSQL, drops the test's database. */
  destroy(): Promise<void>;
}

export const onPostgres = (): boolean => Boolean(process.env.DATABASE_URL);

/**
 * A migrated database of the suite's kind: a PGlite restored from the run's snapshot, or (with
 * DATABASE_URL) a fresh PostgreSQL database copied from the migrated template.
 */
export async function openTestDatabase(): Promise<TestDatabase> {
  const base = process.env.DATABASE_URL;
  if (!base) {
    const blob = new Blob([readFileSync(inject('pgliteSnapshot'))]);
    // The bot's own settings (src/db/pglite-dir.ts), so every PGlite test runs its queries under them.
    const db = await openDatabase({ pglite: new PGlite({ ...pgliteOptions(), loadDataDir: blob }) });
    return { ...db, destroy: () => db.close() };
  }
  const name = `drainpro_t_${randomBytes(5).toString('hex')}`;
  const admin = postgres(base, { max: 1, onnotice: () => undefined });
  await admin.unsafe(`create database ${name} template ${inject('pgTemplate')}`);
  await admin.end();
  const u = new URL(base);
  u.pathname = `/${name}`;
  const url = u.toString();
  const db = await openDatabase({ url, poolSize: 5 });
  return {
    ...db,
    url,
    destroy: async () => {
      await db.close();
      const a = postgres(base, { max: 1, onnotice: () => undefined });
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { FairPglite } from './fair-pglite';
import { pgliteOptions, preparePgliteDir } from './pglite-dir';
import * as schema from './schema';

export { schema };
export { pgliteOptions } from './pglite-dir';
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction or the database itself: repositories accept either. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0] | Db;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Resolves when the database answers a trivial query within `timeoutMs`. */
  ping(timeoutMs?: number): Promise<void>;
  migrate(): Promise<void>;
  close(): Promise<void>;
}

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../drizzle', import.meta.url));
/** Arbitrary constant: the advisory lock every replica takes while migrating. */
const MIGRATION_LOCK_KEY = 7_240_119_001;

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export interface OpenOptions {
  /** postgres:// URL; when absent the embedded PGlite database is used. */
  url?: string;
  /** Directory of the embedded database; in memory when absent. */
  dataDir?: string;
  /** An already created PGlite instance (tests restore a migrated snapshot into one). */
  pglite?: PGlite;
  /** Connection pool size for PostgreSQL. */
  poolSize?: number;
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.url) return openPostgres(opts.url, opts.poolSize ?? 10);
  let client = opts.pglite;
  if (!client) {
    const dir = opts.dataDir ? join(opts.dataDir, 'pglite') : undefined;
    if (dir) {
      mkdirSync(dir, { recursive: true });
      await preparePgliteDir(dir, MIGRATIONS_DIR);
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
    migrate: () => migratePglite(drizzlePglite(pg, { schema }), { migrationsFolder: MIGRATIONS_DIR }),
    close: async () => {
      if (!pg.closed) await pg.close();
    },
  };
}

function openPostgres(url: string, max: number): Database {
  const client = postgres(url, { max, onnotice: () => undefined, connect_timeout: 5, idle_timeout: 30 });
  const db = drizzlePostgres(client, { schema }) as unknown as Db;
  return {
    db,
    kind: 'postgres',
    ping: async (ms = 2000) => {
      await withTimeout(client`select 1`, ms, 'database ping');
    },
    // drizzle's migrator takes no lock; concurrent first starts would race on CREATE TABLE.
    // A session lock on one reserved connection (not the pool, which may hand the unlock to
    // another connection) serialises the replicas.
    migrate: async () => {
      const conn = await client.reserve();
      try {
        await conn`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
        try {
          await migratePostgres(drizzlePostgres(client, { schema }), { migrationsFolder: MIGRATIONS_DIR });
        } finally {
          await conn`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
        }
      } finally {
        conn.release();
      }
    },
    close: () => client.end({ timeout: 5 }),
  };
}

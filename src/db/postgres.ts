import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import * as schema from './schema';
import { withTimeout, type Database, type Db } from './types';

/** Arbitrary constant: the advisory lock every replica takes while migrating. */
const MIGRATION_LOCK_KEY = 7_240_119_001;

/** PostgreSQL at `url` (loaded by `openDatabase` only when a URL is given). */
export function openPostgres(url: string, max: number, migrationsDir: string): Database {
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
          await migratePostgres(drizzlePostgres(client, { schema }), { migrationsFolder: migrationsDir });
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

import { fileURLToPath } from 'node:url';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import * as schema from './schema';
import { withTimeout, type Database, type Db, type OpenOptions } from './types';

export { schema };
export type { Database, Db, OpenOptions, Tx } from './types';
export { withTimeout } from './types';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../drizzle', import.meta.url));
/** Arbitrary constant: the advisory lock every replica takes while migrating. */
const MIGRATION_LOCK_KEY = 7_240_119_001;

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.url) return openPostgres(opts.url, opts.poolSize ?? 10);
  // Loaded only in PGlite mode: with PostgreSQL the embedded engine's modules are never needed.
  const { openPglite } = await import('./pglite');
  return openPglite(opts, MIGRATIONS_DIR);
}

const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'the connection was reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found (DNS lookup failed)',
  ETIMEDOUT: 'timed out connecting',
  CONNECT_TIMEOUT: 'timed out connecting',
  EHOSTUNREACH: 'host unreachable',
  '28P01': 'authentication failed (check the user and password)',
  '28000': 'authentication failed (the server refused this user)',
  '3D000': 'the database does not exist',
  ERR_INVALID_URL: 'not a valid URL',
};

/**
 * Why the database at DATABASE_URL could not be opened, naming the variable and where it points
 * (host, port, database) but never the password: driver messages are not trusted to leave it out.
 */
export function databaseStartError(err: unknown, url: string): Error {
  let where = '';
  const secrets: string[] = [url];
  try {
    const u = new URL(url);
    where = ` (${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname})`;
    if (u.password) secrets.push(u.password, decodeURIComponent(u.password));
  } catch {
    // not a URL: nothing to show
  }
  const e = err as { code?: unknown; message?: unknown };
  const code = typeof e?.code === 'string' ? e.code : undefined;
  let why = (code && REASONS[code]) ?? (typeof e?.message === 'string' ? e.message : String(err));
  if (why === 'Invalid URL') why = REASONS.ERR_INVALID_URL!;
  for (const s of secrets) if (s) why = why.split(s).join('***');
  return new Error(`DATABASE_URL: cannot open the database${where}: ${why}`);
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

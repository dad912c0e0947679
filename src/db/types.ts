import type { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type * as schema from './schema';

/** What both engines (src/db/index.ts for PostgreSQL, src/db/pglite.ts) share, so neither imports the other. */
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

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** Where a PGlite data directory came from: already there, the build's template, the checkout's cached one, or initdb in a child process. */
export type PgliteDirSource = 'existing' | 'shipped template' | 'cached template' | 'initdb';

export interface OpenOptions {
  /** postgres:// URL; when absent the embedded PGlite database is used. */
  url?: string;
  /** Directory of the embedded database; in memory when absent. */
  dataDir?: string;
  /** An already created PGlite instance (tests restore a migrated snapshot into one). */
  pglite?: PGlite;
  /** Connection pool size for PostgreSQL. */
  poolSize?: number;
  /** Told how a PGlite `dataDir` was found or made (src/db/pglite-dir.ts `preparePgliteDir`). */
  onDataDir?: (source: PgliteDirSource) => void;
}

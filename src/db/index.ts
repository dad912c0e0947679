import { fileURLToPath } from 'node:url';
import * as schema from './schema';
import type { Database, OpenOptions } from './types';

export { schema };
export type { Database, Db, OpenOptions, PgliteDirSource, Tx } from './types';
export { withTimeout } from './types';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../drizzle', import.meta.url));

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  // Each engine's modules load only in its mode: PGlite's WebAssembly is never loaded with
  // PostgreSQL, nor the PostgreSQL driver with PGlite.
  if (opts.url) {
    const { openPostgres } = await import('./postgres');
    return openPostgres(opts.url, opts.poolSize ?? 10, MIGRATIONS_DIR);
  }
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

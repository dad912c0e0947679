import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';

/**
 * PostgreSQL settings for the embedded database, sized for one small team. PostgreSQL's defaults
 * (128 MB shared buffers, 4 MB per sort, 64 MB per index build) are for a server; in PGlite they
 * are WebAssembly memory in the bot's own process, and that memory never shrinks once touched.
 * Reads still hit the operating system's page cache, so small buffers cost little: measured in
 * BENCHMARKS.md (footprint).
 */
export const PGLITE_SETTINGS: Readonly<Record<string, string>> = {
  shared_buffers: '8MB',
  work_mem: '1MB',
  maintenance_work_mem: '8MB',
  temp_buffers: '1MB',
};

/** Options every PGlite of ours is opened with (the bot's, the tests', the bench's floor). */
export function pgliteOptions(): PGliteOptions {
  // startParams replaces PGlite's defaults, so they come first.
  return { startParams: [...PGlite.defaultStartParams, ...Object.entries(PGLITE_SETTINGS).flatMap(([k, v]) => ['-c', `${k}=${v}`])] };
}

const require = createRequire(import.meta.url);
/** CommonJS entries the short-lived set-up process loads (plain `node -e`, no loader needed). */
const CJS = {
  pglite: require.resolve('@electric-sql/pglite'),
  drizzle: require.resolve('drizzle-orm/pglite'),
  migrator: require.resolve('drizzle-orm/pglite/migrator'),
};
const PGLITE_VERSION = (JSON.parse(readFileSync(join(dirname(CJS.pglite), '..', 'package.json'), 'utf8')) as { version: string }).version;
/** Template data directories: initdb's output plus our migrations. */
const TEMPLATE_CACHE = fileURLToPath(new URL('../../node_modules/.cache/drainpro-ops/', import.meta.url));

const isDataDir = (dir: string) => existsSync(join(dir, 'PG_VERSION'));

/** What a template depends on: the PGlite version and every migration file. */
function templateKey(migrationsDir: string): string {
  const hash = createHash('sha256').update(PGLITE_VERSION);
  const files = (readdirSync(migrationsDir, { recursive: true }) as string[]).filter((f) => f.endsWith('.sql') || f.endsWith('_journal.json')).sort();
  for (const f of files) hash.update(f).update(readFileSync(join(migrationsDir, f)));
  return `pglite-${PGLITE_VERSION}-${hash.digest('hex').slice(0, 12)}`;
}

/**
 * Runs initdb and the migrations into `dir` in a child node process, whose memory goes back to the
 * system when it exits (initdb alone grows a WebAssembly heap by ~600 MB, and a heap never shrinks).
 */
function setUpInChild(dir: string, migrationsDir: string): Promise<void> {
  const script = [
    'const [pglite, drizzle, migrator, dir, migrationsFolder] = process.argv.slice(1);',
    'require(pglite).PGlite.create(dir)',
    '  .then((pg) => require(migrator).migrate(require(drizzle).drizzle(pg), { migrationsFolder }).then(() => pg.close()))',
    '  .catch((e) => { console.error(e && e.message); process.exit(1); });',
  ].join('\n');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script, CJS.pglite, CJS.drizzle, CJS.migrator, dir, migrationsDir], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { PATH: process.env.PATH ?? '' },
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-2000)));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 && isDataDir(dir) ? resolve() : reject(new Error(`database set-up process exited with ${code}: ${stderr.trim()}`)),
    );
  });
}

/**
 * The cached template for this PGlite version and these migrations, made once when missing
 * (a build step may call it, so that even the first start only copies).
 */
export async function pgliteTemplate(migrationsDir: string): Promise<string> {
  const key = templateKey(migrationsDir);
  const dir = join(TEMPLATE_CACHE, key);
  if (isDataDir(dir)) return dir;
  mkdirSync(TEMPLATE_CACHE, { recursive: true });
  // Made beside and renamed into place, so a concurrent first start never copies half a template.
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  try {
    await setUpInChild(tmp, migrationsDir);
    renameSync(tmp, dir);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    if (!isDataDir(dir)) throw err; // another process won the rename: use its template
  }
  // Templates of older migrations are 40 MB each and never used again.
  for (const old of readdirSync(TEMPLATE_CACHE)) {
    if (old.startsWith('pglite-') && old !== key && !old.includes('.tmp-')) rmSync(join(TEMPLATE_CACHE, old), { recursive: true, force: true });
  }
  return dir;
}

/**
 * Makes `dir` a migrated PGlite data directory if it is empty or missing, without running initdb
 * or the first migrations in this process. A copy of the cached template is fastest; where
 * node_modules cannot be written (a read-only image) the set-up runs in a child process
 * straight into `dir`. `openDatabase` still migrates afterwards, which is then a check.
 */
export async function preparePgliteDir(dir: string, migrationsDir: string): Promise<void> {
  // Something else in the directory: left to PGlite, as before (we never delete what we did not make).
  if (existsSync(dir) && readdirSync(dir).length > 0) return;
  let source: string | undefined;
  try {
    source = await pgliteTemplate(migrationsDir);
  } catch {
    source = undefined;
  }
  if (source) cpSync(source, dir, { recursive: true });
  else await setUpInChild(dir, migrationsDir);
}

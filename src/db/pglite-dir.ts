import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { constants, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import type { PgliteDirSource } from './types';

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

/**
 * PGlite's WebAssembly runs on V8's baseline compiler (Liftoff) only, never its optimiser.
 *
 * By default V8 compiles each function at once with Liftoff, and again with TurboFan once it has
 * run enough. PostgreSQL's own start-up sent hundreds of PGlite's functions to TurboFan (~250 ms of
 * CPU, ~45 MiB resident; an earlier pass raised the tiering budget for that). A few of PostgreSQL's
 * functions are so large that optimising one takes 24–37 MiB of compiler memory (malloc, on a
 * background thread; `--trace-wasm-compilation-times`), and those few still tiered up, within the
 * bot's first seconds and under its first load. Measured (BENCHMARKS.md, footprint, seventh pass):
 * that compilation was ~30 MiB of the peak under a burst of requests, and idle RSS held ~20 MiB of
 * it afterwards. On baseline code alone, a loop of inserts and selects ran as fast as with the
 * raised budget, and ~20 % slower than with V8's default tiering, which the bot has not used since.
 *
 * The flag is the process's, not PGlite's alone: it applies to all WebAssembly compiled after it,
 * undici's HTTP parser included (the bot's `fetch`: response_url follow-ups, probes). The footprint
 * bursts (600 follow-ups) and the ack bench measured the bot with it; PostgreSQL mode never sets it.
 * V8 names the flag "for testing"; test/db/wasm-tiering.test.ts checks that the bot's open path
 * still keeps TurboFan away from PGlite. Set before the first PGlite compiles.
 */
export function tuneWasmTiering(): void {
  setFlagsFromString('--liftoff-only');
}

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
/**
 * Template data directories (initdb's output plus our migrations), each `<key>/` with a manifest
 * `<key>.json` beside it. The build makes one into dist/pglite-template/ (scripts/build.mjs), so a
 * deployment's first start only copies; from a source checkout (tests, tsx) the template is made
 * on first use into node_modules/.cache/, which persists across runs.
 */
export const SHIPPED_TEMPLATES = fileURLToPath(new URL('../../pglite-template/', import.meta.url));
const NODE_MODULES = CJS.pglite.slice(0, CJS.pglite.lastIndexOf(`${sep}node_modules${sep}`) + `${sep}node_modules`.length);
export const CACHED_TEMPLATES = join(NODE_MODULES, '.cache', 'drainpro-ops');

const isDataDir = (dir: string) => existsSync(join(dir, 'PG_VERSION'));

/** What a template depends on: the PGlite version and every migration file. */
export function templateKey(migrationsDir: string): string {
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

interface TemplateManifest {
  key: string;
  /** Every file of the template (path relative to it) and its size: a cheap check that a copy is whole. */
  files: Record<string, number>;
}

function fileSizes(dir: string): Record<string, number> {
  const files: Record<string, number> = {};
  for (const f of (readdirSync(dir, { recursive: true }) as string[]).sort()) {
    const st = statSync(join(dir, f));
    if (st.isFile()) files[f] = st.size;
  }
  return files;
}

/** True when `dir` is a whole template for `key`: its manifest names the key and every file, at its size. */
export function isTemplate(dir: string, key: string): boolean {
  try {
    const manifest = JSON.parse(readFileSync(`${dir}.json`, 'utf8')) as TemplateManifest;
    if (manifest.key !== key || !isDataDir(dir)) return false;
    const actual = fileSizes(dir);
    const expected = Object.entries(manifest.files);
    return expected.length === Object.keys(actual).length && expected.every(([f, size]) => actual[f] === size);
  } catch {
    return false;
  }
}

/**
 * The template for this PGlite version and these migrations in `into` (default: the cache), made
 * when missing or damaged. The build calls it for dist/; from a checkout it is made on first use.
 */
export async function pgliteTemplate(migrationsDir: string, into = CACHED_TEMPLATES): Promise<string> {
  const key = templateKey(migrationsDir);
  const dir = join(into, key);
  if (isTemplate(dir, key)) return dir;
  mkdirSync(into, { recursive: true });
  // Made beside and renamed into place, so a concurrent first start never copies half a template;
  // the manifest comes last, so a template without one (a crash in between) is never used.
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  try {
    await setUpInChild(tmp, migrationsDir);
    const manifest: TemplateManifest = { key, files: fileSizes(tmp) };
    rmSync(`${dir}.json`, { force: true });
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
    writeFileSync(`${dir}.json.tmp-${process.pid}`, JSON.stringify(manifest));
    renameSync(`${dir}.json.tmp-${process.pid}`, `${dir}.json`);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    if (!isTemplate(dir, key)) throw err; // another process won the rename: use its template
  }
  // Templates of older migrations are 40 MB each and never used again.
  for (const old of readdirSync(into)) {
    if (old.startsWith('pglite-') && !old.startsWith(key) && !old.includes('.tmp-')) rmSync(join(into, old), { recursive: true, force: true });
  }
  return dir;
}

export interface TemplateDirs {
  /** Templates made by the build (read only); default dist/pglite-template/. */
  shipped?: string;
  /** Where a template is made when the build's is missing or stale; `false`: never. */
  cache?: string | false;
}

/**
 * Makes `dir` a migrated PGlite data directory if it is empty or missing, without running initdb
 * or the first migrations in this process: a copy of the build's template when it matches these
 * migrations and is whole, else of the cached one (made when missing); where neither can be had
 * (node_modules read-only, a damaged template) the set-up runs in a child process straight into
 * `dir`. `openDatabase` still migrates afterwards: a check, or the migrations newer than the copy.
 */
export async function preparePgliteDir(dir: string, migrationsDir: string, templates: TemplateDirs = {}): Promise<PgliteDirSource> {
  // Something else in the directory: left to PGlite, as before (we never delete what we did not make).
  if (existsSync(dir) && readdirSync(dir).length > 0) return 'existing';
  const key = templateKey(migrationsDir);
  const shipped = join(templates.shipped ?? SHIPPED_TEMPLATES, key);
  let source: string | undefined = isTemplate(shipped, key) ? shipped : undefined;
  const how: PgliteDirSource = source ? 'shipped template' : 'cached template';
  const cache = templates.cache ?? CACHED_TEMPLATES;
  if (!source && cache !== false) source = await pgliteTemplate(migrationsDir, cache).catch(() => undefined);
  if (!source) {
    await setUpInChild(dir, migrationsDir);
    return 'initdb';
  }
  // Copied beside and renamed over the empty directory: a start killed mid-copy leaves no half
  // data directory for the next start to open.
  const partial = `${dir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  cpSync(source, partial, { recursive: true, mode: constants.COPYFILE_FICLONE });
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
  return how;
}

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * PGlite opened in a fresh node, traced by V8 itself (`--trace-wasm-compilation-times` prints a line
 * per compiled WebAssembly function and the compiler used). `bot`: the bot's own path,
 * `openDatabase` on a DATA_DIR (src/db/pglite.ts calls `tuneWasmTiering` there), queried through
 * drizzle. `plain`: a PGlite on a copy of the same template with V8's defaults. Both run enough
 * queries that V8's default tiering sends PostgreSQL's functions to TurboFan.
 */
const CHILD = `
const { openDatabase, MIGRATIONS_DIR } = await import(process.env.DB_TS);
const { pgliteOptions, preparePgliteDir } = await import(process.env.PGLITE_DIR_TS);
const { PGlite } = await import('@electric-sql/pglite');
const { drizzle } = await import('drizzle-orm/pglite');
const { sql } = await import('drizzle-orm');
let db, close;
if (process.argv.includes('bot')) {
  const database = await openDatabase({ dataDir: process.env.DIR });
  ({ db, close } = database);
} else {
  await preparePgliteDir(process.env.DIR, MIGRATIONS_DIR);
  const pg = new PGlite(process.env.DIR, pgliteOptions());
  db = drizzle(pg);
  close = () => pg.close();
}
await db.execute(sql\`create table t (id serial primary key, body text)\`);
for (let i = 0; i < 300; i += 1) {
  await db.execute(sql\`insert into t (body) values (\${'x'.repeat(100)})\`);
  await db.execute(sql\`select count(*) from t where body like \${'x%'}\`);
}
await close();
`;

const root = mkdtempSync(join(tmpdir(), 'drainpro-wasm-tiering-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Functions compiled per compiler, for PGlite's module: the one with the most functions compiled. */
async function pgliteCompilations(mode: 'bot' | 'plain'): Promise<{ Liftoff: number; TurboFan: number }> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', '--trace-wasm-compilation-times', '--input-type=module', '-e', CHILD, mode],
    {
      env: {
        PATH: process.env.PATH,
        PGLITE_DIR_TS: resolve('src/db/pglite-dir.ts'),
        DB_TS: resolve('src/db/index.ts'),
        DIR: join(root, mode),
      },
      maxBuffer: 64 * 2 ** 20,
    },
  );
  // "Compiled function 0x55d1c0#2272 using TurboFan, took 50 ms and …": the address is the module's.
  const modules = new Map<string, { Liftoff: number; TurboFan: number }>();
  for (const m of stdout.matchAll(/^Compiled function (\w+)#\d+ using (Liftoff|TurboFan),/gm)) {
    const counts = modules.get(m[1]!) ?? { Liftoff: 0, TurboFan: 0 };
    counts[m[2] as 'Liftoff' | 'TurboFan'] += 1;
    modules.set(m[1]!, counts);
  }
  const pglite = [...modules.values()].sort((a, b) => b.Liftoff + b.TurboFan - (a.Liftoff + a.TurboFan))[0];
  if (!pglite) throw new Error(`V8 traced no WebAssembly compilation:\n${stdout.slice(0, 2000)}`);
  return pglite;
}

describe("PGlite's WebAssembly on V8's baseline compiler only", () => {
  it('never sends a PostgreSQL function to TurboFan as the bot opens it; V8 left to itself does', { timeout: 120_000 }, async () => {
    const [tuned, untuned] = await Promise.all([pgliteCompilations('bot'), pgliteCompilations('plain')]);
    // PostgreSQL ran on baseline code: over a thousand of its functions were compiled.
    expect(tuned.Liftoff).toBeGreaterThan(1000);
    expect(tuned.TurboFan).toBe(0);
    // The same work under V8's defaults optimises some (so the trace would show a regression).
    expect(untuned.Liftoff).toBeGreaterThan(1000);
    expect(untuned.TurboFan).toBeGreaterThan(20);
  });
});

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { MIGRATIONS_DIR, openDatabase, schema } from '../../src/db';
import { pgliteOptions, preparePgliteDir } from '../../src/db/pglite-dir';

const journal = JSON.parse(readFileSync(join(MIGRATIONS_DIR, 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] };

// The embedded database's own directory handling: PGlite only, whatever database the suite runs on.
describe('a PGlite data directory made without initdb in this process', () => {
  const root = mkdtempSync(join(tmpdir(), 'drainpro-pglite-dir-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  // The first run of a checkout makes the template (initdb in a child: seconds on a loaded machine).
  it('is a migrated copy of the template, opened with the small-team settings', { timeout: 60_000 }, async () => {
    const dir = join(root, 'fresh');
    const before = process.memoryUsage().rss;
    await preparePgliteDir(dir, MIGRATIONS_DIR);
    // initdb in this process would grow it by ~600 MiB for good (a WebAssembly heap never shrinks).
    expect((process.memoryUsage().rss - before) / 2 ** 20).toBeLessThan(100);
    expect(readdirSync(dir)).toContain('PG_VERSION');
    const pg = new PGlite(dir, pgliteOptions());
    try {
      const applied = await pg.query<{ n: number }>('select count(*)::int as n from drizzle.__drizzle_migrations');
      expect(applied.rows[0]!.n).toBe(journal.entries.length);
      const settings = await pg.query<{ shared_buffers: string }>('show shared_buffers');
      expect(settings.rows[0]!.shared_buffers).toBe('8MB');
      const workMem = await pg.query<{ work_mem: string }>('show work_mem');
      expect(workMem.rows[0]!.work_mem).toBe('1MB');
    } finally {
      await pg.close();
    }
  });

  it('openDatabase on a fresh DATA_DIR serves our tables, and its data survives a reopen', async () => {
    const dataDir = join(root, 'data');
    const first = await openDatabase({ dataDir });
    await first.migrate(); // a check only: the template is migrated
    await first.db.insert(schema.appState).values({ key: 'footprint-test', value: 'kept', updatedAt: new Date() });
    await first.close();
    const second = await openDatabase({ dataDir });
    const rows = await second.db.select().from(schema.appState).where(eq(schema.appState.key, 'footprint-test'));
    expect(rows.map((r) => r.value)).toEqual(['kept']);
    await second.close();
  });

  it('leaves a directory that already holds something to PGlite, untouched', async () => {
    const dir = join(root, 'occupied');
    mkdirSync(dir);
    writeFileSync(join(dir, 'notes.txt'), 'not ours');
    await preparePgliteDir(dir, MIGRATIONS_DIR);
    expect(readdirSync(dir)).toEqual(['notes.txt']);
  });
});

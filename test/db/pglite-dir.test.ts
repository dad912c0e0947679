import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { MIGRATIONS_DIR, openDatabase, schema } from '../../src/db';
import { isTemplate, pgliteOptions, pgliteTemplate, preparePgliteDir, templateKey } from '../../src/db/pglite-dir';

const journal = JSON.parse(readFileSync(join(MIGRATIONS_DIR, 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] };

/**
 * PostgreSQL's system identifier, the first 8 bytes of global/pg_control: initdb draws a new one,
 * so a data directory with its template's identifier was copied, and one without was initdb'd.
 */
const systemIdentifier = (dir: string) => readFileSync(join(dir, 'global', 'pg_control')).readBigUInt64LE(0);

async function migrationsApplied(dir: string): Promise<number> {
  const pg = new PGlite(dir, pgliteOptions());
  try {
    return (await pg.query<{ n: number }>('select count(*)::int as n from drizzle.__drizzle_migrations')).rows[0]!.n;
  } finally {
    await pg.close();
  }
}

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

  /** A copy of the checkout's template (made once) as a build would ship it: `<dir>/<key>/` and `<dir>/<key>.json`. */
  async function shippedTemplates(name: string): Promise<{ dir: string; template: string }> {
    const cached = await pgliteTemplate(MIGRATIONS_DIR);
    const dir = join(root, name);
    const key = templateKey(MIGRATIONS_DIR);
    cpSync(cached, join(dir, key), { recursive: true });
    cpSync(`${cached}.json`, join(dir, `${key}.json`));
    return { dir, template: join(dir, key) };
  }

  it("on a first start copies the build's template: no initdb ran, and the migrations are all there", { timeout: 60_000 }, async () => {
    const shipped = await shippedTemplates('shipped');
    expect(isTemplate(shipped.template, templateKey(MIGRATIONS_DIR))).toBe(true);
    const dir = join(root, 'from-shipped');
    // No cache to fall back on: the build's template is the only way besides initdb.
    expect(await preparePgliteDir(dir, MIGRATIONS_DIR, { shipped: shipped.dir, cache: false })).toBe('shipped template');
    expect(systemIdentifier(dir)).toBe(systemIdentifier(shipped.template));
    expect(await migrationsApplied(dir)).toBe(journal.entries.length);
    expect(readdirSync(root).filter((f) => f.endsWith('.partial'))).toEqual([]);
  });

  it('does not copy a damaged template: the damaged cache is made again, and the copy is whole', { timeout: 120_000 }, async () => {
    const key = templateKey(MIGRATIONS_DIR);
    const shipped = await shippedTemplates('damaged-shipped');
    truncateSync(join(shipped.template, 'global', 'pg_control'), 100);
    const cache = (await shippedTemplates('damaged-cache')).dir;
    rmSync(join(cache, `${key}.json`)); // a template whose manifest was never written (a crash while making it)
    const damagedId = systemIdentifier(join(cache, key));
    expect(isTemplate(shipped.template, key)).toBe(false);
    expect(isTemplate(join(cache, key), key)).toBe(false);

    const dir = join(root, 'from-damaged');
    const before = process.memoryUsage().rss;
    expect(await preparePgliteDir(dir, MIGRATIONS_DIR, { shipped: shipped.dir, cache })).toBe('cached template');
    // initdb ran again, in a child process: none of its memory stays in this one.
    expect((process.memoryUsage().rss - before) / 2 ** 20).toBeLessThan(100);
    expect(isTemplate(join(cache, key), key)).toBe(true);
    expect(systemIdentifier(join(cache, key))).not.toBe(damagedId);
    expect(systemIdentifier(dir)).toBe(systemIdentifier(join(cache, key)));
    expect(await migrationsApplied(dir)).toBe(journal.entries.length);
  });

  it('does not copy a template of older migrations: a new migration makes it stale', { timeout: 120_000 }, async () => {
    const shipped = await shippedTemplates('stale-shipped');
    // The migrations of a newer release: one more than the template holds.
    const migrations = join(root, 'newer-migrations');
    cpSync(MIGRATIONS_DIR, migrations, { recursive: true });
    const journalFile = join(migrations, 'meta', '_journal.json');
    const newer = JSON.parse(readFileSync(journalFile, 'utf8')) as {
      entries: { idx: number; when: number; tag: string; version: string; breakpoints: boolean }[];
    };
    const last = newer.entries.at(-1)!;
    newer.entries.push({ ...last, idx: last.idx + 1, when: last.when + 1000, tag: '9999_template_test' });
    writeFileSync(journalFile, JSON.stringify(newer));
    writeFileSync(join(migrations, '9999_template_test.sql'), 'CREATE TABLE "template_test" ("id" integer PRIMARY KEY);');
    expect(templateKey(migrations)).not.toBe(templateKey(MIGRATIONS_DIR));

    const dir = join(root, 'from-stale');
    expect(await preparePgliteDir(dir, migrations, { shipped: shipped.dir, cache: false })).toBe('initdb');
    expect(systemIdentifier(dir)).not.toBe(systemIdentifier(shipped.template));
    expect(await migrationsApplied(dir)).toBe(journal.entries.length + 1);
  });
});

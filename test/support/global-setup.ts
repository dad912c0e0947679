import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { MIGRATIONS_DIR, openDatabase } from '../../src/db';

function migrationsHash(): string {
  const h = createHash('sha256');
  for (const f of readdirSync(MIGRATIONS_DIR, { recursive: true }).map(String).sort()) {
    const p = join(MIGRATIONS_DIR, f);
    if (f.endsWith('.sql') || f.endsWith('.json')) h.update(f).update(readFileSync(p));
  }
  return h.digest('hex').slice(0, 12);
}

/**
 * Migrates once per run: a PGlite snapshot file (a fresh PGlite takes ~5 s to start, a restored
 * snapshot ~0.6 s) and, when DATABASE_URL is set, a PostgreSQL template database that each test
 * file copies.
 */
export default async function setup(project: TestProject) {
  const hash = migrationsHash();
  const cacheDir = join(process.cwd(), 'node_modules', '.cache', 'drainpro');
  mkdirSync(cacheDir, { recursive: true });
  const snapshot = join(cacheDir, `pglite-${hash}.tar`);
  if (!existsSync(snapshot)) {
    const pg = new PGlite();
    const db = await openDatabase({ pglite: pg });
    await db.migrate();
    const blob = await pg.dumpDataDir('none');
    // Written beside and renamed over: CI runs the PGlite and PostgreSQL suites side by side, and
    // a run must never read the other's half-written snapshot.
    const partial = `${snapshot}.${process.pid}`;
    writeFileSync(partial, Buffer.from(await blob.arrayBuffer()));
    renameSync(partial, snapshot);
    await pg.close();
  }
  project.provide('pgliteSnapshot', snapshot);

  const url = process.env.DATABASE_URL;
  if (url) {
    const template = `drainpro_tpl_${hash}`;
    const admin = postgres(url, { max: 1, onnotice: () => undefined });
    const exists = await admin`select 1 from pg_database where datname = ${template}`;
    if (exists.length === 0) {
      // Built under a temporary name and renamed when migrated, so a concurrent or interrupted
      // run never leaves (or copies) a half-built template.
      const building = `${template}_b${process.pid}`;
      await admin.unsafe(`drop database if exists ${building}`);
      await admin.unsafe(`create database ${building}`);
      const u = new URL(url);
      u.pathname = `/${building}`;
      const db = await openDatabase({ url: u.toString(), poolSize: 2 });
      await db.migrate();
      await db.close();
      try {
        await admin.unsafe(`alter database ${building} rename to ${template}`);
      } catch {
        await admin.unsafe(`drop database if exists ${building}`); // another run finished first
      }
    }
    await admin.end();
    project.provide('pgTemplate', template);
  } else {
    project.provide('pgTemplate', '');
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteSnapshot: string;
    pgTemplate: string;
  }
}

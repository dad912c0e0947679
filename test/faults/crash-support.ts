import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { build } from 'esbuild';
import { inject } from 'vitest';
import { openDatabase, type Database } from '../../src/db';
import { SlackWorkspace } from '../../sandbox/slack-workspace';
import { onPostgres, openTestDatabase, type TestDatabase } from '../support/db';
import { BOT_TOKEN } from '../support/slack-requests';
import type { CrashChildSpec } from './crash-child';

/** What the kill -9 drills share: lives of the bot in their own processes (test/faults/crash-child.ts). */

export { seededRandom as prng } from '../support/prng';
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface LogLine {
  life: number;
  time: number;
  msg: string;
  [k: string]: unknown;
}

export interface Life {
  n: number;
  proc: ChildProcess;
  logs: LogLine[];
  stderr: () => string;
  loaded: Promise<void>;
  ready: Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  goAt?: number;
  exitAt?: number;
  killedAt?: number;
  /** `ready <port>`, once the life serves. */
  readyLine?: string;
  go(spec: CrashChildSpec): void;
  status(): Promise<any>;
}

/** Spawns a life with plain node on the bundled child: it loads its modules and waits for its spec. */
export function spawnLife(bundle: string, n: number, lives: Life[]): Life {
  const proc = spawn(process.execPath, [bundle], { stdio: ['pipe', 'pipe', 'pipe'] });
  const logs: LogLine[] = [];
  let err = '';
  let buf = '';
  let onLoaded!: () => void;
  let onReady!: () => void;
  let onNotReady!: (e: Error) => void;
  const statusWaiters: ((s: any) => void)[] = [];
  const loaded = new Promise<void>((r) => (onLoaded = r));
  const ready = new Promise<void>((r, j) => ((onReady = r), (onNotReady = j)));
  ready.catch(() => undefined);
  const life: Life = {
    n,
    proc,
    logs,
    stderr: () => err,
    loaded,
    ready,
    exited: new Promise((r) =>
      proc.on('exit', (code, signal) => {
        life.exitAt = Date.now();
        onNotReady(new Error(`life ${n} exited (${code ?? signal}) before it was ready: ${err.slice(-2000)}`));
        r({ code, signal });
      }),
    ),
    go: (spec) => {
      life.goAt = Date.now();
      proc.stdin!.write(`${JSON.stringify(spec)}\n`);
    },
    status: () => {
      const p = new Promise<any>((r) => statusWaiters.push(r));
      proc.stdin!.write('status\n');
      return Promise.race([p, sleep(5000).then(() => ({ error: 'no status answer within 5 s' }))]);
    },
  };
  proc.stdin!.on('error', () => undefined); // writing to a killed life
  proc.stderr!.on('data', (d) => (err += d));
  proc.stdout!.on('data', (d) => {
    buf += d;
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      if (line === 'loaded') onLoaded();
      else if (line.startsWith('ready ')) {
        life.readyLine = line;
        onReady();
      } else if (line.startsWith('status ')) statusWaiters.shift()?.(JSON.parse(line.slice(7)));
      else if (line.startsWith('{')) logs.push({ ...JSON.parse(line), life: n });
    }
  });
  lives.push(life);
  return life;
}

/**
 * Bundles the child once (esbuild, packages left external): plain node starts it in ~2 s where
 * `node --import tsx` takes 5–10 s on this machine. `import.meta.url` is pinned per source file so
 * the migrations folder and package.json resolve as they do unbundled.
 */
export async function bundleChild(outDir: string): Promise<string> {
  const outfile = join(outDir, 'crash-child.mjs');
  await build({
    entryPoints: [join(process.cwd(), 'test/faults/crash-child.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile,
    logLevel: 'warning',
    plugins: [
      {
        name: 'pin-import-meta-url',
        setup(b) {
          b.onLoad({ filter: /\.ts$/ }, async (a) => ({
            contents: (await readFile(a.path, 'utf8')).replaceAll('import.meta.url', JSON.stringify(pathToFileURL(a.path).href)),
            loader: 'ts',
          }));
        },
      },
    ],
  });
  return outfile;
}

/**
 * What a drill's lives share, made before the first life: the bundled child, the Slack stand-in
 * (in this process, so its record of every call survives the kills), and a database that outlives
 * them: a fresh PostgreSQL database (DATABASE_URL) or a PGlite directory seeded from the snapshot.
 */
export class Drill {
  private constructor(
    readonly slack: SlackWorkspace,
    readonly bundle: string,
    private readonly bundleDir: string,
    private readonly pg: TestDatabase | undefined,
    private readonly dataDir: string | undefined,
  ) {}

  static async start(name: string): Promise<Drill> {
    // Inside the worktree (ignored /tmp/) so the bundle's bare imports resolve from node_modules.
    mkdirSync(join(process.cwd(), 'tmp'), { recursive: true });
    const bundleDir = mkdtempSync(join(process.cwd(), 'tmp', `${name}-`));
    const bundle = await bundleChild(bundleDir);
    const slack = await new SlackWorkspace(BOT_TOKEN).start();
    if (onPostgres()) return new Drill(slack, bundle, bundleDir, await openTestDatabase(), undefined);
    const dataDir = mkdtempSync(join(tmpdir(), `drainpro-${name}-`));
    const seeded = new PGlite(join(dataDir, 'pglite'), { loadDataDir: new Blob([readFileSync(inject('pgliteSnapshot'))]) });
    await seeded.waitReady;
    await seeded.close();
    return new Drill(slack, bundle, bundleDir, undefined, dataDir);
  }

  /** Where a life finds the database (a part of its spec). */
  get where(): Pick<CrashChildSpec, 'databaseUrl'> | Pick<CrashChildSpec, 'dataDir'> {
    return this.pg ? { databaseUrl: this.pg.url! } : { dataDir: this.dataDir! };
  }

  /** The database, opened here to check it once the last life has stopped; give it back to `release`. */
  async openDatabase(): Promise<Database> {
    return this.pg ?? (await openDatabase({ dataDir: this.dataDir! }));
  }

  async release(db: Database): Promise<void> {
    if (!this.pg) await db.close();
  }

  /** Kills the lives still running, then removes everything the drill made. */
  async close(lives: readonly Life[]): Promise<void> {
    for (const l of lives) if (l.exitAt === undefined) l.proc.kill('SIGKILL');
    await Promise.all(lives.map((l) => l.exited));
    await this.slack.close();
    await this.pg?.destroy();
    if (this.dataDir) rmSync(this.dataDir, { recursive: true, force: true });
    rmSync(this.bundleDir, { recursive: true, force: true });
  }
}

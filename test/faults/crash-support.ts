import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
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

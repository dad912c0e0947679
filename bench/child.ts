import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { PRODUCTION_ENV } from '../src/production-env';

export const TSX = join(process.cwd(), 'node_modules', '.bin', 'tsx');

export interface Served {
  url: string;
  responseBase: string;
  items: { value: string; channel: string; ts: string }[];
  pid: number;
  child: ChildProcess;
  /** Next stdout line starting with `prefix` (bounded). */
  line(prefix: string, ms?: number): Promise<string>;
  stop(): Promise<void>;
}

export interface Child<T> {
  ready: T;
  child: ChildProcess;
  /** Next stdout line starting with `prefix` (bounded); resolves to the rest of the line. */
  line(prefix: string, ms?: number): Promise<string>;
  stop(): Promise<void>;
}

/** Starts a bench script under tsx and waits for its `<readyPrefix> {json}` line. */
export async function spawnChild<T>(script: string, args: string[], readyPrefix: string, ms = 120_000): Promise<Child<T>> {
  // A bot under test (bench/serve.ts pglite|postgres…) gets the environment it ships with
  // (src/production-env.ts); the bare Bolt apps keep Node's defaults. Experiments (BENCHMARKS.md,
  // footprint): `<database>-defaultenv` is the bot without that environment, and
  // `<database>-semi<MiB>` has V8's young generation at 2 × <MiB> (NODE_OPTIONS=--max-semi-space-size=<MiB>).
  const target = script === 'bench/serve.ts' ? (args[0] ?? '') : '';
  const semi = /-semi(\d+)$/.exec(target);
  const env = {
    ...process.env,
    ...(/^(pglite|postgres)/.test(target) && !target.endsWith('-defaultenv') ? PRODUCTION_ENV : {}),
    ...(semi ? { NODE_OPTIONS: `--max-semi-space-size=${semi[1]}` } : {}),
  };
  const child = spawn(TSX, [script, ...args], { stdio: ['pipe', 'pipe', 'inherit'], env });
  let buf = '';
  const waiters: { prefix: string; resolve: (l: string) => void }[] = [];
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (d: string) => {
    buf += d;
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      const l = buf.slice(0, i);
      buf = buf.slice(i + 1);
      const w = waiters.findIndex((x) => l.startsWith(`${x.prefix} `));
      if (w >= 0) waiters.splice(w, 1)[0]!.resolve(l.slice(l.indexOf(' ') + 1));
    }
  });
  const line = (prefix: string, limit = 30_000) =>
    new Promise<string>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no ${prefix} from ${script} within ${limit} ms`)), limit);
      waiters.push({ prefix, resolve: (l) => (clearTimeout(t), resolve(l)) });
    });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(t);
  };
  try {
    return { ready: JSON.parse(await line(readyPrefix, ms)) as T, child, line, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Starts bench/serve.ts (the system under test) in a child process and waits for it. */
export async function serve(args: string[], ms = 120_000): Promise<Served> {
  const c = await spawnChild<Omit<Served, 'child' | 'line' | 'stop'>>('bench/serve.ts', args, 'BENCH_READY', ms);
  return { ...c.ready, child: c.child, line: c.line, stop: c.stop };
}

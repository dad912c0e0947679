import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

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

/** Starts bench/serve.ts in a child process and waits for its ready line. */
export async function serve(args: string[], ms = 120_000): Promise<Served> {
  const child = spawn(TSX, ['bench/serve.ts', ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  let buf = '';
  const waiters: { prefix: string; resolve: (l: string) => void }[] = [];
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (d: string) => {
    buf += d;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const l = buf.slice(0, i);
      buf = buf.slice(i + 1);
      const w = waiters.findIndex((x) => l.startsWith(x.prefix));
      if (w >= 0) waiters.splice(w, 1)[0]!.resolve(l.slice(l.indexOf(' ') + 1));
    }
  });
  const line = (prefix: string, limit = 30_000) =>
    new Promise<string>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no ${prefix} within ${limit} ms`)), limit);
      waiters.push({ prefix, resolve: (l) => (clearTimeout(t), resolve(l)) });
    });
  const ready = JSON.parse(await line('BENCH_READY', ms)) as Omit<Served, 'child' | 'line' | 'stop'>;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    ...ready,
    child,
    line,
    stop: async () => {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(t);
    },
  };
}

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import { inject } from 'vitest';
import { openTestDatabase, onPostgres } from './db';

/** Runs a command to completion; rejects with its output when it fails. */
export function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { cwd, env, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(' ')} failed: ${err.message}\n${stdout}\n${stderr}`));
      else resolve(`${stdout}${stderr}`);
    });
  });
}

/**
 * A copy of the project as a Docker build context would hold it: the files git tracks (and new
 * ones not ignored), without node_modules or dist/. `nodeModules: 'link'` points at the project's
 * own (no install); `'copy'` hard-links a copy of it that `npm prune` may cut down (hard links:
 * 400 MB in a second; pruning unlinks the copy's names, the originals stay).
 */
export async function copyProject(nodeModules: 'link' | 'copy'): Promise<string> {
  const root = process.cwd();
  const dir = mkdtempSync(join(tmpdir(), 'drainpro-image-'));
  const listed = await run('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], root);
  for (const file of listed.split('\0').filter(Boolean)) {
    const from = join(root, file);
    let isFile = false;
    try {
      isFile = statSync(from).isFile();
    } catch {
      // deleted in the work tree but still in the index
    }
    if (!isFile || file === 'node_modules') continue;
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    copyFileSync(from, join(dir, file));
  }
  const modules = realpathSync(join(root, 'node_modules'));
  if (nodeModules === 'link') {
    symlinkSync(modules, join(dir, 'node_modules'), 'dir');
  } else {
    await run('cp', ['-al', modules, join(dir, 'node_modules')], root).catch(() => run('cp', ['-a', modules, join(dir, 'node_modules')], root));
    // npm rewrites this file in place: it must not be a link to the project's own.
    rmSync(join(dir, 'node_modules', '.package-lock.json'), { force: true });
    copyFileSync(join(modules, '.package-lock.json'), join(dir, 'node_modules', '.package-lock.json'));
    rmSync(join(dir, 'node_modules', '.cache'), { recursive: true, force: true });
  }
  return dir;
}

export interface BotProcess extends ChildProcess {
  output(): string;
  /** Exit code (or 128 + signal number when killed by a signal). */
  exited: Promise<number>;
}

/** Starts a process with only the environment given (plus PATH and HOME), output collected. */
export function start(cmd: string, args: string[], cwd: string, env: Record<string, string>): BotProcess {
  const child = spawn(cmd, args, { cwd, env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? '/tmp', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number>((r) => child.on('exit', (code, signal) => r(code ?? 128 + (signal === 'SIGKILL' ? 9 : signal === 'SIGINT' ? 2 : 15))));
  return Object.assign(child, { output: () => out, exited });
}

/** Resolves with the exit code and how long it took, or with `undefined` if it is still running after `ms`. */
export async function exitWithin(p: BotProcess, ms: number): Promise<{ code: number; ms: number } | undefined> {
  const t0 = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const code = await Promise.race([p.exited, new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), ms)))]);
  clearTimeout(timer);
  return code === undefined ? undefined : { code, ms: Date.now() - t0 };
}

export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

export async function waitHealthy(url: string, p: BotProcess, ms = 45_000): Promise<Response> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.status === 200) return res;
    } catch {
      // not listening yet
    }
    if (p.exitCode !== null || Date.now() > until) throw new Error(`bot did not become healthy:\n${p.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** True when nothing accepts connections on the port any more. */
export function portClosed(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

/**
 * Where the spawned bot keeps its data: with DATABASE_URL a migrated database of its own, otherwise a
 * PGlite directory restored from the suite's migrated snapshot (a fresh one takes ~8 s to create);
 * `fresh`: an empty database or directory (the first start of a new deployment).
 */
export async function botDatabase(fresh = false): Promise<{ env: Record<string, string>; dataDir?: string; url?: string; destroy(): Promise<void> }> {
  if (onPostgres() && fresh) {
    // An empty database: the bot's own migrations run at its start.
    const base = process.env.DATABASE_URL!;
    const name = `drainpro_t_${randomBytes(5).toString('hex')}`;
    const admin = postgres(base, { max: 1, onnotice: () => undefined });
    await admin.unsafe(`create database ${name}`);
    await admin.end();
    const u = new URL(base);
    u.pathname = `/${name}`;
    const drop = async () => {
      const a = postgres(base, { max: 1, onnotice: () => undefined });
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
    };
    return { env: { DATABASE_URL: u.toString() }, url: u.toString(), destroy: drop };
  }
  if (onPostgres()) {
    const db = await openTestDatabase();
    return { env: { DATABASE_URL: db.url! }, url: db.url!, destroy: () => db.destroy() };
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'drainpro-data-'));
  if (!fresh) {
    const pg = new PGlite(join(dataDir, 'pglite'), { loadDataDir: new Blob([readFileSync(inject('pgliteSnapshot'))]) });
    await pg.close();
  }
  return { env: { DATA_DIR: dataDir }, dataDir, destroy: async () => rmSync(dataDir, { recursive: true, force: true }) };
}

/**
 * Kills (SIGKILL, by pid) any process still running in `dir`: a bot a failing test left orphaned
 * (the bug this suite guards against) must not outlive the run. Linux /proc; elsewhere a no-op.
 */
export function killLeftovers(dir: string): number[] {
  const killed: number[] = [];
  let pids: string[] = [];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return killed;
  }
  for (const pid of pids) {
    try {
      const cwd = readlinkSync(`/proc/${pid}/cwd`);
      if (cwd === dir || cwd.startsWith(`${dir}/`)) {
        process.kill(Number(pid), 'SIGKILL');
        killed.push(Number(pid));
      }
    } catch {
      // gone, or not ours to read
    }
  }
  return killed;
}

import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { stringify } from 'node:querystring';
import postgres from 'postgres';
import { signSlackRequest } from '../src/slack/verify';

/** The bench's own signing secret and token (loopback only; nothing real). */
export const SECRET = 'bench-signing-secret-0123456789';
export const TOKEN = 'xoxb-bench-token';
/** The shared dev server; each bench run makes and drops its own database on it. */
export const PG_BASE = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:54329/postgres';

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export interface Stats {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  errors: number;
}

export function stats(ms: number[], errors = 0): Stats {
  const s = [...ms].sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 10) / 10;
  return { n: s.length, p50: r(percentile(s, 50)), p95: r(percentile(s, 95)), p99: r(percentile(s, 99)), max: r(s.at(-1) ?? NaN), errors };
}

/** Posts one signed form; returns the latency to the full HTTP reply in ms. */
export async function postSignedForm(url: string, form: Record<string, string>): Promise<{ ms: number; status: number }> {
  const body = stringify(form);
  const headers = { 'content-type': 'application/x-www-form-urlencoded', ...signSlackRequest(SECRET, body, Math.floor(Date.now() / 1000)) };
  const t0 = performance.now();
  const res = await fetch(`${url}/slack/events`, { method: 'POST', headers, body });
  await res.arrayBuffer();
  return { ms: performance.now() - t0, status: res.status };
}

/** Creates an empty database on the shared server; `drop` removes it. */
export async function scratchDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `drainpro_bench_${randomBytes(4).toString('hex')}`;
  const admin = postgres(PG_BASE, { max: 1, onnotice: () => undefined });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const u = new URL(PG_BASE);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const a = postgres(PG_BASE, { max: 1, onnotice: () => undefined });
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

/** Resident set size (MiB) of a process and all its descendants (tsx runs node in a child). */
export function treeRssMiB(pid: number): number {
  let kb = 0;
  const walk = (p: number) => {
    try {
      const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'));
      kb += Number(m?.[1] ?? 0);
      const kids = execFileSync('pgrep', ['-P', String(p)], { encoding: 'utf8' })
        .split('\n')
        .filter(Boolean)
        .map(Number);
      for (const k of kids) walk(k);
    } catch {
      // gone, or no children
    }
  };
  walk(pid);
  return Math.round(kb / 102.4) / 10;
}

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function pool<T, R>(items: readonly T[], limit: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      for (;;) {
        const i = next++;
        if (i >= items.length) return;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}

/** Child scenarios print one line `BENCH_RESULT <json>`; the runner reads it. */
export function emit(result: unknown): void {
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`);
}

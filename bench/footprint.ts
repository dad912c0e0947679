/**
 * Footprint: start-up time of `src/main.ts` to the first 200 from /healthz (first start on an
 * empty database, then a restart on the same data), resident memory idle and right after 200
 * concurrent /ops help requests. Process-tree RSS (tsx runs node as a child).
 *   npx tsx bench/footprint.ts pglite|postgres
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SlackWorkspace } from '../sandbox/slack-workspace';
import { TSX } from './child';
import { emit, postSignedForm, scratchDatabase, SECRET, TOKEN, treeRssMiB } from './lib';

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

async function startMain(env: Record<string, string>, url: string) {
  const t0 = performance.now();
  const child = spawn(TSX, ['src/main.ts'], { env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  for (;;) {
    try {
      if ((await fetch(`${url}/healthz`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (performance.now() - t0 > 120_000) throw new Error('no 200 from /healthz within 120 s');
    await new Promise((r) => setTimeout(r, 20));
  }
  const startMs = Math.round(performance.now() - t0);
  return {
    startMs,
    pid: child.pid!,
    stop: async () => {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(t);
    },
  };
}

async function main() {
  const target = process.argv[2] ?? 'pglite';
  const slack = await new SlackWorkspace(TOKEN).start();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'drainpro-bench-'));
  const scratch = target === 'postgres' ? await scratchDatabase() : undefined;
  const env = { SLACK_BOT_TOKEN: TOKEN, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.apiUrl, PORT: String(port), ...(scratch ? { DATABASE_URL: scratch.url } : { DATA_DIR: dataDir }) };
  try {
    const first = await startMain(env, url);
    await first.stop();
    const second = await startMain(env, url);
    await new Promise((r) => setTimeout(r, 2000));
    const idleMiB = treeRssMiB(second.pid);
    let peak = idleMiB;
    const sampler = setInterval(() => (peak = Math.max(peak, treeRssMiB(second.pid))), 100);
    for (let round = 0; round < 3; round += 1) {
      await Promise.all(Array.from({ length: 200 }, () => postSignedForm(url, { command: '/ops', text: 'help', user_id: 'UALICE', channel_id: 'COPS', team_id: 'T0DRAIN', response_url: slack.responseUrl(randomUUID()), trigger_id: `t-${randomUUID()}` })));
    }
    clearInterval(sampler);
    const loadedMiB = Math.max(peak, treeRssMiB(second.pid));
    await second.stop();
    emit({ target, firstStartMs: first.startMs, restartMs: second.startMs, idleMiB, loadedMiB });
  } finally {
    await slack.close();
    await scratch?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

void main();

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startLoops, type Job, type Loops } from '../../jobs/loop';
import { loadEnv, SECRET_VARS } from '../../src/config/env';
import { systemClock, type Deps } from '../../src/deps';
import { createLogger } from '../../src/logger';
import { heartbeatJob } from '../../src/watchdog/heartbeat';
import { JobMonitor } from '../../src/watchdog/monitor';

// A local healthchecks.io: counts GETs per path.
let server: Server;
let base = '';
const hits: string[] = [];
let loops: Loops | undefined;
beforeEach(async () => {
  hits.length = 0;
  server = createServer((req, res) => {
    hits.push(req.url ?? '');
    res.end('OK');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  await loops?.stop();
  loops = undefined;
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const TOKEN = '5f1c2a9e-hb-token-0001';
function deps(url: string) {
  const env = loadEnv({ HEARTBEAT_URL: url });
  const logs: string[] = [];
  const logger = createLogger({ level: 'debug', secrets: SECRET_VARS.map((k) => env[k]), destination: { write: (l: string) => void logs.push(l) } });
  // The loop and the heartbeat read only env, clock and logger.
  return { deps: { env, clock: systemClock, logger } as unknown as Deps, logs };
}
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(cond: () => boolean, ms = 3000) {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await wait(10);
}
const okJob: Job = { name: 'sweep', everyMs: 20, run: async () => ({}) };

describe('heartbeat (dead-man switch) on the real loop', () => {
  it('GETs HEARTBEAT_URL every interval while the jobs succeed, never /fail, and never logs the URL', async () => {
    const { deps: d, logs } = deps(`${base}/ping/${TOKEN}`);
    const monitor = new JobMonitor();
    loops = startLoops(d, [okJob, heartbeatJob(monitor, { everyMs: 40 })], monitor.hooks);
    await until(() => hits.length >= 4);
    await loops.stop();
    expect(hits.length).toBeGreaterThanOrEqual(4);
    expect(new Set(hits)).toEqual(new Set([`/ping/${TOKEN}`]));
    expect(logs.join('\n')).not.toContain(TOKEN);
  });

  it('GETs <url>/fail once a job has failed 3 times in a row', async () => {
    const { deps: d, logs } = deps(`${base}/ping/${TOKEN}`);
    const monitor = new JobMonitor();
    const failing: Job = {
      name: 'outbox',
      everyMs: 10,
      run: async () => {
        throw new Error('database down');
      },
    };
    loops = startLoops(d, [failing, heartbeatJob(monitor, { everyMs: 40 })], monitor.hooks);
    await until(() => hits.filter((h) => h.endsWith('/fail')).length >= 2);
    await loops.stop();
    expect(hits.filter((h) => h === `/ping/${TOKEN}/fail`).length).toBeGreaterThanOrEqual(2);
    expect(hits.at(-1)).toBe(`/ping/${TOKEN}/fail`);
    expect(logs.join('\n')).toContain('heartbeat: reported failure');
    expect(logs.join('\n')).not.toContain(TOKEN);
  });

  it('stops pinging while a job has not completed for its interval plus the stall allowance', async () => {
    const { deps: d } = deps(`${base}/ping/${TOKEN}`);
    const monitor = new JobMonitor({ stalledAfterMs: 150 });
    const hung: Job = { name: 'checklist-schedule', everyMs: 20, run: () => new Promise(() => undefined) };
    loops = startLoops(d, [hung, heartbeatJob(monitor, { everyMs: 30 })], monitor.hooks);
    await wait(400); // stalled from ~170 ms
    const after = hits.length;
    await wait(300);
    expect(hits.length).toBe(after); // withheld: the outside service pages
    expect(after).toBeGreaterThan(0); // it did ping while the job was still within its allowance
    // stop() would wait for the hung run forever: the loop's timers are stopped by hand instead.
    void loops.stop();
    loops = undefined;
  });

  it('a ping that fails is a failed run whose error does not carry the token', async () => {
    const { deps: d } = deps(`http://127.0.0.1:1/ping/${TOKEN}`);
    const monitor = new JobMonitor();
    monitor.hooks.onStart?.([], new Date());
    const err = await heartbeatJob(monitor, { timeoutMs: 2000 })
      .run(d, new Date())
      .then(
        () => null,
        (e: Error) => e,
      );
    expect(err?.message).toMatch(/^heartbeat ping failed/);
    expect(err?.message).not.toContain(TOKEN);
  });

  it('without HEARTBEAT_URL it sends nothing', async () => {
    const d = { env: loadEnv({}), clock: systemClock, logger: createLogger({ level: 'silent' }) } as unknown as Deps;
    expect(await heartbeatJob(new JobMonitor()).run(d, new Date())).toEqual({ sent: 'off' });
  });
});

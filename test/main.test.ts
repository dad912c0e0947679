import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db';
import { checklistRuns } from '../src/db/schema';
import { SlackWorkspace } from '../sandbox/slack-workspace';
import { slashCommand } from '../sandbox/payloads';
import { BOT_TOKEN, postSigned, SIGNING_SECRET } from './support/slack-requests';

const TSX = join(process.cwd(), 'node_modules', '.bin', 'tsx');
const ROOT = pathToFileURL(`${process.cwd()}/`).href;

/**
 * A module-loader hook for the child: every file of this tree it loads (outside node_modules) is
 * appended to $LOADED_MODULES, so a test sees which parts of the tree a start touched — the
 * sandbox must stay unloaded in production, whatever imports it statically by mistake.
 */
const hookDir = mkdtempSync(join(tmpdir(), 'drainpro-hooks-'));
writeFileSync(
  join(hookDir, 'hooks.mjs'),
  `import { appendFileSync } from 'node:fs';
export async function load(url, context, nextLoad) {
  if (url.startsWith(${JSON.stringify(ROOT)}) && !url.includes('/node_modules/')) appendFileSync(process.env.LOADED_MODULES, url.slice(${ROOT.length}) + '\\n');
  return nextLoad(url, context);
}
`,
);
writeFileSync(join(hookDir, 'register.mjs'), `import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n`);

type Started = ChildProcess & { output: () => string; exited: Promise<number | null>; loaded: () => string[] };

function run(env: Record<string, string>, args: string[] = []): Started {
  const log = join(mkdtempSync(join(tmpdir(), 'drainpro-loaded-')), 'modules.txt');
  writeFileSync(log, '');
  const hook = { NODE_OPTIONS: `--import=${pathToFileURL(join(hookDir, 'register.mjs')).href}`, LOADED_MODULES: log };
  const child = spawn(TSX, ['src/main.ts', ...args], {
    env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? '/tmp', ...hook, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const loaded = () => [...new Set(readFileSync(log, 'utf8').split('\n').filter(Boolean))];
  return Object.assign(child, { output: () => out, exited, loaded });
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

async function waitHealthy(url: string, ms = 60_000): Promise<Response> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.status === 200) return res;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error('bot did not become healthy');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('npm start (src/main.ts)', () => {
  it('without Slack credentials starts the sandbox and prints one line with its address', async () => {
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'drainpro-sandbox-'));
    const p = run({ PORT: String(port), DATA_DIR: dataDir });
    try {
      await waitHealthy(`http://127.0.0.1:${port}`);
      expect(p.output()).toContain(`DrainPro Ops sandbox: http://localhost:${port}/ (no Slack credentials set; see README to connect a real workspace)`);
      const page = await fetch(`http://127.0.0.1:${port}/`);
      expect(await page.text()).toContain('DrainPro Ops');
      expect(existsSync(join(dataDir, 'sandbox', 'pglite'))).toBe(true);
      // The hook sees the sandbox when it is loaded (so its absence below means something).
      expect(p.loaded()).toContain('sandbox/start.ts');
    } finally {
      p.kill('SIGTERM');
      expect(await p.exited).toBe(0);
    }
    // The line stands out: no JSON log lines at the default sandbox log level.
    expect(p.output().trim().split('\n')).toHaveLength(1);
  }, 90_000);

  it('a bad variable or config file stops start-up naming the field', async () => {
    const bad = run({ PORT: 'eighty' });
    expect(await bad.exited).toBe(2);
    expect(bad.output()).toContain('PORT:');
    const cfg = join(mkdtempSync(join(tmpdir(), 'drainpro-main-')), 'ops.yaml');
    writeFileSync(cfg, 'checklists:\n  morning:\n    durationMinutes: zero\n');
    const badCfg = run({ OPS_CONFIG: cfg, SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET });
    expect(await badCfg.exited).toBe(2);
    expect(badCfg.output()).toMatch(/checklists\.0\.durationMinutes/);
    // Two tsx start-ups; on a loaded CI box each can take 10 s.
  }, 90_000);

  it('PORT takes only a decimal 1-65535: 0x1F90 and 1e3 stop start-up', async () => {
    const hex = run({ PORT: '0x1F90' });
    const exp = run({ PORT: '1e3' });
    expect(await hex.exited).toBe(2);
    expect(await exp.exited).toBe(2);
    expect(hex.output()).toContain('PORT: must be a decimal port number (1-65535)');
    expect(exp.output()).toContain('PORT: must be a decimal port number (1-65535)');
  }, 90_000);

  it('a DATABASE_URL that does not work stops start-up naming the variable, never the password', async () => {
    const password = 'S3cret-pa55word';
    const refusedPort = await freePort();
    // A server that speaks just enough of PostgreSQL's protocol to refuse the password.
    const fake = createServer((socket) => {
      socket.once('data', () => {
        const fields = Buffer.from(`${['SFATAL', 'VFATAL', 'C28P01', 'Mpassword authentication failed for user "ops"'].map((f) => `${f}\0`).join('')}\0`);
        const head = Buffer.alloc(5);
        head.write('E');
        head.writeInt32BE(fields.length + 4, 1);
        socket.end(Buffer.concat([head, fields]));
      });
    });
    await new Promise<void>((r) => fake.listen(0, '127.0.0.1', r));
    const fakePort = (fake.address() as { port: number }).port;
    const slackEnv = {
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: 'http://127.0.0.1:9/api/',
      PORT: String(await freePort()),
    };
    try {
      const refused = run({ ...slackEnv, DATABASE_URL: `postgres://ops:${password}@127.0.0.1:${refusedPort}/ops` });
      const denied = run({ ...slackEnv, DATABASE_URL: `postgres://ops:${password}@127.0.0.1:${fakePort}/ops` });
      const invalid = run({ ...slackEnv, DATABASE_URL: `postgres://ops:${password}/x@db:5432/ops` });
      expect(await refused.exited).toBe(1);
      expect(await denied.exited).toBe(1);
      expect(await invalid.exited).toBe(2);
      expect(refused.output()).toContain(`DATABASE_URL: cannot open the database (127.0.0.1:${refusedPort}/ops): connection refused`);
      expect(denied.output()).toContain(
        `DATABASE_URL: cannot open the database (127.0.0.1:${fakePort}/ops): authentication failed (check the user and password)`,
      );
      expect(invalid.output()).toContain('DATABASE_URL: is not a valid URL');
      for (const p of [refused, denied, invalid]) expect(p.output()).not.toContain(password);
    } finally {
      await new Promise((r) => fake.close(r));
    }
  }, 90_000);

  describe('with credentials, on the embedded database', () => {
    let slack: SlackWorkspace;
    const dataDir = mkdtempSync(join(tmpdir(), 'drainpro-data-'));
    beforeAll(async () => {
      slack = await new SlackWorkspace(BOT_TOKEN).start();
    });
    afterAll(() => slack.close());

    it('serves /healthz and /slack/events, and its data survives a restart', async () => {
      const port = await freePort();
      const env = { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.apiUrl, PORT: String(port), DATA_DIR: dataDir };
      const url = `http://127.0.0.1:${port}`;
      const first = run(env);
      try {
        const health = await waitHealthy(url);
        expect(await health.json()).toMatchObject({ status: 'ok', db: 'pglite', mode: 'http' });
        const res = await postSigned(url, slashCommand({ command: '/ops', text: 'morning', responseUrl: slack.responseUrl('m') }));
        expect(res.status).toBe(200);
        await slack.waitFor(() => slack.callsOf('chat.postMessage').length === 1, 10_000);
        // A production start never loads the sandbox (top-level sandbox/): it is imported
        // dynamically, only without credentials or with --demo.
        expect(first.loaded()).toContain('src/bot.ts');
        expect(first.loaded().filter((f) => f.startsWith('sandbox/'))).toEqual([]);
      } finally {
        first.kill('SIGTERM');
        expect(await first.exited).toBe(0);
      }
      expect(first.output()).not.toContain(SIGNING_SECRET);
      expect(first.output()).not.toContain(BOT_TOKEN);

      // `--demo` with credentials loads the stand-ins of the outside systems, not the sandbox workspace.
      const second = run(env, ['--demo']);
      try {
        await waitHealthy(url);
        expect(second.loaded()).toContain('sandbox/demo.ts');
        expect(second.loaded()).not.toContain('sandbox/start.ts');
      } finally {
        second.kill('SIGTERM');
        await second.exited;
      }
      const db = await openDatabase({ dataDir });
      const runs = await db.db.select().from(checklistRuns);
      await db.close();
      expect(runs).toHaveLength(1);
      expect(runs[0]!.messageTs).toBeTruthy();
    }, 150_000);
  });
});

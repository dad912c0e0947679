import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isTemplate, templateKey } from '../../src/db/pglite-dir';
import { PRODUCTION_ENV } from '../../src/production-env';
import { envPairs, execForm, parseDockerfile } from '../support/dockerfile';
import { botDatabase, copyProject, exitWithin, freePort, killLeftovers, portClosed, run, start, waitHealthy } from '../support/production';
import { slashCommand } from '../../sandbox/payloads';
import { SlackWorkspace } from '../../sandbox/slack-workspace';
import { BOT_TOKEN, postSigned, SIGNING_SECRET } from '../support/slack-requests';

/**
 * Docker cannot run on our machines, so this replays the Dockerfile itself, instruction by
 * instruction: the build stage's RUN lines in a copy of the project (its `npm ci` replaced by a
 * copy of the installed node_modules: same lockfile, no download), then the run stage's COPY
 * --from lines into an empty directory, its ENV, and its ENTRYPOINT and HEALTHCHECK as written.
 * An instruction this replay does not know fails the test, so it cannot drift from the file.
 */
const stages = parseDockerfile(readFileSync('Dockerfile', 'utf8'));
const [buildStage, runStage] = stages;

describe('the Docker image, replayed', () => {
  let buildDir: string;
  let appDir: string;
  let imageEnv: Record<string, string> = {};
  let entrypoint: string[] = [];
  let healthcheck: string[] = [];
  let slack: SlackWorkspace;

  beforeAll(async () => {
    expect(stages).toHaveLength(2);
    slack = await new SlackWorkspace(BOT_TOKEN).start();
    // Build stage.
    buildDir = await copyProject('copy');
    const workdir = buildStage!.steps.find((s) => s.op === 'WORKDIR')!.args;
    for (const step of buildStage!.steps) {
      if (step.op === 'WORKDIR') continue;
      if (step.op === 'COPY') {
        // The build context: copyProject laid it out already; check the named files are in it.
        for (const src of step.args.split(/\s+/).slice(0, -1)) expect(existsSync(join(buildDir, src))).toBe(true);
      } else if (step.op === 'RUN' && /^npm ci\b/.test(step.args)) {
        expect(existsSync(join(buildDir, 'node_modules', '.package-lock.json'))).toBe(true);
      } else if (step.op === 'RUN') {
        await run('sh', ['-c', step.args], buildDir, { PATH: process.env.PATH, HOME: process.env.HOME, npm_config_offline: 'true' });
      } else {
        throw new Error(`the replay does not know the build stage's ${step.op} ${step.args}`);
      }
    }
    // Run stage.
    appDir = mkdtempSync(join(tmpdir(), 'drainpro-app-'));
    for (const step of runStage!.steps) {
      if (step.op === 'ENV') imageEnv = { ...imageEnv, ...envPairs(step.args) };
      else if (step.op === 'COPY') {
        const [from, src, dest] = step.args.split(/\s+/);
        expect(from).toBe(`--from=${buildStage!.name}`);
        await run('cp', ['-al', join(buildDir, relative(workdir, src!)), join(appDir, dest!)], appDir);
      } else if (step.op === 'ENTRYPOINT') entrypoint = execForm(step.args);
      else if (step.op === 'HEALTHCHECK') healthcheck = execForm(step.args);
      else if (step.op === 'USER') expect(step.args).not.toMatch(/^(root|0)(:|$)/);
      else if (step.op === 'VOLUME') expect(execForm(step.args)).toContain(imageEnv.DATA_DIR);
      else if (step.op === 'EXPOSE') expect(step.args).toBe(imageEnv.PORT);
      // The data directory's ownership: here a fresh temporary directory stands for the volume.
      else if (step.op === 'RUN') expect(step.args).toContain(imageEnv.DATA_DIR);
      else if (step.op !== 'WORKDIR') throw new Error(`the replay does not know the run stage's ${step.op} ${step.args}`);
    }
  }, 120_000);

  afterAll(async () => {
    await slack?.close();
    for (const dir of [buildDir, appDir]) {
      if (!dir) continue;
      expect(killLeftovers(dir), 'a bot outlived its test').toEqual([]);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('holds no dev dependency, and needs no source: node_modules and dist/ only', () => {
    for (const dev of ['tsx', 'esbuild', 'vitest', 'typescript', 'drizzle-kit']) expect(existsSync(join(appDir, 'node_modules', dev))).toBe(false);
    expect(existsSync(join(appDir, 'node_modules', '@slack', 'bolt'))).toBe(true);
    expect(existsSync(join(appDir, 'src'))).toBe(false);
    expect(entrypoint).toEqual(['node', 'dist/main.js']);
    expect(imageEnv.NODE_ENV).toBe('production');
    // The environment the bot ships with, as the benchmarks measured it.
    for (const [k, v] of Object.entries(PRODUCTION_ENV)) expect(imageEnv[k], k).toBe(v);
  });

  it("ships a whole PGlite template data directory for today's migrations (made by the build, kept by the prune)", () => {
    const key = templateKey(join(appDir, 'dist', 'drizzle'));
    expect(isTemplate(join(appDir, 'dist', 'pglite-template', key), key)).toBe(true);
  });

  it('first start on an empty volume: migrates, passes its HEALTHCHECK, answers a signed command, stops on SIGTERM', async () => {
    const port = await freePort();
    const db = await botDatabase(true);
    const env = { ...imageEnv, ...db.env, PORT: String(port), SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.apiUrl };
    const bot = start(entrypoint[0]!, entrypoint.slice(1), appDir, env);
    try {
      const url = `http://127.0.0.1:${port}`;
      expect(await (await waitHealthy(url, bot)).json()).toMatchObject({ status: 'ok', version: JSON.parse(readFileSync('package.json', 'utf8')).version });
      await run(healthcheck[0]!, healthcheck.slice(1), appDir, { PATH: process.env.PATH, PORT: String(port) });
      const res = await postSigned(url, slashCommand({ command: '/ops', text: 'morning', responseUrl: slack.responseUrl('image') }));
      expect(res.status).toBe(200);
      await slack.waitFor(() => slack.callsOf('chat.postMessage').length >= 1, 15_000);
    } finally {
      bot.kill('SIGTERM');
    }
    const exit = await exitWithin(bot, 10_000);
    expect(exit, bot.output()).toMatchObject({ code: 0 });
    expect(await portClosed(port)).toBe(true);
    expect(bot.output()).not.toContain(SIGNING_SECRET);
    if (db.dataDir) {
      // A copy of the template: initdb would have drawn a new system identifier (global/pg_control's first 8 bytes).
      const key = templateKey(join(appDir, 'dist', 'drizzle'));
      const id = (dir: string) => readFileSync(join(dir, 'global', 'pg_control')).readBigUInt64LE(0);
      expect(id(join(db.dataDir, 'pglite'))).toBe(id(join(appDir, 'dist', 'pglite-template', key)));
      expect(bot.output()).toContain('"from":"shipped template"');
    }
    await db.destroy();
  }, 60_000);

  it('the healthcheck fails when nothing answers', async () => {
    const port = await freePort();
    await expect(run(healthcheck[0]!, healthcheck.slice(1), appDir, { PATH: process.env.PATH, PORT: String(port) })).rejects.toThrow();
  });

  it('`npm start` after `npm run build && npm prune --omit=dev` runs the built bot and stops on SIGTERM to npm', async () => {
    const port = await freePort();
    const db = await botDatabase();
    const env = { ...db.env, PORT: String(port), SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.apiUrl };
    const npm = start('npm', ['start'], buildDir, env);
    try {
      await waitHealthy(`http://127.0.0.1:${port}`, npm);
      // npm's one child is node itself, running the build with the environment the bot ships with.
      const [bot, ...others] = children(npm.pid!);
      expect(others).toEqual([]);
      expect(readFileSync(`/proc/${bot}/cmdline`, 'utf8').split('\0').filter(Boolean).slice(-1)).toEqual(['dist/main.js']);
      const environ = readFileSync(`/proc/${bot}/environ`, 'utf8').split('\0');
      for (const [k, v] of Object.entries(PRODUCTION_ENV)) expect(environ).toContain(`${k}=${v}`);
    } finally {
      npm.kill('SIGTERM');
    }
    // npm forwards the signal to the bot (the start script execs node: no shell in between to swallow it).
    const exit = await exitWithin(npm, 10_000);
    expect(exit, npm.output()).toMatchObject({ code: 0 });
    expect(await portClosed(port)).toBe(true);
    await db.destroy();
  }, 60_000);
});

/** A process's children (Linux: /proc/<pid>/task/<tid>/children). */
function children(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).flatMap((tid) => readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean).map(Number));
}

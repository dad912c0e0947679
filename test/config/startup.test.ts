import { spawn } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackWorkspace } from '../../sandbox/slack-workspace';
import { BOT_TOKEN, SIGNING_SECRET } from '../support/slack-requests';

/** A port nothing listens on now (PORT takes 1-65535, not 0). */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

let slack: SlackWorkspace;
beforeAll(async () => {
  slack = await new SlackWorkspace(BOT_TOKEN).start();
});
afterAll(() => slack.close());

/** `npm start` (src/main.ts) with an OPS_CONFIG and Slack credentials; resolves with its exit code and output. */
async function start(opsConfig: string, opts: { until?: RegExp } = {}): Promise<{ code: number | null; output: string; ms: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'drainpro-startup-'));
  const env = {
    PATH: process.env.PATH!,
    HOME: process.env.HOME ?? '/tmp',
    OPS_CONFIG: opsConfig,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    DATA_DIR: dataDir,
    PORT: String(await freePort()),
  };
  const child = spawn(join(process.cwd(), 'node_modules', '.bin', 'tsx'), ['src/main.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const began = Date.now();
  let output = '';
  return new Promise((resolve) => {
    const seen = () => {
      // A bot that started is stopped as soon as it has said what the test waits for.
      if (opts.until?.test(output)) child.kill('SIGTERM');
    };
    child.stdout.on('data', (d) => ((output += d), seen()));
    child.stderr.on('data', (d) => ((output += d), seen()));
    child.on('exit', (code) => resolve({ code, output, ms: Date.now() - began }));
  });
}

const dir = mkdtempSync(join(tmpdir(), 'drainpro-startup-cfg-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('start-up refuses a config that is half right', () => {
  it('an unknown key, an unknown role in a right or a level, and a file that is no file each stop start-up naming the path', async () => {
    const [key, right, level, device] = await Promise.all([
      start(file('key.yaml', 'roles:\n  tech-lead:\n    name: Technical Lead\n    member: [U0123]\n')),
      start(file('right.yaml', 'incidents:\n  rights:\n    resolve: [tech-leed]\n')),
      start(
        file(
          'level.yaml',
          'incidents:\n  chain:\n    - { id: ops-team, role: ops-team }\n    - { id: tech-lead, role: tech-lead }\n    - { id: cto, role: cfo }\n    - { id: ceo, role: ceo }\n',
        ),
      ),
      start('/dev/zero'),
    ]);
    expect(key.code).toBe(2);
    expect(key.output).toContain('roles.tech-lead.member: unknown key');
    expect(right.code).toBe(2);
    expect(right.output).toContain('incidents.rights.resolve.0: unknown role "tech-leed"');
    expect(level.code).toBe(2);
    expect(level.output).toContain('incidents.chain.2.role: unknown role "cfo"');
    expect(device.code).toBe(2);
    expect(device.output).toContain('OPS_CONFIG: /dev/zero is not a regular file');
  }, 120_000);

  it('a role with no members and no groups at a level that pages is a warning at start naming the level', async () => {
    const cfg = file(
      'empty-cto.yaml',
      'roles:\n  ops-team: { name: Operations team, members: [UOPS] }\n  tech-lead: { name: Technical Lead, members: [UTECH] }\n  ceo: { name: CEO, members: [UCEO] }\n',
    );
    const run = await start(cfg, { until: /DrainPro Ops is running/ });
    const warnings = run.output.split('\n').filter((l) => l.includes('"level":40'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('incidents.chain.2 (level \\"cto\\"): role \\"cto\\" has no members and no groups, so pages at this level reach nobody');
    expect(run.output).toContain('DrainPro Ops is running');
  }, 120_000);
});

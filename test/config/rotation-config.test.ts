import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { buildOpsConfig } from '../../src/config/ops-config';
import { opsConfigWarnings } from '../../src/config/references';
import { BOT_TOKEN, SIGNING_SECRET } from '../support/slack-requests';

/** The message of the ConfigError a config raises (fails the test when it is accepted). */
function errorOf(override: unknown): string {
  try {
    buildOpsConfig(override, 'test.yaml');
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error(`accepted: ${JSON.stringify(override)}`);
}

const techLead = (rotation: unknown, members = ['UANN', 'UBEN']) => ({ roles: { 'tech-lead': { name: 'Technical Lead', members, rotation } } });

describe('a rotation in the config', () => {
  it('is accepted with the documented defaults: Monday 09:00 in the business time zone', () => {
    const cfg = buildOpsConfig(techLead({ members: ['UANN', 'UBEN'] }));
    expect(cfg.roles['tech-lead']!.rotation).toEqual({ members: ['UANN', 'UBEN'], handoff: { weekday: 'monday', time: '09:00' } });
  });

  it("the README's example config is valid and its rotation has the documented defaults", () => {
    const readme = readFileSync(join(process.cwd(), 'README.md'), 'utf8');
    const example = /`OPS_CONFIG` overrides the defaults[^\n]*\n\n```yaml\n([\s\S]*?)```/.exec(readme)![1]!;
    const cfg = buildOpsConfig(parseYaml(example), 'README.md');
    expect(cfg.roles['ops-team']!.rotation).toEqual({
      members: ['U0AAA1111', 'U0BBB2222', 'U0CCC3333'],
      handoff: { weekday: 'monday', time: '09:00' },
    });
  });

  it('on a role that is no escalation level is a warning at start', () => {
    const cfg = buildOpsConfig({
      roles: {
        'ops-team': { name: 'Operations team', members: ['UOPS'] },
        'tech-lead': { name: 'Technical Lead', members: ['UANN'] },
        cto: { name: 'CTO', members: ['UCTO'] },
        ceo: { name: 'CEO', members: ['UCEO'] },
        'product-manager': { name: 'Product Manager', members: ['UANN', 'UBEN'], rotation: { members: ['UANN', 'UBEN'] } },
      },
    });
    expect(opsConfigWarnings(cfg).filter((w) => w.includes('rotation'))).toEqual([
      'roles.product-manager.rotation: role "product-manager" is no escalation level (incidents.chain), so its rotation pages nobody; /ops oncall cover still records cover for it',
    ]);
    expect(opsConfigWarnings(buildOpsConfig(techLead({ members: ['UANN'] }))).filter((w) => w.includes('rotation'))).toEqual([]);
  });

  it('that is wrong stops the config naming the path', () => {
    const cases: [unknown, string][] = [
      [techLead({ members: ['UANN', 'bob'] }), 'roles.tech-lead.rotation.members.1: "bob" is not a Slack user id'],
      [techLead({ members: ['UANN', 'UCAT'] }), `roles.tech-lead.rotation.members.1: "UCAT" is not in the role's members`],
      [techLead({ members: ['UANN'], timeZone: 'Europe/Atlantis' }), 'roles.tech-lead.rotation.timeZone: "Europe/Atlantis" is not an IANA time zone name'],
      [techLead({ members: ['UANN'], handoff: { weekday: 'mondays' } }), 'roles.tech-lead.rotation.handoff.weekday:'],
      [techLead({ members: ['UANN'], handoff: { time: '9am' } }), 'roles.tech-lead.rotation.handoff.time: must be HH:MM'],
      [techLead({ members: ['UANN'], start: '2026-03-03' }), 'roles.tech-lead.rotation.start: 2026-03-03 is a tuesday, not the hand-off weekday (monday)'],
      [techLead({ members: [] }), 'roles.tech-lead.rotation.members:'],
      [techLead({ members: ['UANN'], every: 'week' }), 'roles.tech-lead.rotation.every: unknown key'],
      [techLead({ members: ['UANN'], handoff: { weekday: 'monday', hour: 9 } }), 'roles.tech-lead.rotation.handoff.hour: unknown key'],
    ];
    for (const [override, message] of cases) expect(errorOf(override)).toContain(message);
  });

  it('that is wrong stops start-up naming the path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'drainpro-rotation-'));
    const path = join(dir, 'ops.yaml');
    writeFileSync(
      path,
      'roles:\n  tech-lead:\n    name: Technical Lead\n    members: [UANN]\n    rotation:\n      members: [UANN]\n      handoff: { weekday: monday, time: "25:00" }\n',
    );
    const env = {
      PATH: process.env.PATH!,
      HOME: process.env.HOME ?? '/tmp',
      OPS_CONFIG: path,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      DATA_DIR: dir,
    };
    const child = spawn(join(process.cwd(), 'node_modules', '.bin', 'tsx'), ['src/main.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(output).toContain('roles.tech-lead.rotation.handoff.time: must be HH:MM (24-hour), e.g. "09:00"');
  }, 120_000);
});

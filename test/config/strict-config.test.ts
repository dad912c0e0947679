import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { buildOpsConfig, loadOpsConfig, opsConfigSchema, readConfigFile } from '../../src/config/ops-config';
import { opsConfigWarnings } from '../../src/config/references';

const tmp = mkdtempSync(join(tmpdir(), 'drainpro-strict-'));
const file = (name: string, text: string | Buffer) => {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
};

/** The message of the ConfigError a config raises (fails the test when it is accepted). */
function errorOf(override: unknown): string {
  try {
    buildOpsConfig(override, 'test.yaml');
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error(`accepted: ${JSON.stringify(override)}`);
}

/** Paths of every object schema under `schema` that would silently drop an unknown key. */
function lenientObjects(schema: z.ZodType, path = '(root)'): string[] {
  const def = (schema as unknown as { _zod: { def: Record<string, any> } })._zod.def;
  switch (def.type) {
    case 'object': {
      const own = def.catchall?._zod.def.type === 'never' ? [] : [path];
      return [...own, ...Object.entries(def.shape as Record<string, z.ZodType>).flatMap(([k, v]) => lenientObjects(v, `${path}.${k}`))];
    }
    case 'default':
    case 'prefault':
    case 'optional':
    case 'nullable':
      return lenientObjects(def.innerType, path);
    case 'array':
      return lenientObjects(def.element, `${path}.*`);
    case 'record':
      return lenientObjects(def.valueType, `${path}.*`);
    case 'union':
      return (def.options as z.ZodType[]).flatMap((o) => lenientObjects(o, path));
    case 'pipe':
      return [...lenientObjects(def.in, path), ...lenientObjects(def.out, path)];
    default:
      return [];
  }
}

describe('config that cannot be half-right: unknown keys', () => {
  it('every object of the schema, however deep, refuses unknown keys', () => {
    expect(lenientObjects(opsConfigSchema as unknown as z.ZodType)).toEqual([]);
  });

  it('an unknown key stops start-up naming its own path', () => {
    const morning = { sections: [{ id: 's', title: 'S', items: [{ id: 'i', title: 'I', checks: ['c'], bogus: 1 }] }] };
    const cases: [unknown, string][] = [
      [{ roles: { 'tech-lead': { name: 'Technical Lead', member: ['U1'] } } }, 'roles.tech-lead.member: unknown key (did you mean "members"?)'],
      [{ probes: { health: { responseTargetMS: 100 } } }, 'probes.health.responseTargetMS: unknown key (did you mean "responseTargetMs"?)'],
      [{ probes: { agents: { cloudwatch: { namespce: 'x' } } } }, 'probes.agents.cloudwatch.namespce: unknown key (did you mean "namespace"?)'],
      [{ probes: { backups: { targets: [{ prefix: 'db/', dueAt: '02:00', label: 'db', bucket: 'x' }] } } }, 'probes.backups.targets.0.bucket: unknown key'],
      [{ summary: { llm: { model: 'gpt' } } }, 'summary.llm.model: unknown key'],
      [{ reminders: { escalate: {} } }, 'reminders.escalate: unknown key (did you mean "escalateTo"?)'],
      [{ incidents: { rights: { resolv: ['cto'] } } }, 'incidents.rights.resolv: unknown key (did you mean "resolve"?)'],
      [{ incidents: { severities: { p1: { responseMinute: 5 } } } }, 'incidents.severities.p1.responseMinute: unknown key (did you mean "responseMinutes"?)'],
      [{ incidents: { severities: { p4: { name: 'Trivial' } } } }, 'incidents.severities.p4: unknown key (did you mean "p0"?)'],
      [{ incidents: { chain: [{ id: 'ops-team', role: 'ops-team', roles: [] }] } }, 'incidents.chain.0.roles: unknown key (did you mean "role"?)'],
      [{ rights: { probes: ['cto'] } }, 'rights.probes: unknown key (did you mean "probe"?)'],
      [{ checklists: { morning } }, 'checklists.0.sections.0.items.0.bogus: unknown key'],
      [{ timezon: 'UTC' }, 'timezon: unknown key (did you mean "timezone"?)'],
    ];
    for (const [override, line] of cases) expect(errorOf(override).split('\n')).toContain(`  ${line}`);
  });
});

describe('config that cannot be half-right: roles and levels', () => {
  it('a right or an escalation level naming an unknown role stops start-up naming the path', () => {
    const cases: [unknown, string][] = [
      [{ incidents: { rights: { resolve: ['tech-leed'] } } }, 'incidents.rights.resolve.0: unknown role "tech-leed"'],
      [{ incidents: { rights: { acknowledge: { cto: ['cto', 'cfo'] } } } }, 'incidents.rights.acknowledge.cto.1: unknown role "cfo"'],
      [{ incidents: { rights: { acknowledge: { ctoo: ['cto'] } } } }, 'incidents.rights.acknowledge.ctoo: unknown escalation level "ctoo"'],
      [{ incidents: { rights: { declare: ['ops'] } } }, 'incidents.rights.declare.0: unknown role "ops"'],
      [{ incidents: { rights: { escalate: ['cto', 'vp'] } } }, 'incidents.rights.escalate.1: unknown role "vp"'],
      [{ incidents: { rights: { note: ['x'] } } }, 'incidents.rights.note.0: unknown role "x"'],
      [
        {
          incidents: {
            chain: [
              { id: 'ops-team', role: 'ops-team' },
              { id: 'tech-lead', role: 'tech-lead' },
              { id: 'cto', role: 'chief' },
              { id: 'ceo', role: 'ceo' },
            ],
          },
        },
        'incidents.chain.2.role: unknown role "chief"',
      ],
      [{ rights: { probe: ['sre'] } }, 'rights.probe.0: unknown role "sre"'],
      [{ rights: { summary: [] } }, 'rights.summary: name at least one role, or write `everyone`'],
      [{ reminders: { escalateTo: { 'tech-lead': 'cfo' } } }, 'reminders.escalateTo.tech-lead: unknown role "cfo"'],
      [{ checklists: { morning: { coOwnerRoles: ['sre'] } } }, 'checklists.0.coOwnerRoles.0: unknown role "sre"'],
    ];
    for (const [override, line] of cases) expect(errorOf(override)).toContain(`  ${line}`);
    const restricted = buildOpsConfig({}).checklists.find((c) => c.id === 'morning')!;
    const sections = restricted.sections.map((s, i) =>
      i === 0 ? { ...s, items: s.items.map((it, j) => (j === 0 ? { ...it, restrictedTo: ['tech-leed'] } : it)) } : s,
    );
    expect(errorOf({ checklists: { morning: { sections } } })).toMatch(/checklists\.\d+\.sections\.0\.items\.0\.restrictedTo\.0: unknown role "tech-leed"/);
  });

  it('a chain of its own does not inherit acknowledge rights for levels it does not have', () => {
    const c = buildOpsConfig({
      incidents: {
        chain: [
          { id: 'first', role: 'ops-team' },
          { id: 'second', role: 'cto' },
        ],
        severities: Object.fromEntries(['p0', 'p1', 'p2', 'p3'].map((p) => [p, { startLevel: 'first', alsoPage: [], smsLevels: [] }])),
        rights: { acknowledge: { second: ['cto'] } },
      },
    });
    expect(c.incidents.rights.acknowledge).toEqual({ second: ['cto'] });
    expect(opsConfigWarnings(c)).toContain('incidents.rights.acknowledge has no entry for level "first": only people paged may acknowledge there');
  });
});

describe('config that cannot be half-right: DR test targets', () => {
  it('a target for a checklist that does not exist stops start-up naming its path; the defaults do not', () => {
    expect(errorOf({ drTests: { targets: { 'dr-tset': { rtoMinutes: 60, rpoMinutes: 0 } } } })).toContain(
      'drTests.targets.dr-tset: unknown checklist id "dr-tset"',
    );
    const morningOnly = buildOpsConfig({}).checklists.filter((c) => c.id === 'morning');
    expect(buildOpsConfig({ checklists: morningOnly }).drTests.targets['dr-test']).toEqual({ rtoMinutes: 60, rpoMinutes: 1440 });
  });
});

describe('config that cannot be half-right: start-up warnings', () => {
  it('a role with nobody in it at a level that pages is named with its level', () => {
    const c = buildOpsConfig({
      roles: { 'ops-team': { name: 'Ops', members: ['U1'] }, 'tech-lead': { name: 'TL', groups: ['S1'] }, ceo: { name: 'CEO', members: ['U2'] } },
    });
    const warnings = opsConfigWarnings(c);
    expect(warnings).toEqual([
      'incidents.chain.2 (level "cto"): role "cto" has no members and no groups, so pages at this level reach nobody; add them under roles.cto',
      'roles.tech-lead: only groups, no members; group members are paged but rights are granted to listed members only',
    ]);
  });

  it('levels no severity pages are not warned about', () => {
    const quiet = Object.fromEntries(['p0', 'p1', 'p2', 'p3'].map((p) => [p, { escalate: false, alsoPage: [], smsLevels: [] }]));
    expect(opsConfigWarnings(buildOpsConfig({ incidents: { severities: quiet } }))).toEqual([]);
  });
});

describe('config that cannot be half-right: the file', () => {
  it('a device, a directory, a FIFO or an oversized file is refused at once, naming OPS_CONFIG', () => {
    const started = Date.now();
    expect(() => loadOpsConfig('/dev/zero')).toThrow('OPS_CONFIG: /dev/zero is not a regular file');
    const dir = join(tmp, 'dir.yaml');
    mkdirSync(dir);
    expect(() => loadOpsConfig(dir)).toThrow(`OPS_CONFIG: ${dir} is not a regular file`);
    const fifo = join(tmp, 'fifo.yaml');
    execFileSync('mkfifo', [fifo]);
    expect(() => loadOpsConfig(fifo)).toThrow(`OPS_CONFIG: ${fifo} is not a regular file`);
    const big = file('big.yaml', Buffer.alloc(1024 * 1024 + 1, 0x20));
    expect(() => loadOpsConfig(big)).toThrow(`OPS_CONFIG: ${big} is larger than 1048576 bytes (1 MiB)`);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('a file of exactly the cap is read whole', () => {
    const text = `timezone: Europe/London\n#${'x'.repeat(1024 - 26)}\n`;
    expect(readConfigFile(file('cap.yaml', text), Buffer.byteLength(text))).toBe(text);
    expect(() => readConfigFile(file('cap1.yaml', `${text} `), Buffer.byteLength(text))).toThrow(/is larger than/);
    expect(loadOpsConfig(file('ok.yaml', text)).timezone).toBe('Europe/London');
  });
});

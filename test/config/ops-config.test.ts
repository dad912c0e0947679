import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildOpsConfig, loadOpsConfig } from '../../src/config/ops-config';

const tmp = mkdtempSync(join(tmpdir(), 'drainpro-config-'));
const file = (name: string, text: string) => {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
};

describe('ops config', () => {
  it('defaults to the guide: business time zone, channels, roles and the morning checklist', () => {
    const c = loadOpsConfig(undefined);
    expect(c.timezone).toBe('America/New_York');
    expect(c.channels.ops).toBe('ops');
    expect(c.roles['ops-manager']!.name).toBe('Operations Manager');
    const morning = c.checklists.find((x) => x.id === 'morning')!;
    expect(morning).toMatchObject({ name: 'Morning Checklist', schedule: '0 9 * * *', durationMinutes: 15, ownerRole: 'ops-manager' });
  });

  it('a YAML override merges over the defaults; checklists patch by id', () => {
    const c = loadOpsConfig(file('ok.yaml', 'timezone: Europe/London\nchannels:\n  ops: C0123OPS\nchecklists:\n  morning:\n    durationMinutes: 20\n'));
    expect(c.timezone).toBe('Europe/London');
    expect(c.channels).toMatchObject({ ops: 'C0123OPS', incidents: 'incidents' });
    const morning = c.checklists.find((x) => x.id === 'morning')!;
    expect(morning.durationMinutes).toBe(20);
    expect(morning.sections[0]!.items).toHaveLength(7);
  });

  it('an invalid file stops start-up with the path of the bad field', () => {
    expect(() => loadOpsConfig(file('bad.json', JSON.stringify({ checklists: { morning: { durationMinutes: -5 } } })))).toThrow(
      /checklists\.\d+\.durationMinutes/,
    );
    expect(() => loadOpsConfig(file('tz.yaml', 'timezone: Mars/Olympus'))).toThrow(/timezone: is not an IANA time zone name/);
    expect(() => loadOpsConfig(file('typo.yaml', 'timezon: UTC'))).toThrow(/timezon|Unrecognized key/);
    expect(() => buildOpsConfig({ checklists: { morning: { channel: 'nowhere' } } })).toThrow(/checklists\.0\.channel: unknown channel key "nowhere"/);
  });

  it('says which file could not be read or parsed', () => {
    expect(() => loadOpsConfig(join(tmp, 'missing.yaml'))).toThrow(/OPS_CONFIG: cannot read .*missing\.yaml \(ENOENT\)/);
    expect(() => loadOpsConfig(file('broken.json', '{ nope'))).toThrow(/is not valid JSON/);
  });
});

import { describe, expect, it } from 'vitest';
import { probeSettingsSchema } from '../../src/probes/settings';

describe('probeSettingsSchema', () => {
  it('parses {} to the maintenance guide’s thresholds', () => {
    const s = probeSettingsSchema.parse({});
    expect(s.timeoutMs).toBe(5000);
    expect(s.health.responseTargetMs).toBe(200);
    expect(s.alarms.namePrefix).toBeUndefined();
    expect(s.errors).toMatchObject({ namespace: 'DrainPro', metricName: 'Errors', threshold: 10, windowHours: 24 });
    expect(s.backups.timezone).toBe('America/New_York');
    expect(s.backups.targets.map((t) => [t.prefix, t.dueAt])).toEqual([
      ['database/', '02:00'],
      ['files/', '03:00'],
      ['config/', '04:00'],
    ]);
    expect(s.backups.farSmallerRatio).toBe(0.5);
    expect(s.payments).toMatchObject({ maxFailRate: 0.05, maxDisputes: 0, maxEarlyFraudWarnings: 0 });
    expect(s.forwarding.minSuccessRate).toBe(0.95);
    expect(s.agents).toMatchObject({ source: 'health', monitorMaxGapMinutes: 60 });
  });

  it('keeps defaults for the fields a partial override leaves out', () => {
    const s = probeSettingsSchema.parse({ backups: { timezone: 'America/Chicago' }, errors: { threshold: 25 } });
    expect(s.backups).toMatchObject({ timezone: 'America/Chicago', graceMinutes: 60 });
    expect(s.backups.targets).toHaveLength(3);
    expect(s.errors).toMatchObject({ threshold: 25, metricName: 'Errors' });
  });

  it('rejects an unknown timezone, a bad due time and an out-of-range rate', () => {
    expect(probeSettingsSchema.safeParse({ backups: { timezone: 'Mars/Olympus' } }).success).toBe(false);
    expect(probeSettingsSchema.safeParse({ backups: { targets: [{ prefix: 'db/', dueAt: '2am', label: 'db' }] } }).success).toBe(false);
    expect(probeSettingsSchema.safeParse({ forwarding: { minSuccessRate: 95 } }).success).toBe(false);
  });
});

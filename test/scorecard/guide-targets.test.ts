import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildOpsConfig } from '../../src/config/ops-config';
import { METRICS } from '../../src/scorecard';

/** The guide lives beside the repository (../shared/seed/), not in it. */
const GUIDE = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/seed/MAINTENANCE_GUIDE.md');
const present = existsSync(GUIDE);

/** The guide's label of each metric in SUCCESS METRICS. */
const GUIDE_LABELS: Record<string, string> = {
  uptime: 'Uptime',
  responseTime: 'Response time',
  errorRate: 'Error rate',
  crashRate: 'Crash rate',
  cpl: 'CPL',
  conversion: 'Conversion rate',
  satisfaction: 'Customer satisfaction',
  revenueGrowth: 'Revenue growth',
  incidentResponse: 'Incident response',
  issueResolution: 'Issue resolution',
  backupSuccess: 'Backup success',
  securityCompliance: 'Security compliance',
};

describe.skipIf(!present)(
  `scorecard defaults against the guide (${present ? GUIDE : `skipped: ${GUIDE} is absent; the guide is not part of the repository`})`,
  () => {
    it('every default target and its direction is the number the guide writes under SUCCESS METRICS', () => {
      const text = readFileSync(GUIDE, 'utf8');
      const start = text.indexOf('## SUCCESS METRICS');
      expect(start).toBeGreaterThan(-1);
      const section = text.slice(start, text.indexOf('\n## ', start + 5));
      // "- Uptime: >99.9%", "- CPL: <$20", "- Customer satisfaction: >4.5/5", "- Backup success: 100%"
      const lines = new Map([...section.matchAll(/^- ([^:]+): ([<>]?)\$?([\d.]+)/gm)].map((m) => [m[1]!.trim(), { op: m[2] || '>=', value: Number(m[3]) }]));
      expect(lines.size).toBe(12);
      const targets = buildOpsConfig({}).scorecard.targets;
      expect(METRICS).toHaveLength(12);
      for (const m of METRICS) {
        const guide = lines.get(GUIDE_LABELS[m.id]!);
        expect(guide, m.id).toBeDefined();
        expect({ id: m.id, op: m.op, target: targets[m.target] }).toEqual({ id: m.id, op: guide!.op, target: guide!.value });
      }
    });
  },
);

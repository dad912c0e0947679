import { describe, expect, it } from 'vitest';
import { messageProblems } from '../../src/slack/limits';
import { buildSummaryMessage } from '../../blocks/summary';
import { buildOpsConfig } from '../../src/config/ops-config';
import { computeScorecard } from '../../src/scorecard';
import type { PeriodInputs } from '../../src/scorecard/metrics';
import { emptyIncidentFacts } from '../../src/summary/incident-facts';
import { sampleFacts } from '../summary/fixtures';

describe('the weekly summary with the scorecard and the changes', () => {
  it('stays within Block Kit limits with everything at its maximum', () => {
    const cfg = buildOpsConfig({}).scorecard;
    const inputs: PeriodInputs = {
      health: { up: 99_999, down: 1, responseMs: [123.45] },
      backups: { ok: 6, failed: 1 },
      security: { due: 30, compliant: 29 },
      figures: { errorRate: [0.12], crashRate: [1.5], cpl: [21.25], conversion: [24.5], satisfaction: [4.4] },
      revenueMonths: [
        { periodStart: new Date('2026-02-01T05:00:00Z'), value: 1_150_000 },
        { periodStart: new Date('2026-01-01T05:00:00Z'), value: 1_000_000 },
      ],
      incidents: { declared: 40, ackMinutes: [16.5], resolveHours: [30.25] },
    };
    const scorecard = computeScorecard({
      period: { key: '2026-W09', label: 'Mon 23 Feb – Sun 1 Mar 2026', start: '', end: '' },
      previousKey: '2026-W08',
      current: inputs,
      previous: inputs,
      targets: cfg.targets,
      figureIds: cfg.figures,
    });
    const long = 'y'.repeat(240);
    const facts = sampleFacts({
      checklists: {
        totals: { posted: 90, onTime: 30, late: 30, missed: 30, open: 0 },
        byChecklist: Array.from({ length: 30 }, (_, i) => ({
          checklistId: `c${i}`,
          name: `Checklist ${'n'.repeat(60)} ${i}`,
          posted: 3,
          onTime: 1,
          late: 1,
          missed: 1,
          open: 0,
        })),
      },
      problems: {
        count: 40,
        items: Array.from({ length: 20 }, (_, i) => ({
          checklistId: 'c',
          itemId: `i${i}`,
          itemTitle: `Item ${'t'.repeat(100)}`,
          signedBy: 'U1',
          note: '<!channel> '.repeat(28),
        })),
        omitted: 20,
      },
      probes: {
        checks: 700,
        failures: 70,
        skipped: 0,
        bySystem: Array.from({ length: 12 }, (_, i) => ({ probe: `probe-${i}`, checks: 50, failures: 5, warnings: 3, skipped: 0 })),
      },
      incidents: {
        ...emptyIncidentFacts('database'),
        total: 8,
        escalations: 3,
        bySeverity: emptyIncidentFacts('database').bySeverity.map((s) => ({
          ...s,
          count: 2,
          meanAckMinutes: 12.5,
          maxAckMinutes: 30,
          meanResolveMinutes: 120,
          maxResolveMinutes: 300,
          slaBreaches: 1,
        })),
      },
      figures: Array.from({ length: 25 }, (_, i) => ({
        figureId: `f${i}`,
        label: `Figure ${'l'.repeat(60)}`,
        unit: 'money' as const,
        value: 1_234_567.89,
        previous: 1_000_000,
        change: 234_567.89,
        changePct: 23.5,
      })),
      drTests: Array.from({ length: 7 }, () => ({
        checklistId: 'dr',
        name: 'Monthly disaster recovery test',
        state: 'complete' as const,
        restoreMinutes: 42,
        totalRecoveryMinutes: 200,
      })),
      scorecard,
      changes: { started: 12, completed: 9, incidentsLinked: 3 },
    });
    const prose = { executiveSummary: 'x'.repeat(700), wins: Array(5).fill(long), challenges: Array(5).fill(long), planNextWeek: Array(5).fill(long) };
    const message = buildSummaryMessage({ facts, prose, source: 'llm', model: 'gpt-4o-mini' });
    expect(messageProblems(message)).toBeNull();
    const body = JSON.stringify(message.blocks);
    expect(body).toContain('*Scorecard* (success metrics) — 3 met · 9 missed · 0 without data');
    expect(body).toContain('*Changes* — 12 recorded');
  });
});

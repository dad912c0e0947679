import { describe, expect, it } from 'vitest';
import { messageProblems } from '../../src/slack/limits';
import { buildSummaryMessage } from '../../blocks/summary';
import { buildOpsConfig } from '../../src/config/ops-config';
import { computeScorecard } from '../../src/scorecard';
import type { PeriodInputs } from '../../src/scorecard/metrics';
import { MAXIMAL_PROSE, maximalFacts } from '../summary/fixtures';

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
    const facts = maximalFacts({
      scorecard,
      changes: { started: 12, completed: 9, incidentsLinked: 3 },
    });
    const message = buildSummaryMessage({ facts, prose: MAXIMAL_PROSE, source: 'llm', model: 'gpt-4o-mini' });
    expect(messageProblems(message)).toBeNull();
    const body = JSON.stringify(message.blocks);
    expect(body).toContain('*Scorecard* (success metrics) — 3 met · 9 missed · 0 without data');
    expect(body).toContain('*Changes* — 12 recorded');
  });
});

import { describe, expect, it } from 'vitest';
import { buildSummaryMessage, formatFigure } from '../../blocks/summary';
import { messageProblems } from '../../src/slack/limits';
import { buildOpsConfig } from '../../src/config/ops-config';
import { emptyIncidentFacts } from '../../src/summary/incident-facts';
import { sampleFacts } from './fixtures';

describe('buildSummaryMessage', () => {
  it('formats figures by unit', () => {
    expect([
      formatFigure('money', 4200),
      formatFigure('money', 18.5),
      formatFigure('percent', 27.5),
      formatFigure('count', 1234),
      formatFigure('minutes', 42),
    ]).toEqual(['$4,200', '$18.5', '27.5%', '1,234', '42 min']);
  });

  it('stays within Block Kit limits with everything at its maximum', () => {
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
    });
    const prose = { executiveSummary: 'x'.repeat(700), wins: Array(5).fill(long), challenges: Array(5).fill(long), planNextWeek: Array(5).fill(long) };
    const message = buildSummaryMessage({ facts, prose, source: 'llm', model: 'gpt-4o-mini' });
    expect(messageProblems(message)).toBeNull();
    expect(JSON.stringify(message.blocks)).not.toContain('<!channel>');
  });

  it('a DR test over its target or verified by nobody else says so', () => {
    const facts = sampleFacts({
      drTests: [
        {
          checklistId: 'dr-full',
          name: 'Quarterly full disaster recovery test',
          state: 'complete',
          restoreMinutes: null,
          totalRecoveryMinutes: 300,
          targetMinutes: 240,
          metTarget: false,
          dataLossMinutes: null,
          verifiedBySecondPerson: false,
        },
      ],
    });
    const text = JSON.stringify(
      buildSummaryMessage({ facts, prose: { executiveSummary: 'x', wins: [], challenges: [], planNextWeek: [] }, source: 'fallback' }).blocks,
    );
    expect(text).toContain('full recovery 300 min · :warning: over the 240 min target · not verified by a second person');
  });

  it('marks the plain summary and says incident data is unavailable', () => {
    const message = buildSummaryMessage({
      facts: sampleFacts(),
      prose: { executiveSummary: 'Plain.', wins: [], challenges: [], planNextWeek: [] },
      source: 'fallback',
      fallbackReason: 'the LLM did not answer in time',
    });
    expect(message.blocks![1]).toEqual({
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: ':page_facing_up: Plain summary built from the facts (automatic write-up unavailable: the LLM did not answer in time).' },
      ],
    });
    expect(JSON.stringify(message.blocks)).toContain('Incident data is not available yet.');
    expect(messageProblems(message)).toBeNull();
  });
});

describe('summary config', () => {
  it('defaults and validation', () => {
    expect(buildOpsConfig({}).summary).toEqual({
      channel: 'leadership',
      schedule: '0 16 * * 5',
      maxFactsChars: 12_000,
      llm: { timeoutMs: 20_000, maxOutputTokens: 1200 },
    });
    expect(buildOpsConfig({ summary: { llm: { timeoutMs: 5000 } } }).summary.llm).toEqual({ timeoutMs: 5000, maxOutputTokens: 1200 });
    expect(() => buildOpsConfig({ summary: { channel: 'nowhere' } })).toThrow(/summary.channel: unknown channel key "nowhere"/);
    expect(() => buildOpsConfig({ summary: { schedule: 'every friday' } })).toThrow(/summary.schedule/);
  });
});

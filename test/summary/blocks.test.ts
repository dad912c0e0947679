import { describe, expect, it } from 'vitest';
import { buildSummaryMessage, formatFigure } from '../../blocks/summary';
import { messageProblems } from '../../src/slack/limits';
import { buildOpsConfig } from '../../src/config/ops-config';
import { MAXIMAL_PROSE, maximalFacts, sampleFacts } from './fixtures';

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
    const facts = maximalFacts();
    const message = buildSummaryMessage({ facts, prose: MAXIMAL_PROSE, source: 'llm', model: 'gpt-4o-mini' });
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

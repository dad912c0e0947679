import { describe, expect, it } from 'vitest';
import { computeScorecard } from '../../src/scorecard';
import type { PeriodInputs } from '../../src/scorecard/metrics';
import { buildOpsConfig } from '../../src/config/ops-config';
import { fallbackProse } from '../../src/summary/fallback';
import { checkProse } from '../../src/summary/validate';
import { sampleFacts } from '../summary/fixtures';

const empty: PeriodInputs = {
  health: { up: 0, down: 0, responseMs: [] },
  backups: { ok: 0, failed: 0 },
  figures: {},
  revenueMonths: [],
  incidents: { declared: 0, ackMinutes: [], resolveHours: [] },
  security: { due: 0, compliant: 0 },
};
const cfg = buildOpsConfig({}).scorecard;
const card = (current: PeriodInputs) =>
  computeScorecard({
    period: { key: '2026-W09', label: 'Mon 23 Feb – Sun 1 Mar 2026', start: '2026-02-23T05:00:00.000Z', end: '2026-03-02T05:00:00.000Z' },
    previousKey: '2026-W08',
    current,
    previous: empty,
    targets: cfg.targets,
    figureIds: cfg.figures,
  });

const week = card({ ...empty, health: { up: 9999, down: 1, responseMs: [180] }, figures: { cpl: [23.25] }, backups: { ok: 7, failed: 0 } });
const base = { executiveSummary: '4 checklists posted, 2 on time.', wins: [], challenges: [], planNextWeek: [] };

describe("the weekly summary's checks with the scorecard in the facts", () => {
  it('a scorecard number the LLM repeats is grounded; one it invents is not', () => {
    const facts = sampleFacts({ scorecard: week });
    expect(checkProse({ ...base, wins: ['Uptime was 99.9% and responses took 180 ms; CPL was $23.25 against a $20 target.'] }, facts)).toEqual({ ok: true });
    expect(checkProse({ ...base, wins: ['CPL was $17.80.'] }, facts)).toEqual({ ok: false, reason: 'ungrounded_number', detail: '$17.80' });
  });

  it('"all targets were met" is checked against the scorecard', () => {
    expect(checkProse({ ...base, wins: ['All our targets were met.'] }, sampleFacts({ scorecard: week }))).toMatchObject({
      ok: false,
      reason: 'contradicts_facts',
    });
    expect(checkProse({ ...base, wins: ['We hit every success target.'] }, sampleFacts())).toMatchObject({ ok: false, reason: 'contradicts_facts' });
    const allMet = card({
      health: { up: 10, down: 0, responseMs: [100] },
      backups: { ok: 1, failed: 0 },
      security: { due: 1, compliant: 1 },
      figures: { errorRate: [0.05], crashRate: [0.5], cpl: [15], conversion: [30], satisfaction: [4.8] },
      revenueMonths: [
        { periodStart: new Date('2026-02-01T05:00:00Z'), value: 120 },
        { periodStart: new Date('2026-01-01T05:00:00Z'), value: 100 },
      ],
      incidents: { declared: 1, ackMinutes: [5], resolveHours: [2] },
    });
    expect(allMet.met).toBe(12);
    expect(checkProse({ ...base, wins: ['All our targets were met.'] }, sampleFacts({ scorecard: allMet }))).toEqual({ ok: true });
  });

  it('the plain fallback, scorecard included, passes its own rule', () => {
    const facts = sampleFacts({ scorecard: week });
    const prose = fallbackProse(facts);
    expect(prose.executiveSummary).toContain('Scorecard: 3 of 12 success metrics on target, 1 missed, 8 without data.');
    expect(prose.challenges).toContain('Off target: CPL 23.25 (target < 20).');
    expect(checkProse(prose, facts)).toEqual({ ok: true });
  });
});

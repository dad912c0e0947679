import { emptyIncidentFacts } from '../../src/summary/incident-facts';
import type { WeekFacts } from '../../src/summary/types';

/** A small week of facts for the pure tests. */
export function sampleFacts(over: Partial<WeekFacts> = {}): WeekFacts {
  return {
    week: {
      key: '2026-W09',
      label: 'Mon 23 Feb – Sun 1 Mar 2026',
      start: '2026-02-23T05:00:00.000Z',
      end: '2026-03-02T05:00:00.000Z',
      timeZone: 'America/New_York',
    },
    asOf: '2026-03-02T14:00:00.000Z',
    checklists: {
      totals: { posted: 4, onTime: 2, late: 1, missed: 1, open: 0 },
      byChecklist: [{ checklistId: 'morning', name: 'Morning Checklist', posted: 2, onTime: 1, late: 0, missed: 1, open: 0 }],
    },
    problems: {
      count: 1,
      items: [
        { checklistId: 'morning', itemId: 'x', itemTitle: 'Check Critical Alerts', signedBy: 'U1', note: 'down 77 minutes, see https://status.stripe.com' },
      ],
      omitted: 0,
    },
    probes: { checks: 5, failures: 2, skipped: 0, bySystem: [{ probe: 'payments', checks: 3, failures: 2, warnings: 0, skipped: 0 }] },
    incidents: emptyIncidentFacts('unavailable'),
    figures: [{ figureId: 'revenue', label: 'Revenue', unit: 'money', value: 1234.4, previous: 1100, change: 134.4, changePct: 12.2 }],
    drTests: [],
    empty: false,
    ...over,
  };
}

const LONG = 'y'.repeat(240);

/** Prose at every length and count the summary allows. */
export const MAXIMAL_PROSE = {
  executiveSummary: 'x'.repeat(700),
  wins: Array(5).fill(LONG),
  challenges: Array(5).fill(LONG),
  planNextWeek: Array(5).fill(LONG),
};

/** A week with every list at its maximum and long, hostile text: for the Block Kit limits. */
export function maximalFacts(over: Partial<WeekFacts> = {}): WeekFacts {
  return sampleFacts({
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
    ...over,
  });
}

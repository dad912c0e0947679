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

import { describe, expect, it } from 'vitest';
import type { ReviewFacts } from '../../src/review/facts';
import { checkNarrative } from '../../src/review/grounding';

const facts: ReviewFacts = {
  incident: {
    id: 42,
    severity: 'P1',
    severityName: 'High',
    system: 'payments',
    summary: 'Card payments fail for 300 customers at Acme',
    declared: 'Tue 3 Mar 2026 09:00',
    resolved: 'Tue 3 Mar 2026 09:50',
    timeZone: 'America/New_York',
    resolutionNote: 'Rotated the Stripe key',
  },
  acknowledge: { minutes: 20, slaMinutes: 120, met: true },
  resolve: { minutes: 50, slaMinutes: 1440, met: false },
  escalations: [{ time: '09:05', level: 'Technical Lead', how: 'by hand' }],
  slaBreaches: 1,
  timeline: [{ time: '09:00', at: '2026-03-03T14:00:00.000Z', kind: 'declared', text: 'P1 declared', userId: 'UOPS' }],
  timelineOmitted: 0,
  checklists: [{ name: 'Morning Check', state: 'open', items: 9, done: 3, problems: 1 }],
  probes: [{ time: '09:10', probe: 'payments', status: 'fail', summary: 'Stripe: 4 of 9 charges failed' }],
  probeFailures: 1,
};

describe('the grounding checks of a review narrative', () => {
  it('keeps a narrative whose numbers and names are all in the facts', () => {
    expect(
      checkNarrative(
        'Incident 42, a P1 on payments declared Tue 3 Mar 2026 09:00, was acknowledged in 20 minutes (SLA 120) and resolved in 50 minutes after the Technical Lead was brought in at 09:05; the Stripe probe saw 4 of 9 charges fail and the Morning Check had one problem.',
        facts,
      ),
    ).toEqual({ ok: true });
  });

  it.each([
    ['It was acknowledged in 25 minutes.', 'ungrounded_number'],
    // A number only typed text holds is not a fact.
    ['It affected 300 customers.', 'ungrounded_number'],
    ['It was fixed by the on-call Engineer Dave.', 'ungrounded_name'],
    ['It was fixed by UABCDEF12 quickly.', 'ungrounded_name'],
    ['There were no escalations.', 'contradicts_facts'],
    ['All SLAs were met.', 'contradicts_facts'],
    ['All probes passed during the incident.', 'contradicts_facts'],
    ['Details at https://evil.example.com/x.', 'unknown_link'],
  ])('rejects %j (%s)', (text, reason) => {
    const r = checkNarrative(text, facts);
    expect(r.ok).toBe(false);
    expect(r.ok ? null : r.reason).toBe(reason);
  });
});

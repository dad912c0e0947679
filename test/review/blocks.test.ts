import { describe, expect, it } from 'vitest';
import { buildFollowupList, buildReviewMessage } from '../../blocks/review';
import { messageProblems } from '../../src/slack/limits';
import { reviewFacts } from '../blocks/text-fixtures';

describe('the review draft at its largest', () => {
  it('30 timeline entries, 30 escalations, checklists and probes of long text with characters JSON escapes: within a message’s limits', () => {
    const s = `"\\\u0001<!channel> ${'x'.repeat(300)} \u{1F600}`.repeat(3);
    const facts = reviewFacts(s, 30);
    expect(messageProblems(buildReviewMessage({ facts, narrative: s.repeat(5), model: s, plainBecause: s }))).toBeNull();
    expect(messageProblems(buildReviewMessage({ facts, narrative: null, model: null, plainBecause: s }))).toBeNull();
  });

  it('a list of 25 follow-ups of 500 characters each: within the limits', () => {
    const items = Array.from({ length: 25 }, (_, i) => ({
      id: i,
      incidentId: 1,
      text: `"${'y'.repeat(499)}`,
      owner: 'UOPS',
      dueOn: '2026-03-04',
      overdue: true,
    }));
    expect(messageProblems(buildFollowupList(items, 40, null))).toBeNull();
  });
});

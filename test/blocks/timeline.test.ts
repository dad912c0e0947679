import { describe, expect, it } from 'vitest';
import { buildTimelineBatch } from '../../blocks/timeline';
import { slackMessageProblems } from '../../sandbox/slack-limits';

const at = new Date('2026-03-02T14:00:00Z');

describe('a timeline burst as thread posts', () => {
  it('a few entries are one post listing each', () => {
    const posts = buildTimelineBatch([
      { kind: 'declared', text: 'P1 declared: <!channel> payments', at, userId: 'UOPS' },
      { kind: 'note', text: 'Rolled back *v2*', at, userId: null },
    ]);
    expect(posts).toHaveLength(1);
    expect(posts[0]!.text).toBe('declared: P1 declared: &lt;!channel&gt; payments\nnote: Rolled back ∗v2∗');
    expect(slackMessageProblems(posts[0]!)).toBeNull();
  });

  it('a huge burst splits into whole posts, each within Slack limits, none lost', () => {
    const events = Array.from({ length: 300 }, (_, i) => ({ kind: 'note', text: `Entry ${i} ${'x'.repeat(600)}`, at, userId: 'UOPS' }));
    const posts = buildTimelineBatch(events);
    expect(posts.length).toBeGreaterThan(1);
    for (const p of posts) {
      expect(slackMessageProblems(p)).toBeNull();
      expect(p.blocks!.length).toBeLessThanOrEqual(20);
    }
    const all = posts.map((p) => JSON.stringify(p.blocks)).join();
    for (let i = 0; i < 300; i += 1) expect(all).toContain(`Entry ${i} `);
  });
});

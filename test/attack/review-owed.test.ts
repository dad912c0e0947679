import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { incidentReviews, timers } from '../../src/db/schema';
import { REVIEW_TIMER_KIND } from '../../src/incidents/review-intent';
import { FakeClock, type TestBot } from '../support/harness';
import { useIncidentBot } from '../incidents/support';
import { declare, MIN, reply, reviewRow } from '../review/support';

/**
 * `/incident review <id>` of a resolved P1 that has no draft and nothing that will write one (it
 * was resolved before review drafts existed, or its intent was lost): the answer must not promise
 * a draft "within a few minutes" that nothing will write.
 */
const clock = new FakeClock(new Date('2026-03-02T14:00:00Z'));
let t: TestBot;
useIncidentBot({ clock }, (bot) => {
  t = bot;
});

describe('/incident review of a resolved P1 without a draft', () => {
  it('writes the draft then and there and shows it', async () => {
    const inc = await declare(t, 'p1 Checkout down for card payments');
    clock.advance(30 * MIN);
    await reply(t, '/incident', `resolve ${inc.id} Rotated the key`, 'UTECH');
    // As for an incident resolved before review drafts existed: no draft, no pending intent.
    await t.database.db.delete(incidentReviews).where(eq(incidentReviews.incidentId, inc.id));
    await t.database.db.delete(timers).where(eq(timers.kind, REVIEW_TIMER_KIND));
    clock.advance(MIN);
    const before = t.slack.responses.length;
    await t.slash('/incident', `review ${inc.id}`, { userId: 'UOPS' });
    await t.settle();
    const said = t.slack.responses.slice(before).map((r) => JSON.stringify(r.body));
    expect(said.join('\n')).not.toContain('is being written');
    expect(said.at(-1)).toContain(`Post-incident review draft — incident #${inc.id}`);
    expect(await reviewRow(t, inc.id)).toBeTruthy();
  });
});

describe('/incident followups of an incident that does not exist', () => {
  it('says there is no such incident rather than "no open follow-ups"', async () => {
    const before = t.slack.responses.length;
    await t.slash('/incident', 'followups 4242', { userId: 'UOPS' });
    await t.settle();
    const said = t.slack.responses.slice(before).map((r) => String(r.body.text));
    expect(said.at(-1)).toContain('There is no incident #4242');
  });
});

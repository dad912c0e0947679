import { desc } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FIGURE_ACTION_ID, figureBlockId } from '../../blocks/figures-modal';
import { ActionIds, itemRef } from '../../blocks/ids';
import { checklistRuns, metrics } from '../../src/db/schema';
import { FakeClock, startTestBot, type TestBot } from '../support/harness';

// The guide's evening review: "Compare to yesterday and last week". The trend of each figure is in
// the checklist message itself: an arrow, the change (rates in points), and what it is against.
let t: TestBot;
const clock = new FakeClock(new Date('2026-03-03T22:00:00Z')); // Tue 17:00 in New York
beforeAll(async () => {
  t = await startTestBot({ clock });
});
afterAll(() => t?.close());
afterEach(() => expect(t.slack.problems).toEqual([]));

async function earlier(figureId: string, unit: string, value: number, periodStart: string) {
  await t.database.db.insert(metrics).values({
    runId: null,
    checklistId: 'evening',
    itemId: 'day-performance',
    figureId,
    periodStart: new Date(periodStart),
    unit,
    value,
    enteredBy: 'UOLD',
    enteredAt: new Date(periodStart),
  });
}

describe('figures of the evening checklist', () => {
  it('show ↑/↓/→ with the change against yesterday and the same day last week, rates in points', async () => {
    const YESTERDAY = '2026-03-02T22:00:00Z';
    const LAST_WEEK = '2026-02-24T22:00:00Z';
    await earlier('leads', 'count', 40, YESTERDAY);
    await earlier('leads', 'count', 50, LAST_WEEK);
    await earlier('conversion-rate', 'percent', 20, YESTERDAY);
    await earlier('conversion-rate', 'percent', 30, LAST_WEEK);
    await earlier('cpl', 'money', 60, YESTERDAY);
    await earlier('cpl', 'money', 45, LAST_WEEK);

    await t.slash('/ops', 'evening', { userId: 'UOPS' });
    const run = await t.slack.waitFor(async () => {
      const [r] = await t.database.db.select().from(checklistRuns).orderBy(desc(checklistRuns.id)).limit(1);
      return r?.messageTs ? r : undefined;
    });
    await t.settle();
    const value = itemRef(run.id, 'day-performance');
    const holder = () => t.slack.channelMessages(run.channel).find((m) => JSON.stringify(m.blocks ?? []).includes(`"value":"${value}"`))!;
    const message = holder();
    const opens = t.slack.callsOf('views.open').length;
    await t.click({ actionId: ActionIds.itemFigures, value, channelId: run.channel, messageTs: message.ts, userId: 'UOPS' });
    const view = (await t.slack.waitFor(() => t.slack.callsOf('views.open')[opens])).args.view;
    const entered: Record<string, string> = { leads: '50', 'conversion-rate': '26.5%', cpl: '$45' };
    const values = Object.fromEntries(
      view.blocks
        .filter((b: { type: string }) => b.type === 'input')
        .map((b: { block_id: string }) => [
          b.block_id,
          { [FIGURE_ACTION_ID]: { type: 'plain_text_input', value: entered[b.block_id.slice('figure:'.length)] ?? null } },
        ]),
    );
    expect(Object.keys(values)).toContain(figureBlockId('leads'));
    const res = await t.submitView({ callbackId: view.callback_id, privateMetadata: view.private_metadata, values, userId: 'UOPS' });
    expect(res.status).toBe(200);
    await t.settle();
    const text = await t.slack.waitFor(() => {
      const s = JSON.stringify(t.slack.findMessage(run.channel, holder().ts)!.blocks);
      return s.includes('Total leads generated: *50*') ? s : undefined;
    });
    // Counts and money: the relative change; the same value: an arrow across.
    expect(text).toContain('Total leads generated: *50*  (↑ +25% vs yesterday · → unchanged vs same day last week');
    // A rate: points, not the relative change (20% → 26.5% is +6.5 pts, not +33%).
    expect(text).toContain('Lead-to-booking conversion rate: *26.5%*  (↑ +6.5 pts vs yesterday · ↓ −3.5 pts vs same day last week');
    expect(text).toContain('CPL (Cost Per Lead): *$45*  (↓ −25% vs yesterday · → unchanged vs same day last week');
    // A figure nobody entered has no trend to show.
    expect(text).toMatch(/Revenue generated: _____(?! {2}\(↑)/);
  });
});

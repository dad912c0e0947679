import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ImproveIds } from '../../blocks/improve';
import { timerHandlers } from '../../jobs/timers';
import { runImprovementReview } from '../../jobs/improvement-review';
import { improvements, timers } from '../../src/db/schema';
import { deliverOutbox } from '../../src/outbox';
import { sweepTimers } from '../../src/timers';
import { FakeClock, startTestBot, type TestBot } from '../support/harness';

let t: TestBot;
const clock = new FakeClock(new Date('2026-03-02T14:00:00Z')); // first Monday of March, 09:00 New York

beforeAll(async () => {
  t = await startTestBot({ clock, config: { roles: { 'ops-manager': { name: 'Operations Manager', members: ['UMGR'] } } } });
});
afterAll(() => t?.close());
afterEach(() => expect(t.slack.problems).toEqual([]));

const field = (f: 'title' | 'reach' | 'confidence' | 'effort', value: string) => ({
  [ImproveIds.field(f).block]: { [ImproveIds.field(f).action]: { type: 'plain_text_input', value } },
});
const impact = (value: string | null) => ({
  [ImproveIds.field('impact').block]: { [ImproveIds.field('impact').action]: { type: 'static_select', selected_option: value === null ? null : { value } } },
});
const form = (title: string, reach: string, imp: string | null, confidence: string, effort: string) => ({
  ...field('title', title),
  ...field('reach', reach),
  ...impact(imp),
  ...field('confidence', confidence),
  ...field('effort', effort),
});
const submit = (values: ReturnType<typeof form>, viewId: string, userId = 'UOPS') =>
  t.submitView({ callbackId: ImproveIds.modal, privateMetadata: '', values, userId, viewId });
const rows = () => t.database.db.select().from(improvements).orderBy(improvements.id);

async function reply(text: string, userId = 'UMGR') {
  const n = t.slack.responses.length;
  const res = await t.slash('/ops', text, { userId });
  expect(res.status).toBe(200);
  return { ack: res.json, later: () => t.slack.waitFor(() => t.slack.responses[n]) };
}

describe('/ops improve: RICE scoring and ranking', () => {
  it('add opens the RICE form with the title filled in', async () => {
    const res = await t.slash('/ops', 'improve add Shorter booking form', { userId: 'UOPS' });
    expect(res.status).toBe(200);
    const call = await t.slack.waitFor(() => t.slack.callsOf('views.open').at(-1));
    const view = call.args.view as { callback_id: string; blocks: { block_id: string; element: { initial_value?: string } }[] };
    expect(view.callback_id).toBe(ImproveIds.modal);
    expect(view.blocks.find((b) => b.block_id === ImproveIds.field('title').block)!.element.initial_value).toBe('Shorter booking form');
    expect(view.blocks.map((b) => b.block_id)).toEqual(['title', 'reach', 'impact', 'confidence', 'effort'].map((f) => ImproveIds.field(f as 'title').block));
  });

  it('bad numbers are refused per field, and nothing is stored', async () => {
    const res = await submit(form('Shorter booking form', 'lots', null, '150', '0'), 'V-bad');
    expect(res.json.response_action).toBe('errors');
    expect(res.json.errors).toEqual({
      [ImproveIds.field('reach').block]: 'The reach (users a month) must be a number.',
      [ImproveIds.field('impact').block]: 'Choose an impact.',
      [ImproveIds.field('confidence').block]: 'The confidence (%) must be at least 1 and at most 100.',
      [ImproveIds.field('effort').block]: 'The effort (person-weeks) must be more than 0 and at most 520.',
    });
    expect(await rows()).toEqual([]);
  });

  it('scores each (Reach × Impact × Confidence) / Effort, once per form, and ranks them', async () => {
    const dms = () =>
      t.slack
        .callsOf('chat.postMessage')
        .filter((c) => c.args.channel === 'UOPS')
        .map((c) => String(c.args.text));
    // Each confirmation says the rank at the time: wait for it before the next form.
    const added = async (values: ReturnType<typeof form>, viewId: string) => {
      const n = dms().length;
      expect((await submit(values, viewId)).status).toBe(200);
      return t.slack.waitFor(() => dms()[n]);
    };
    expect(await added(form('Shorter booking form', '500', '2', '80', '4'), 'V-a')).toContain('RICE score *200*, ranked 1 of 1');
    await submit(form('Shorter booking form', '500', '2', '80', '4'), 'V-a'); // a double submit: no row, no message
    expect(await added(form('Auto-reply to missed calls', '1,000', '1', '50%', '1'), 'V-b')).toContain('RICE score *500*, ranked 1 of 2');
    expect(await added(form('Rewrite the AI diagnostics', '100', '3', '100', '10'), 'V-c')).toContain('RICE score *30*, ranked 3 of 3');
    expect(await added(form('Dark mode', '50', '0.25', '50', '1'), 'V-d')).toContain('RICE score *6.3*, ranked 4 of 4');
    await t.settle();
    expect(dms()).toHaveLength(4);
    expect((await rows()).map((r) => [r.title, r.score])).toEqual([
      ['Shorter booking form', 200],
      ['Auto-reply to missed calls', 500],
      ['Rewrite the AI diagnostics', 30],
      ['Dark mode', 6.3],
    ]);

    const { later } = await reply('improve', 'UOPS');
    const body = String((await later()).body.blocks[0].text.text);
    const order = [...body.matchAll(/^\d+\. #(\d+) /gm)].map((m) => Number(m[1]));
    const ids = (await rows()).map((r) => r.id);
    expect(order).toEqual([ids[1], ids[0], ids[2], ids[3]]);
    expect(body).toContain('score *500* (R 1000 × I 1 × C 50% ÷ E 1)');
  });
});

describe('the monthly review: top three with owner, deadline and success criteria', () => {
  it('review posts the ranking to the ops channel with the ask', async () => {
    const { ack, later } = await reply('improve review');
    expect(ack.text).toContain('Posting the improvement ranking');
    expect((await later()).body.text).toContain('Posted the ranking (4 open)');
    const posted = t.slack.channelMessages('ops').at(-1)!;
    expect(posted.text).toContain('Monthly improvement review — 2026-03: 4 open, 0 committed');
    expect(JSON.stringify(posted.blocks)).toContain('Implement the top three');
  });

  it("the monthly review's slot posts the ranking once (replicas, restarts); long after it, nothing", async () => {
    const before = t.slack.channelMessages('ops').length;
    expect(await runImprovementReview(t.bot.deps, clock.now())).toEqual({ kind: 'posted', month: '2026-03', open: 4 });
    expect(await runImprovementReview(t.bot.deps, new Date(clock.now().getTime() + 60_000))).toEqual({ kind: 'already' });
    const posted = t.slack.channelMessages('ops').slice(before);
    expect(posted.map((m) => m.text)).toEqual(['Monthly improvement review — 2026-03: 4 open, 0 committed']);
    expect(await runImprovementReview(t.bot.deps, new Date('2026-03-03T03:00:00Z'))).toEqual({ kind: 'not_due' });
  });

  it('commit sets owner, deadline and criteria and a reminder at 09:00 that day; a fourth is refused', async () => {
    const [a, b, c, d] = await rows();
    const res = await reply(`improve commit ${b!.id} <@UOWNER|owen> 2026-03-20 Missed calls answered within 1 minute`);
    expect(res.ack.text).toContain(`Improvement #${b!.id} *Auto-reply to missed calls* is committed: owner <@UOWNER>, deadline 2026-03-20`);
    const [timer] = await t.database.db
      .select()
      .from(timers)
      .where(eq(timers.refId, String(b!.id)));
    expect(timer).toMatchObject({ kind: 'improvement-deadline', dueAt: new Date('2026-03-20T13:00:00Z'), cancelledAt: null });
    await reply(`improve commit ${a!.id} <@UOWNER> 2026-03-27 Booking completion above 60%`);
    await reply(`improve commit ${c!.id} <@UTECH> 2026-04-30 Diagnoses 90% correct`);
    const fourth = await reply(`improve commit ${d!.id} <@UOWNER> 2026-03-30 Fewer complaints`);
    expect(fourth.ack.text).toContain('Three improvements are already committed');
    expect((await rows()).find((r) => r.id === d!.id)!.state).toBe('proposed');
    // Bad input gets the usage; a past deadline is named.
    expect((await reply(`improve commit ${d!.id} someone 2026-03-30 x`)).ack.text).toContain('Usage:');
    expect((await reply(`improve commit ${a!.id} <@UOWNER> 2026-02-01 x`)).ack.text).toContain('The deadline 2026-02-01 has passed.');
  });

  it('the owner is reminded on the deadline morning; a closed one is not', async () => {
    const [a, b] = await rows();
    const done = await reply(`improve done ${a!.id} Completion rose from 48% to 63%`);
    expect(done.ack.text).toContain('is done. Measured result: _Completion rose from 48% to 63%_');
    expect((await rows()).find((r) => r.id === a!.id)).toMatchObject({ state: 'done', result: 'Completion rose from 48% to 63%' });
    clock.set('2026-03-20T12:59:00Z');
    expect((await sweepTimers(t.bot.deps.db, clock.now(), timerHandlers(t.bot.deps))).fired).toEqual([]);
    clock.set('2026-03-27T13:00:00Z'); // past both deadlines: only the open one reminds
    const swept = await sweepTimers(t.bot.deps.db, clock.now(), timerHandlers(t.bot.deps));
    expect(swept.fired).toEqual([{ kind: 'improvement-deadline', refId: String(b!.id), step: 0 }]);
    await deliverOutbox(t.bot.deps, clock.now());
    const reminder = t.slack.channelMessages('ops').at(-1)!;
    expect(reminder.text).toContain(`<@UOWNER>: improvement #${b!.id} *Auto-reply to missed calls* is due today`);
    expect(reminder.text).toContain(`/ops improve done ${b!.id}`);
  });

  it("deciding is for the review's roles: anyone else is told who may", async () => {
    const res = await reply('improve commit 1 <@UOPS> 2026-12-01 x', 'UOPS');
    expect(res.ack.text).toBe(':no_entry: Only the Operations Manager, Technical Lead, CTO or CEO may commit, close or review improvements.');
  });
});

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FIGURE_ACTION_ID, figureBlockId } from '../../blocks/figures-modal';
import { runChecklistSchedule } from '../../jobs/checklist-schedule';
import { metrics } from '../../src/db/schema';
import { changeText, parseFigure } from '../../src/runs/units';
import { FakeClock, startTestBot, type TestBot } from '../support/harness';

const local = (iso: string) => new Date(`${iso}:00-05:00`);
let t: TestBot;
let clock: FakeClock;
beforeAll(async () => {
  clock = new FakeClock(local('2026-02-23T08:00'));
  t = await startTestBot({ clock });
});
afterAll(() => t.close());
afterEach(() => expect(t.slack.problems).toEqual([]));

describe('/ops list', () => {
  it('lists every checklist with its schedule in words and next run in the business time zone', async () => {
    const res = await t.slash('/ops', 'list');
    const text = JSON.stringify(res.json.blocks);
    expect(res.json.response_type).toBe('ephemeral');
    expect(text).toContain('*Morning Checklist* (`/ops morning`) — every day at 9:00, 15 min, #ops\\n      next: Mon 23 Feb, 09:00');
    expect(text).toContain('the first Monday of the month at 9:00');
    expect(text).toContain('next: Mon 2 Mar, 09:00');
    expect(text).toContain('the last Friday of the month at 14:00');
    expect(text).toContain('next: Fri 27 Feb, 14:00');
    expect(text).toContain('Times in America/New_York');
    expect(
      res.json.blocks
        .filter((b: any) => b.type === 'section')
        .map((b: any) => b.text.text)
        .join('\n')
        .split('\n      next:'),
    ).toHaveLength(t.bot.deps.config.checklists.length + 1);
    expect(t.bot.deps.config.checklists.length).toBe(15);
  });
});

describe('/ops status', () => {
  it("shows today's runs with progress, late and missed, and links", async () => {
    await runChecklistSchedule(t.bot.deps, clock.now());
    clock.set(local('2026-02-23T09:00'));
    await runChecklistSchedule(t.bot.deps, clock.now());
    const res = await t.slash('/ops', 'status');
    expect(res.json.text).toContain('Gathering today');
    const reply = await t.slack.waitFor(() => t.slack.responses.find((r) => r.body.text?.startsWith('Today:')));
    const text = JSON.stringify(reply.body.blocks);
    expect(reply.body.text).toBe('Today: 0/2 checklists complete');
    expect(text).toContain('Today — Monday 23 February');
    expect(text).toMatch(/:white_circle: 09:00 <https:\/\/drainpro\.slack\.test\/archives\/COPS\/p\d+\|Morning Checklist> — 0\/7 signed/);
    expect(text).toContain('Monday weekly review');
    // Permalinks never change: a second status asks Slack for none.
    const asked = t.slack.callsOf('chat.getPermalink').length;
    expect(asked).toBeGreaterThan(0);
    const again = t.slack.responses.length;
    await t.slash('/ops', 'status');
    const second = await t.slack.waitFor(() => t.slack.responses.slice(again).find((r) => r.body.text?.startsWith('Today:')));
    expect(JSON.stringify(second.body.blocks)).toBe(text);
    expect(t.slack.callsOf('chat.getPermalink')).toHaveLength(asked);
  });
});

describe('figures', () => {
  it('compares rates in points and other figures in percent', () => {
    expect(changeText(26.5, 20, 'yesterday', 'percent')).toBe('↑ +6.5 pts vs yesterday');
    expect(changeText(18, 20, 'same day last week', 'percent')).toBe('↓ −2 pts vs same day last week');
    expect(changeText(120, 100, 'yesterday', 'count')).toBe('↑ +20% vs yesterday');
  });

  it('parses each unit and says what is wrong', () => {
    expect(parseFigure('money', '$1,250.50')).toEqual({ ok: true, value: 1250.5 });
    expect(parseFigure('percent', '27.5%')).toEqual({ ok: true, value: 27.5 });
    expect(parseFigure('percent', '140')).toEqual({ ok: false, error: 'Must be between 0 and 100.' });
    expect(parseFigure('count', '12.5')).toEqual({ ok: false, error: 'Enter a whole number, e.g. 120.' });
    expect(parseFigure('rating', 'great')).toEqual({ ok: false, error: 'Enter a rating from 0 to 5, e.g. 4.6.' });
    expect(parseFigure('minutes', '45 min')).toEqual({ ok: true, value: 45 });
  });

  it('the modal validates per unit, stores the figures and shows the change against last week', async () => {
    const monday = t.slack.channelMessages('ops').find((m) => m.text.startsWith('Monday weekly review'))!;
    const replies = t.slack.channelMessages('ops').filter((m) => m.thread_ts === monday.ts);
    const target = monday.thread_ts ? monday : replies.length ? replies[0]! : monday;
    const actions = target.blocks!.filter((b: any) => b.type === 'actions');
    const figuresButton = actions.flatMap((a: any) => a.elements).find((e: any) => e.action_id === 'item_figures');
    const runId = Number(figuresButton.value.split('|')[0]);
    // Last week's figure, as if entered a week ago.
    await t.database.db.insert(metrics).values({
      runId: null,
      checklistId: 'weekly-review',
      itemId: 'x',
      figureId: 'total-leads',
      periodStart: local('2026-02-16T09:00'),
      unit: 'count',
      value: 100,
      enteredBy: 'UOLD',
      enteredAt: local('2026-02-16T10:00'),
    });
    await t.database.db.insert(metrics).values({
      runId: null,
      checklistId: 'weekly-review',
      itemId: 'x',
      figureId: 'conversion-rate',
      periodStart: local('2026-02-16T09:00'),
      unit: 'percent',
      value: 20,
      enteredBy: 'UOLD',
      enteredAt: local('2026-02-16T10:00'),
    });
    const opens = t.slack.callsOf('views.open').length;
    await t.click({ actionId: 'item_figures', value: figuresButton.value, channelId: target.channel, messageTs: target.ts, userId: 'UOPS' });
    const view = (await t.slack.waitFor(() => t.slack.callsOf('views.open')[opens])).args.view;
    const inputs = view.blocks.filter((b: any) => b.type === 'input');
    expect(inputs.map((b: any) => b.block_id)).toContain(figureBlockId('total-leads'));
    const values = (entries: Record<string, string>) =>
      Object.fromEntries(
        inputs.map((b: any) => [b.block_id, { [FIGURE_ACTION_ID]: { type: 'plain_text_input', value: entries[b.block_id.slice('figure:'.length)] ?? null } }]),
      );
    const bad = await t.submitView({
      callbackId: view.callback_id,
      privateMetadata: view.private_metadata,
      values: values({ 'total-leads': 'lots', 'conversion-rate': '250%' }),
      userId: 'UOPS',
    });
    expect(bad.json.response_action).toBe('errors');
    expect(bad.json.errors).toEqual({
      [figureBlockId('total-leads')]: 'Enter a whole number, e.g. 120.',
      [figureBlockId('conversion-rate')]: 'Must be between 0 and 100.',
    });
    const ok = await t.submitView({
      callbackId: view.callback_id,
      privateMetadata: view.private_metadata,
      values: values({ 'total-leads': '112', 'conversion-rate': '27.5%' }),
      userId: 'UOPS',
    });
    expect(ok.status).toBe(200);
    await t.slack.waitFor(async () => (await t.database.db.select().from(metrics)).some((m) => m.runId === runId && m.figureId === 'total-leads'));
    await t.settle();
    await t.slack.waitFor(() => JSON.stringify(t.slack.findMessage(target.channel, target.ts)!.blocks).includes('↑ +12% vs previous week'));
    const text = JSON.stringify(t.slack.findMessage(target.channel, target.ts)!.blocks);
    expect(text).toContain('Total leads: *112*');
    expect(text).toContain('27.5%');
    // A rate compares in points, not as a relative change (20% → 27.5% is not "↑ 38%").
    expect(text).toContain('↑ +7.5 pts vs previous week');
  });
});

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ActionIds, CallbackIds, BlockIds, InputActionIds } from '../../blocks/ids';
import { listItemEvents, loadRun } from '../../src/runs/store';
import { checklistRuns } from '../../src/db/schema';
import { startTestBot, type TestBot } from '../support/harness';

let t: TestBot;
beforeAll(async () => {
  t = await startTestBot({ config: { roles: { 'tech-lead': { name: 'Technical Lead', members: ['UTECH'] } } } });
});
afterAll(() => t.close());
afterEach(() => {
  expect(t.slack.problems).toEqual([]);
});

const MORNING_CHECKS = [
  'System Health Check',
  'Review Overnight Metrics',
  'Check Critical Alerts',
  'Verify Call Forwarding',
  'Review AI Agent Activity',
  'Check Payment Processing',
  'Review Customer Feedback',
];

async function postMorning() {
  const before = t.slack.callsOf('chat.postMessage').length;
  const res = await t.slash('/ops', 'morning');
  expect(res.status).toBe(200);
  const call = await t.slack.waitFor(() => t.slack.callsOf('chat.postMessage')[before]);
  const msg = t.slack.messages.find((m) => m.text === call.args.text && m.blocks === call.args.blocks)!;
  const buttons = msg.blocks!.filter((b: any) => b.type === 'actions');
  const valueOf = (i: number) => buttons[i].elements[0].value as string;
  return { res, call, msg, valueOf };
}

function sectionTexts(blocks: any[]): string[] {
  return blocks.filter((b) => b.type === 'section').map((b) => b.text.text as string);
}

describe('/ops morning', () => {
  it('acks at once and posts the seven checks of the guide with Done/Problem/N/A and progress', async () => {
    const { res, call, msg } = await postMorning();
    expect(res.json.response_type).toBe('ephemeral');
    expect(res.json.text).toContain('Morning Checklist');
    expect(call.args.channel).toBe('ops');
    const header = msg.blocks!.find((b: any) => b.type === 'header');
    expect(header.text.text).toMatch(/^Morning Checklist — \w{3}, \d{1,2} \w{3} \d{4}$/);
    const sections = sectionTexts(msg.blocks!);
    expect(sections.map((s) => /^\*\d\. (.+?)\*/.exec(s)?.[1])).toEqual(MORNING_CHECKS);
    expect(sections[3]).toContain('within 2 seconds');
    expect(sections[1]).toContain('Forwarding success rate (should be &gt;95%)');
    const actions = msg.blocks!.filter((b: any) => b.type === 'actions');
    expect(actions).toHaveLength(7);
    for (const a of actions) expect(a.elements.map((e: any) => e.text.text).slice(0, 3)).toEqual(['Done', 'Problem', 'N/A']);
    // Items with blanks to fill in ("Total calls received: ____") also offer the figures modal.
    expect(actions[1].elements.map((e: any) => e.text.text)).toEqual(['Done', 'Problem', 'N/A', 'Enter figures']);
    expect(JSON.stringify(msg.blocks)).toContain('0/7 signed');
  });

  it('records a click in the database, then updates the same message with who and when', async () => {
    const { msg, valueOf } = await postMorning();
    const runId = Number(valueOf(0).split('|')[0]);
    const res = await t.click({ actionId: ActionIds.itemDone, value: valueOf(0), channelId: msg.channel, messageTs: msg.ts, userId: 'UBOB' });
    expect(res.status).toBe(200);
    await t.slack.waitFor(() => t.slack.callsOf('chat.update').find((c) => c.args.ts === msg.ts));
    await t.settle();
    const state = await loadRun(t.database.db, runId);
    expect(state!.items[0]).toMatchObject({ status: 'done', signedBy: 'UBOB' });
    expect(state!.items[0]!.signedAt).toBeInstanceOf(Date);
    const updated = t.slack.findMessage(msg.channel, msg.ts)!;
    expect(sectionTexts(updated.blocks!)[0]).toMatch(/:white_check_mark: Done by <@UBOB> at <!date\^\d+\^\{time\}\|\d\d:\d\d>/);
    expect(JSON.stringify(updated.blocks)).toContain('1/7 signed');
  });

  it('Problem opens a modal; the note is saved and shown under the item; bad input stays in the modal', async () => {
    const { msg, valueOf } = await postMorning();
    const runId = Number(valueOf(5).split('|')[0]);
    const opens = t.slack.callsOf('views.open').length;
    await t.click({ actionId: ActionIds.itemProblem, value: valueOf(5), channelId: msg.channel, messageTs: msg.ts, userId: 'UCAROL' });
    const open = await t.slack.waitFor(() => t.slack.callsOf('views.open')[opens]);
    const view = open.args.view;
    expect(view.callback_id).toBe(CallbackIds.problemNote);
    // Empty note: a field error, nothing recorded.
    const empty = await t.submitView({
      callbackId: view.callback_id,
      privateMetadata: view.private_metadata,
      values: { [BlockIds.noteInput]: { [InputActionIds.note]: { type: 'plain_text_input', value: '   ' } } },
      userId: 'UCAROL',
    });
    expect(empty.json).toEqual({ response_action: 'errors', errors: { [BlockIds.noteInput]: 'Please write a short note.' } });
    expect((await loadRun(t.database.db, runId))!.items[5]!.status).toBe('pending');

    const ok = await t.submitView({
      callbackId: view.callback_id,
      privateMetadata: view.private_metadata,
      values: { [BlockIds.noteInput]: { [InputActionIds.note]: { type: 'plain_text_input', value: '3 failed charges <@here> since 6am' } } },
      userId: 'UCAROL',
    });
    expect(ok.status).toBe(200);
    expect(ok.text).toBe('');
    await t.slack.waitFor(() => t.slack.callsOf('chat.update').find((c) => c.args.ts === msg.ts));
    await t.settle();
    const item = (await loadRun(t.database.db, runId))!.items[5]!;
    expect(item).toMatchObject({ status: 'problem', signedBy: 'UCAROL', note: '3 failed charges <@here> since 6am' });
    const text = sectionTexts(t.slack.findMessage(msg.channel, msg.ts)!.blocks!)[5]!;
    expect(text).toContain(':red_circle: Problem by <@UCAROL>');
    // The note is escaped: it cannot ping @here.
    expect(text).toContain('> 3 failed charges &lt;@here&gt; since 6am');
  });

  it('a second person may change an item; both actions stay in the audit log', async () => {
    const { msg, valueOf } = await postMorning();
    const runId = Number(valueOf(2).split('|')[0]);
    await t.click({ actionId: ActionIds.itemDone, value: valueOf(2), channelId: msg.channel, messageTs: msg.ts, userId: 'UBOB' });
    await t.slack.waitFor(async () => (await loadRun(t.database.db, runId))!.items[2]!.status === 'done');
    await t.click({ actionId: ActionIds.itemNa, value: valueOf(2), channelId: msg.channel, messageTs: msg.ts, userId: 'UDAN' });
    await t.slack.waitFor(() => JSON.stringify(t.slack.findMessage(msg.channel, msg.ts)!.blocks).includes('N/A by <@UDAN>'));
    const events = await listItemEvents(t.database.db, runId);
    expect(events.map((e) => [e.itemId, e.previousStatus, e.status, e.userId])).toEqual([
      ['critical-alerts', 'pending', 'done', 'UBOB'],
      ['critical-alerts', 'done', 'na', 'UDAN'],
    ]);
  });

  it('a double click and a Slack retry of the same click change nothing twice', async () => {
    const { msg, valueOf } = await postMorning();
    const runId = Number(valueOf(1).split('|')[0]);
    const click = { actionId: ActionIds.itemDone, value: valueOf(1), channelId: msg.channel, messageTs: msg.ts, userId: 'UBOB', actionTs: '1772460000.123456' };
    await t.click(click);
    await t.click(click, { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } });
    await t.click({ ...click, actionTs: '1772460000.223456' }); // the second click of a double click
    await t.settle();
    await new Promise((r) => setTimeout(r, 100));
    await t.settle();
    const events = await listItemEvents(t.database.db, runId);
    expect(events).toHaveLength(1);
    expect((await loadRun(t.database.db, runId))!.run.version).toBe(1);
  });

  it('says when the checklist is complete, by whom and how long it took', async () => {
    const { msg, valueOf } = await postMorning();
    const runId = Number(valueOf(0).split('|')[0]);
    for (let i = 0; i < 7; i += 1) {
      await t.click({
        actionId: i === 6 ? ActionIds.itemNa : ActionIds.itemDone,
        value: valueOf(i),
        channelId: msg.channel,
        messageTs: msg.ts,
        userId: i < 4 ? 'UBOB' : 'UERIN',
      });
    }
    await t.slack.waitFor(() => JSON.stringify(t.slack.findMessage(msg.channel, msg.ts)!.blocks).includes('Checklist complete'));
    const state = (await loadRun(t.database.db, runId))!;
    expect(state.run.state).toBe('complete');
    expect(state.run.completedAt).toBeInstanceOf(Date);
    const blocks = t.slack.findMessage(msg.channel, msg.ts)!.blocks!;
    const last = JSON.stringify(blocks.at(-1));
    expect(last).toContain('signed by <@UBOB>, <@UERIN> in');
    expect(t.slack.findMessage(msg.channel, msg.ts)!.text).toContain('complete');
  });

  it('a Slack retry of the same /ops morning request posts once', async () => {
    const posts = t.slack.callsOf('chat.postMessage').length;
    const triggerId = 'trigger-retry-same-request';
    await t.slash('/ops', 'morning', { triggerId });
    await t.slash('/ops', 'morning', { triggerId, send: { headers: { 'x-slack-retry-num': '1' } } });
    await t.slack.waitFor(() => t.slack.callsOf('chat.postMessage').length > posts);
    await new Promise((r) => setTimeout(r, 200));
    expect(t.slack.callsOf('chat.postMessage').length).toBe(posts + 1);
    const rows = await t.database.db.select().from(checklistRuns);
    expect(rows.filter((r) => r.periodKey === `adhoc:${triggerId}`)).toHaveLength(1);
  });
});

describe('/ops help and typos', () => {
  it.each(['help', '', 'mornin', 'rm -rf /'])('`/ops %s` answers with ephemeral usage listing the subcommands', async (text) => {
    const posts = t.slack.callsOf('chat.postMessage').length;
    const res = await t.slash('/ops', text);
    expect(res.status).toBe(200);
    expect(res.json.response_type).toBe('ephemeral');
    const body = JSON.stringify(res.json.blocks);
    expect(body).toContain('/ops help');
    expect(body).toContain('morning');
    if (text && text !== 'help') expect(res.json.text).toContain('Unknown subcommand');
    expect(t.slack.callsOf('chat.postMessage').length).toBe(posts);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActionIds, BlockIds, InputActionIds } from '../../blocks/ids';
import { checklistRuns, itemEvents } from '../../src/db/schema';
import { startTestSandbox, type TestSandbox } from '../support/sandbox';

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox();
});
afterAll(() => t.close());

const until = <T>(f: () => Promise<T | undefined | false | null>): Promise<T> => t.sandbox.workspace.waitFor(async () => (await f()) ?? undefined, 8000);

async function postMorning(user = 'UALICE') {
  const before = t.sandbox.workspace.channelMessages('COPS').length;
  const sent = await t.post('command', { user, channel: 'COPS', text: '/ops morning' });
  expect(sent.json).toEqual({ ok: true });
  return until(async () => (await t.state(user)).messages.filter((m) => m.channel === 'COPS')[before]);
}

/** Index of the actions block of item `n` (0-based) in the checklist message. */
function actionsIndex(blocks: any[], n: number): number {
  return blocks.map((b, i) => [b, i] as const).filter(([b]) => b.type === 'actions')[n]![1];
}

describe('sandbox page and API', () => {
  it('serves the page and its scripts on the bot’s own port, next to /healthz and /slack/events', async () => {
    const page = await fetch(`${t.url}/`);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('/sandbox/page.js');
    for (const f of ['page.js', 'blockkit.js', 'page.css']) expect((await fetch(`${t.url}/sandbox/${f}`)).status).toBe(200);
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${t.url}/slack/events`, { method: 'POST', body: 'x' })).status).toBe(401);
    const state = await t.state();
    expect(state.channels.map((c) => c.name)).toEqual(['ops', 'incidents', 'leadership']);
    expect(state.users.map((u) => `${u.name}:${u.title}`)).toContain('alice:Operations Manager');
  });

  it('streams one server-sent event per change, so the page updates live', async () => {
    const res = await fetch(`${t.url}/sandbox/api/events`);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = res.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    const version = Number(/data: (\d+)/.exec(first)![1]);
    await t.post('message', { user: 'UBOB', channel: 'COPS', text: 'morning all' });
    const next = new TextDecoder().decode((await reader.read()).value);
    expect(Number(/data: (\d+)/.exec(next)![1])).toBeGreaterThan(version);
    await reader.cancel();
    expect((await t.state()).messages.at(-1)).toMatchObject({ user: 'UBOB', text: 'morning all' });
  });

  it('a slash command reaches the bot signed; the checklist appears and the ack is only for the sender', async () => {
    const msg = await postMorning();
    expect(msg.user).toBe('UBOT');
    expect(msg.blocks![0]).toMatchObject({ type: 'header' });
    expect(msg.text).toContain('Morning Checklist');
    const alice = await t.state('UALICE');
    expect(alice.ephemerals.map((e) => e.text)).toContainEqual(expect.stringContaining('Posting *Morning Checklist*'));
    expect((await t.state('UBOB')).ephemerals).toEqual([]);
    expect(t.sandbox.workspace.problems).toEqual([]);
  });

  it('a click updates the message in place with the signer; the database has the sign-off', async () => {
    const msg = await postMorning();
    const res = await t.post('action', {
      user: 'UBOB',
      channel: msg.channel,
      ts: msg.ts,
      blockIndex: actionsIndex(msg.blocks!, 0),
      actionId: ActionIds.itemDone,
    });
    expect(res.json).toEqual({ ok: true });
    const updated = await until(async () => (await t.state()).messages.find((m) => m.ts === msg.ts && JSON.stringify(m.blocks).includes('Done by <@UBOB>')));
    expect(updated.edited).toBeTruthy();
    expect((await t.database.db.select().from(itemEvents)).some((e) => e.userId === 'UBOB' && e.status === 'done')).toBe(true);
  });

  it('Problem opens a modal for the clicker only; a field error stays in the modal; the note lands on the message', async () => {
    const msg = await postMorning();
    await t.post('action', { user: 'UCAROL', channel: msg.channel, ts: msg.ts, blockIndex: actionsIndex(msg.blocks!, 5), actionId: ActionIds.itemProblem });
    const modal = await until(async () => (await t.state('UCAROL')).modal);
    expect((await t.state('UALICE')).modal).toBeNull();
    expect(modal.view).toMatchObject({ title: { text: 'Report a problem' } });
    const empty = await t.post('view/submit', {
      user: 'UCAROL',
      viewId: modal.id,
      values: { [BlockIds.noteInput]: { [InputActionIds.note]: { type: 'plain_text_input', value: null } } },
    });
    expect(empty.json).toEqual({ ok: false, error: 'validation', errors: { [BlockIds.noteInput]: 'Please write a short note.' } });
    expect((await t.state('UCAROL')).modal?.errors).toEqual({ [BlockIds.noteInput]: 'Please write a short note.' });
    const ok = await t.post('view/submit', {
      user: 'UCAROL',
      viewId: modal.id,
      values: { [BlockIds.noteInput]: { [InputActionIds.note]: { type: 'plain_text_input', value: 'Stripe shows 3 failed charges' } } },
    });
    expect(ok.json).toEqual({ ok: true });
    expect((await t.state('UCAROL')).modal).toBeNull();
    await until(async () => JSON.stringify((await t.state()).messages.find((m) => m.ts === msg.ts)!.blocks).includes('> Stripe shows 3 failed charges'));
  });

  it('Cancel closes the modal; unknown commands get Slackbot’s answer; bad requests are refused', async () => {
    const msg = await postMorning('UDAN');
    await t.post('action', { user: 'UDAN', channel: msg.channel, ts: msg.ts, blockIndex: actionsIndex(msg.blocks!, 1), actionId: ActionIds.itemProblem });
    const modal = await until(async () => (await t.state('UDAN')).modal);
    expect((await t.post('view/close', { user: 'UDAN', viewId: modal.id })).json).toEqual({ ok: true });
    expect((await t.state('UDAN')).modal).toBeNull();

    expect((await t.post('command', { user: 'UDAN', channel: 'COPS', text: '/deploy now' })).json).toEqual({ ok: false, error: 'unknown_command' });
    expect((await t.state('UDAN')).ephemerals.at(-1)).toMatchObject({ user: 'USLACKBOT', text: expect.stringContaining('`/deploy` is not a valid command') });

    expect((await t.post('command', { user: 'UNOBODY', channel: 'COPS', text: '/ops morning' })).status).toBe(400);
    const form = await fetch(`${t.url}/sandbox/api/reset`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' });
    expect(form.status).toBe(415);
  });

  it('response_url replies replace the original, post in channel or show only to the person', async () => {
    const ws = t.sandbox.workspace;
    const msg = await postMorning();
    ws.responseContexts.set('r-replace', { user: 'UALICE', channel: msg.channel, messageTs: msg.ts });
    ws.responseContexts.set('r-eph', { user: 'UBOB', channel: msg.channel });
    const send = (id: string, body: unknown) =>
      fetch(ws.responseUrl(id), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    await send('r-eph', { text: 'just for bob' });
    expect((await t.state('UBOB')).ephemerals.map((e) => e.text)).toContain('just for bob');
    await send('r-replace', { replace_original: true, text: 'replaced' });
    expect(ws.findMessage(msg.channel, msg.ts)).toMatchObject({ text: 'replaced', blocks: undefined });
  });

  it('a message that breaks Block Kit’s limits carries the reason to the page', async () => {
    const res = await fetch(`${t.sandbox.workspace.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${t.sandbox.workspace.token}` },
      body: JSON.stringify({ channel: 'leadership', text: 'bad', blocks: [{ type: 'header', text: { type: 'plain_text', text: 'x'.repeat(151) } }] }),
    });
    const { ts } = (await res.json()) as { ts: string };
    const shown = (await t.state()).messages.find((m) => m.ts === ts)!;
    expect(shown.problems).toMatch(/blocks\.0\.text\.text/);
    t.sandbox.workspace.problems.length = 0;
  });

  it('reset wipes the workspace’s messages and every table of the sandbox database', async () => {
    await postMorning();
    await t.sandbox.bot.deps.refreshes.checklists.idle();
    expect((await t.database.db.select().from(checklistRuns)).length).toBeGreaterThan(0);
    expect((await t.post('reset', {})).json).toEqual({ ok: true });
    const state = await t.state();
    expect(state.messages).toEqual([]);
    expect(state.ephemerals).toEqual([]);
    expect(state.channels.map((c) => c.name)).toEqual(['ops', 'incidents', 'leadership']);
    expect(await t.database.db.select().from(checklistRuns)).toEqual([]);
    expect(await t.database.db.select().from(itemEvents)).toEqual([]);
    // The bot still works after a reset, with run ids starting over.
    const msg = await postMorning();
    expect((msg.blocks as any[]).find((b) => b.type === 'actions').elements[0].value).toMatch(/^1\|/);
  });
});

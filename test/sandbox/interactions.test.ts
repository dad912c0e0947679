import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQs } from 'node:querystring';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clickAction, openHome, sendCommand } from '../../sandbox/interactions';
import { clickViewAction, closeView, submitView } from '../../sandbox/modal-interactions';
import { SlackWorkspace } from '../../sandbox/slack-workspace';
import { verifySlackSignature } from '../../src/slack/verify';

/**
 * The workspace's side of interactions, against a fake bot that checks Slack's signature and
 * answers as the test says: the payload shapes, and what Slack does with each kind of answer.
 */
const SECRET = 'sandbox-test-secret-0123';
let ws: SlackWorkspace;
let bot: Server;
let received: any[] = [];
let answer: (body: any) => { status?: number; json?: unknown; delayMs?: number } = () => ({});

beforeAll(async () => {
  ws = await new SlackWorkspace('xoxb-unit').start();
  bot = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', async () => {
      const ok = verifySlackSignature({
        signingSecret: SECRET,
        body: raw,
        signature: req.headers['x-slack-signature'] as string,
        timestamp: req.headers['x-slack-request-timestamp'] as string,
        nowMs: Date.now(),
      });
      if (!ok.ok) return res.writeHead(401).end();
      const qs = parseQs(raw);
      const body = req.headers['content-type']?.includes('json') ? JSON.parse(raw) : typeof qs.payload === 'string' ? JSON.parse(qs.payload) : qs;
      received.push(body);
      const a = answer(body);
      if (a.delayMs) await new Promise((r) => setTimeout(r, a.delayMs));
      res.writeHead(a.status ?? 200, { 'content-type': 'application/json' }).end(a.json === undefined ? '' : JSON.stringify(a.json));
    });
  });
  await new Promise<void>((r) => bot.listen(0, '127.0.0.1', r));
  ws.connect({ url: `http://127.0.0.1:${(bot.address() as AddressInfo).port}`, signingSecret: SECRET });
});
afterAll(async () => {
  await ws.close();
  bot.closeAllConnections();
  await new Promise((r) => bot.close(r));
});
beforeEach(() => {
  ws.clear();
  received = [];
  answer = () => ({});
});

async function api(method: string, args: Record<string, unknown>): Promise<any> {
  const res = await fetch(`${ws.apiUrl}${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer xoxb-unit' },
    body: JSON.stringify(args),
  });
  return res.json();
}

const modal = (title: string, extra: Record<string, unknown> = {}) => ({
  type: 'modal',
  title: { type: 'plain_text', text: title },
  blocks: [],
  callback_id: 'cb',
  ...extra,
});

describe('interactions from the sandbox workspace', () => {
  it('a slash command carries the person, channel and a trigger that opens their modal', async () => {
    answer = () => ({ json: { response_type: 'in_channel', text: 'hello *everyone*' } });
    expect(await sendCommand(ws, { user: 'UBOB', channel: 'ops', text: '/incident p1 Forwarding down' })).toEqual({ ok: true });
    expect(received[0]).toMatchObject({
      command: '/incident',
      text: 'p1 Forwarding down',
      user_id: 'UBOB',
      user_name: 'bob',
      channel_id: 'COPS',
      channel_name: 'ops',
    });
    expect(ws.channelMessages('COPS').at(-1)).toMatchObject({ text: 'hello *everyone*', user: 'UBOT' });
    const opened = await api('views.open', { trigger_id: received[0].trigger_id, view: modal('Declare') });
    expect(opened.ok).toBe(true);
    expect(ws.modals.get('UBOB')![0]!.id).toBe(opened.view.id);
  });

  it('a command\'s answer sent with replace_original takes the place of its "⏳" ack: no dangling placeholder', async () => {
    answer = () => ({ json: { response_type: 'ephemeral', text: ':hourglass_flowing_sand: Acknowledging…' } });
    expect(await sendCommand(ws, { user: 'UBOB', channel: 'ops', text: '/incident ack 1' })).toEqual({ ok: true });
    expect(ws.ephemerals.map((e) => e.text)).toEqual([':hourglass_flowing_sand: Acknowledging…']);
    const res = await fetch(received[0].response_url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ response_type: 'ephemeral', replace_original: true, text: 'You acknowledged incident #1.' }),
    });
    expect(res.status).toBe(200);
    expect(ws.ephemerals.map((e) => e.text)).toEqual(['You acknowledged incident #1.']);
  });

  it('selects and overflow menus send the chosen option; buttons their value', async () => {
    const posted = await api('chat.postMessage', {
      channel: 'ops',
      text: 'pick',
      blocks: [
        {
          type: 'section',
          block_id: 's',
          text: { type: 'mrkdwn', text: 'x' },
          accessory: { type: 'overflow', action_id: 'more', options: [{ text: { type: 'plain_text', text: 'Snooze' }, value: 'snooze' }] },
        },
        {
          type: 'actions',
          elements: [
            { type: 'static_select', action_id: 'sev', options: [{ text: { type: 'plain_text', text: 'P1' }, value: 'p1' }] },
            { type: 'button', action_id: 'go', text: { type: 'plain_text', text: 'Go' }, value: 'v1' },
          ],
        },
      ],
    });
    await clickAction(ws, { user: 'UCAROL', channel: posted.channel, ts: posted.ts, blockIndex: 0, actionId: 'more', selected: 'snooze' });
    await clickAction(ws, { user: 'UCAROL', channel: posted.channel, ts: posted.ts, blockIndex: 1, actionId: 'sev', selected: 'p1' });
    await clickAction(ws, { user: 'UCAROL', channel: posted.channel, ts: posted.ts, blockIndex: 1, actionId: 'go' });
    expect(received.map((b) => b.actions[0])).toMatchObject([
      { type: 'overflow', action_id: 'more', block_id: 's', selected_option: { value: 'snooze', text: { text: 'Snooze' } } },
      { type: 'static_select', action_id: 'sev', block_id: 'b1', selected_option: { value: 'p1' } },
      { type: 'button', action_id: 'go', value: 'v1', text: { text: 'Go' } },
    ]);
    expect(received[0]).toMatchObject({
      type: 'block_actions',
      user: { id: 'UCAROL' },
      container: { message_ts: posted.ts, channel_id: posted.channel },
      message: { blocks: expect.any(Array) },
    });
    expect(await clickAction(ws, { user: 'UCAROL', channel: posted.channel, ts: posted.ts, blockIndex: 1, actionId: 'nope' })).toEqual({
      ok: false,
      error: 'element_not_found',
    });
  });

  it('view_submission answers: errors stay, update replaces, push stacks, clear closes all, empty closes one', async () => {
    const opened = await api('views.open', { trigger_id: 't-unknown', view: modal('First', { notify_on_close: true, private_metadata: 'm1' }) });
    ws.modals.set('UDAN', ws.modals.get('unknown')!);
    const values = { b: { a: { type: 'plain_text_input', value: 'x' } } };
    answer = () => ({ json: { response_action: 'errors', errors: { b: 'Too short' } } });
    expect(await submitView(ws, { user: 'UDAN', viewId: opened.view.id, values })).toEqual({ ok: false, error: 'validation', errors: { b: 'Too short' } });
    expect(received[0]).toMatchObject({ type: 'view_submission', view: { id: opened.view.id, callback_id: 'cb', private_metadata: 'm1', state: { values } } });
    answer = () => ({ json: { response_action: 'update', view: modal('Second') } });
    await submitView(ws, { user: 'UDAN', viewId: opened.view.id, values });
    expect(ws.modals.get('UDAN')!.map((v) => v.view.title.text)).toEqual(['Second']);
    answer = () => ({ json: { response_action: 'push', view: modal('Third') } });
    await submitView(ws, { user: 'UDAN', viewId: opened.view.id, values });
    const stack = ws.modals.get('UDAN')!;
    expect(stack.map((v) => v.view.title.text)).toEqual(['Second', 'Third']);
    await api('views.update', { view_id: stack[1]!.id, view: modal('Third, updated') });
    expect(stack[1]!.view.title.text).toBe('Third, updated');
    answer = () => ({});
    await submitView(ws, { user: 'UDAN', viewId: stack[1]!.id, values });
    expect(ws.modals.get('UDAN')!.map((v) => v.view.title.text)).toEqual(['Second']);
    answer = () => ({ json: { response_action: 'clear' } });
    await submitView(ws, { user: 'UDAN', viewId: stack[0]!.id, values });
    expect(ws.modals.has('UDAN')).toBe(false);
  });

  it('closing a modal that asked for it sends view_closed', async () => {
    const opened = await api('views.open', { trigger_id: 'x', view: modal('Close me', { notify_on_close: true }) });
    ws.modals.set('UALICE', ws.modals.get('unknown')!);
    await closeView(ws, { user: 'UALICE', viewId: opened.view.id });
    expect(received[0]).toMatchObject({ type: 'view_closed', view: { id: opened.view.id } });
    expect(ws.modals.has('UALICE')).toBe(false);
  });

  it('a bot that fails or answers too late gets Slack’s error shown to the person', async () => {
    answer = () => ({ status: 500 });
    expect(await sendCommand(ws, { user: 'UALICE', channel: 'COPS', text: '/ops morning' })).toEqual({ ok: false, error: 'http_500' });
    expect(ws.ephemerals.at(-1)).toMatchObject({ user: 'USLACKBOT', target: 'UALICE', text: '`/ops` failed with the error "dispatch_failed"' });
    answer = () => ({ delayMs: 3500 });
    expect((await sendCommand(ws, { user: 'UALICE', channel: 'COPS', text: '/ops morning' })).error).toBe('operation_timeout');
    expect(ws.ephemerals.at(-1)!.text).toContain('operation_timeout');
  }, 10_000);

  it('App Home: opening it sends app_home_opened; views.publish shows the tab', async () => {
    await openHome(ws, 'UBOB');
    expect(received[0]).toMatchObject({ type: 'event_callback', event: { type: 'app_home_opened', user: 'UBOB', tab: 'home' } });
    expect((await api('views.publish', { user_id: 'UBOB', view: { type: 'home', blocks: [{ type: 'divider' }] } })).ok).toBe(true);
    expect(ws.homes.get('UBOB')).toEqual({ id: 'VHOMEUBOB', view: { type: 'home', blocks: [{ type: 'divider' }] } });
    await api('views.publish', {
      user_id: 'UBOB',
      view: {
        type: 'home',
        blocks: [
          {
            type: 'actions',
            block_id: 'home-actions',
            elements: [{ type: 'button', action_id: 'refresh', text: { type: 'plain_text', text: 'Refresh' }, value: 'r' }],
          },
        ],
      },
    });
    expect(await clickViewAction(ws, { user: 'UBOB', surface: 'home', blockIndex: 0, actionId: 'refresh' })).toEqual({ ok: true });
    expect(received.at(-1)).toMatchObject({
      type: 'block_actions',
      container: { type: 'view', view_id: 'VHOMEUBOB' },
      view: { id: 'VHOMEUBOB', type: 'home' },
      actions: [{ action_id: 'refresh', value: 'r', block_id: 'home-actions' }],
    });
    expect(received.at(-1).response_url).toBeUndefined();
    await api('views.publish', { user_id: 'UBOB', view: { type: 'home', blocks: [{ type: 'rich_text' }] } });
    expect(ws.homes.get('UBOB')!.problems).toBeTruthy();
  });
});

import { App, type Receiver } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { ListenerRoutes } from '../src/slack/listener-routes';

const receiver: Receiver = { init: () => undefined, start: async () => undefined, stop: async () => undefined };

/** A real Bolt app with the routes installed, and what each handler was called with. */
function routedApp() {
  const routes = new ListenerRoutes();
  const calls: { handler: string; args: Record<string, unknown> }[] = [];
  const record = (handler: string) => async (args: object) => {
    calls.push({ handler, args: args as Record<string, unknown> });
  };
  routes.command('/ops', record('command /ops'));
  routes.action('item.done', record('action item.done'));
  routes.view('figures', record('view figures'));
  routes.shortcut('declare_incident', record('shortcut declare_incident'));
  routes.event('app_home_opened', record('event app_home_opened'));
  const app = new App({ receiver, authorize: async () => ({ botToken: 'xoxb-test', botId: 'B0BOT', botUserId: 'U0BOT' }), logLevel: undefined });
  routes.install(app);
  /** Bolt's own entry point for a request; returns the handlers it reached. */
  const send = async (body: Record<string, unknown>) => {
    const before = calls.length;
    await app.processEvent({ body, ack: async () => undefined });
    return calls.slice(before).map((c) => c.handler);
  };
  return { routes, calls, send };
}

const team = { id: 'T0DRAIN', domain: 'drainpro' };
const user = { id: 'UOPS1', team_id: 'T0DRAIN' };
const command = (name: string) => ({
  command: name,
  text: 'help',
  user_id: 'UOPS1',
  channel_id: 'COPS',
  team_id: 'T0DRAIN',
  trigger_id: 't1',
  response_url: 'https://hooks.slack.test/r',
});

describe('ListenerRoutes', () => {
  it('refuses a second handler for the same command, action, view, shortcut or event', () => {
    const routes = new ListenerRoutes();
    const h = async () => undefined;
    routes.command('/ops', h);
    routes.action('item_done', h);
    routes.view('figures', h);
    routes.shortcut('declare_incident', h);
    routes.event('app_home_opened', h);
    expect(() => routes.command('/ops', h)).toThrow(/two listeners for \/ops/);
    expect(() => routes.action('item_done', h)).toThrow(/two listeners for item_done/);
    expect(() => routes.view('figures', h)).toThrow(/two listeners for figures/);
    expect(() => routes.shortcut('declare_incident', h)).toThrow(/two listeners for declare_incident/);
    expect(() => routes.event('app_home_opened', h)).toThrow(/two listeners for app_home_opened/);
  });

  it('routes each surface by its exact name through a real Bolt app, as Bolt listeners matched', async () => {
    const { send } = routedApp();
    expect(await send(command('/ops'))).toEqual(['command /ops']);
    // Exact names only: no prefix, no regex meaning in a name.
    expect(await send(command('/opsx'))).toEqual([]);
    expect(await send(command('/op'))).toEqual([]);

    const click = (actionId: string) => ({
      type: 'block_actions',
      team,
      user,
      channel: { id: 'COPS' },
      trigger_id: 't2',
      actions: [{ action_id: actionId, block_id: 'b', type: 'button', action_ts: '1.2' }],
    });
    expect(await send(click('item.done'))).toEqual(['action item.done']);
    expect(await send(click('itemXdone'))).toEqual([]);

    const view = (type: string, callbackId: string) => ({ type, team, user, view: { id: 'V1', callback_id: callbackId, hash: 'h', state: { values: {} } } });
    expect(await send(view('view_submission', 'figures'))).toEqual(['view figures']);
    // Bolt's app.view(name) matched submissions only; a closed modal reaches no handler.
    expect(await send(view('view_closed', 'figures'))).toEqual([]);
    expect(await send(view('view_submission', 'figures2'))).toEqual([]);

    // A global and a message shortcut alike, by callback id.
    expect(await send({ type: 'shortcut', team, user, callback_id: 'declare_incident', trigger_id: 't3' })).toEqual(['shortcut declare_incident']);
    expect(
      await send({ type: 'message_action', team, user, channel: { id: 'COPS' }, callback_id: 'declare_incident', trigger_id: 't4', message: { ts: '1.1' } }),
    ).toEqual(['shortcut declare_incident']);

    const event = (type: string) => ({
      type: 'event_callback',
      team_id: 'T0DRAIN',
      event_id: 'Ev1',
      event: { type, user: 'UOPS1', channel: 'D1', tab: 'home' },
    });
    expect(await send(event('app_home_opened'))).toEqual(['event app_home_opened']);
    expect(await send(event('app_mention'))).toEqual([]);
  });

  it("hands a handler the arguments a Bolt listener gets, Bolt's ack and respond among them", async () => {
    const { calls, send } = routedApp();
    await send(command('/ops'));
    const args = calls[0]!.args;
    expect((args.command as { text: string }).text).toBe('help');
    expect(args.payload).toBe(args.command);
    expect(typeof args.ack).toBe('function');
    expect(typeof args.respond).toBe('function');
    expect(typeof args.say).toBe('function');
    expect((args.context as { botToken: string }).botToken).toBe('xoxb-test');
    expect(args.client).toBeDefined();
  });
});

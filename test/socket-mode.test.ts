import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActionIds } from '../blocks/ids';
import { checklistItems } from '../src/db/schema';
import { blockAction, slashCommand } from '../sandbox/payloads';
import { startSocketModeBot, unknownActionPayload, type SocketModeBot } from './support/socket-mode';

/**
 * Socket Mode end to end (the manifest's default): the real Bolt SocketModeReceiver and
 * @slack/socket-mode client, a real WebSocket on loopback to a stand-in of Slack's edge, the Web
 * API stand-in for everything the bot calls back.
 */
let t: SocketModeBot;
beforeAll(async () => {
  t = await startSocketModeBot();
}, 30_000);
afterAll(() => t?.close());

const command = (text: string, userId = 'UALICE') => slashCommand({ command: '/ops', text, userId, responseUrl: t.slack.responseUrl(randomUUID()) });

describe('Socket Mode', () => {
  it('connects with the app token and says so on /healthz', async () => {
    expect(t.slack.callsOf('apps.connections.open')).toHaveLength(1);
    expect(t.socket.connections).toBe(1);
    const health = await (await fetch(`${t.bot.url}/healthz`)).json();
    expect(health).toMatchObject({ status: 'ok', mode: 'socket' });
  });

  it('answers /ops help in the ack, and a typo with usage help', async () => {
    const help = await t.socket.send('slash_commands', command('help'));
    expect(help.text).toContain('/ops');
    const typo = await t.socket.send('slash_commands', command('mornign'));
    expect(typo.text).toContain('Unknown subcommand');
  });

  it('/ops morning acks at once, posts the checklist, and a Done click over the socket signs the item', async () => {
    const posts = t.slack.callsOf('chat.postMessage').length;
    const ack = await t.socket.send('slash_commands', command('morning'));
    expect(ack.text).toContain('Morning Checklist');
    const call = await t.slack.waitFor(
      () =>
        t.slack
          .callsOf('chat.postMessage')
          .slice(posts)
          .find((c) => c.args.channel === 'ops'),
      10_000,
    );
    const msg = t.slack.messages.find((m) => m.text === call.args.text && m.channel === t.slack.channelId('ops'))!;
    const done = msg.blocks!.filter((b: any) => b.type === 'actions')[0].elements.find((e: any) => e.action_id === ActionIds.itemDone);
    const updates = t.slack.callsOf('chat.update').length;
    const clicked = await t.socket.send(
      'interactive',
      JSON.parse(
        blockAction({
          actionId: ActionIds.itemDone,
          value: done.value,
          channelId: msg.channel,
          messageTs: msg.ts,
          userId: 'UBOB',
          responseUrl: t.slack.responseUrl(randomUUID()),
        }).payload!,
      ),
    );
    expect(clicked ?? {}).toEqual({});
    await t.settle();
    const items = await t.database.db.select().from(checklistItems);
    const signed = items.filter((i) => i.status === 'done' && i.signedBy === 'UBOB');
    expect(signed).toHaveLength(1);
    await t.slack.waitFor(() => t.slack.callsOf('chat.update').length > updates, 5000);
    expect(JSON.stringify(t.slack.findMessage(msg.channel, msg.ts)!.blocks)).toContain('<@UBOB>');
  });

  it('an envelope Slack would not send (a view without callback_id) is acknowledged, refused and logged', async () => {
    const ack = await t.socket.send('interactive', {
      type: 'view_submission',
      user: { id: 'UBOB' },
      team: { id: 'T0DRAIN' },
      view: { id: 'V1', state: { values: {} } },
    });
    expect(ack ?? {}).toEqual({});
    expect(t.logs.some((l) => l.includes('refused a Socket Mode envelope'))).toBe(true);
    expect(t.logs.filter((l) => l.includes('"level":50'))).toEqual([]);
  });

  it('an interaction no listener knows is acknowledged and changes nothing', async () => {
    const before = t.slack.calls.length;
    const ack = await t.socket.send('interactive', unknownActionPayload(t));
    expect(ack ?? {}).toEqual({});
    await t.settle();
    expect(t.slack.calls.slice(before).filter((c) => c.method.startsWith('chat.'))).toEqual([]);
  });
});

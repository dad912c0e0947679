import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { App, LogLevel } from '@slack/bolt';
import { SECRET, TOKEN } from './lib';

/**
 * The floor: a bare Bolt app on Bolt's own HTTPReceiver that only calls ack() (and, for a slash
 * command with no text, opens a one-block modal right after, as the bot's declare form does).
 * botId/botUserId are given so it makes no auth.test call; nothing else runs.
 */
export async function startBareBolt(slackApiUrl: string): Promise<{ url: string; close(): Promise<void> }> {
  const app = new App({
    token: TOKEN,
    signingSecret: SECRET,
    botId: 'BBOT',
    botUserId: 'UBOT',
    tokenVerificationEnabled: false,
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl, retryConfig: { retries: 0 } },
  });
  app.command(/.*/, async ({ ack, command, client }) => {
    await ack();
    if (command.text === '')
      await client.views.open({
        trigger_id: command.trigger_id,
        view: { type: 'modal', title: { type: 'plain_text', text: 'Declare' }, blocks: [{ type: 'section', text: { type: 'plain_text', text: 'x' } }] },
      });
  });
  app.action(/.*/, async ({ ack }) => ack());
  const server = (await app.start(0)) as unknown as Server;
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, close: () => app.stop().then(() => undefined) };
}

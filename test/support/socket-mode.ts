import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { blockAction } from '../../sandbox/payloads';
import type { SlackWorkspace } from '../../sandbox/slack-workspace';
import { startTestBot, type TestBot } from './harness';

/**
 * Slack's side of Socket Mode, over a real WebSocket on loopback: `apps.connections.open` on the
 * workspace stand-in hands out this server's URL; on connect it says `hello`; `send()` pushes an
 * envelope (slash command, interaction) and resolves with the app's acknowledgement — the
 * envelope id echoed, with the ack's payload — as Slack's edge would receive it.
 */
export class SocketModeStandin {
  private readonly wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  private socket: WebSocket | undefined;
  private readonly waiting = new Map<string, (payload: any) => void>();
  private connected!: Promise<void>;
  connections = 0;

  constructor(
    private readonly slack: SlackWorkspace,
    readonly appToken = 'xapp-1-A0DRAIN-test',
  ) {}

  async start(): Promise<this> {
    await new Promise<void>((resolve) => (this.wss.address() ? resolve() : this.wss.once('listening', () => resolve())));
    const { port } = this.wss.address() as AddressInfo;
    this.slack.socketMode = { url: `ws://127.0.0.1:${port}/link/?ticket=${randomUUID()}`, appToken: this.appToken };
    this.connected = new Promise((resolve) => {
      this.wss.on('connection', (ws) => {
        this.connections += 1;
        this.socket = ws;
        ws.on('message', (data) => {
          const msg = JSON.parse(String(data)) as { envelope_id?: string; payload?: unknown };
          if (msg.envelope_id) this.waiting.get(msg.envelope_id)?.(msg.payload ?? null);
        });
        ws.send(
          JSON.stringify({
            type: 'hello',
            num_connections: 1,
            debug_info: { host: 'standin', approximate_connection_time: 3600 },
            connection_info: { app_id: 'A0DRAIN' },
          }),
        );
        resolve();
      });
    });
    return this;
  }

  /** Resolves once the app has connected. */
  ready(ms = 10_000): Promise<void> {
    return Promise.race([this.connected, new Promise<void>((_, reject) => setTimeout(() => reject(new Error('no Socket Mode connection')), ms).unref())]);
  }

  /** Pushes one envelope; resolves with the ack's payload (null for an empty ack), or rejects after `ms`. */
  send(type: 'slash_commands' | 'interactive' | 'events_api', payload: unknown, ms = 5000): Promise<any> {
    if (!this.socket) throw new Error('no Socket Mode connection');
    const id = randomUUID();
    const acked = new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`no ack for envelope ${id} within ${ms} ms`));
      }, ms);
      this.waiting.set(id, (p) => {
        clearTimeout(timer);
        this.waiting.delete(id);
        resolve(p);
      });
    });
    this.socket.send(JSON.stringify({ envelope_id: id, type, payload, accepts_response_payload: type !== 'events_api', retry_attempt: 0, retry_reason: '' }));
    return acked;
  }

  async close(): Promise<void> {
    for (const c of this.wss.clients) c.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}

/** A test bot in Socket Mode, connected to the stand-in of Slack's edge (`socket`); `close` stops both. */
export type SocketModeBot = TestBot & { socket: SocketModeStandin };

export async function startSocketModeBot(appToken = 'xapp-1-A0DRAIN-test'): Promise<SocketModeBot> {
  let socket: SocketModeStandin | undefined;
  const t = await startTestBot({
    env: { SLACK_APP_TOKEN: appToken },
    beforeStart: async (slack) => {
      socket = await new SocketModeStandin(slack, appToken).start();
    },
  });
  const connected = socket!;
  try {
    await connected.ready();
  } catch (err) {
    await t.close();
    await connected.close();
    throw err;
  }
  return {
    ...t,
    socket: connected,
    close: async (o) => {
      await t.close(o);
      await connected.close();
    },
  };
}

/** The payload of a click on a button no listener knows (a message of another app, an old button). */
export function unknownActionPayload(t: TestBot): Record<string, unknown> {
  return JSON.parse(
    blockAction({
      actionId: 'no_such_action',
      value: 'x',
      channelId: 'COPS',
      messageTs: '1.000001',
      userId: 'UBOB',
      responseUrl: t.slack.responseUrl(randomUUID()),
    }).payload!,
  ) as Record<string, unknown>;
}

import type { App, Logger as BoltLogger, Receiver } from '@slack/bolt';
import { SocketModeClient } from '@slack/socket-mode';
import type { WebClientOptions } from '@slack/web-api';
import type { Logger } from '../logger';
import type { AfterAckTurns } from './after-ack';
import { envelopeProblem, ListenerDispatch, type ReceiverOptions } from './receiver';

export interface SocketReceiverOptions extends Pick<ReceiverOptions, 'ackDeadlineMs' | 'afterAck'> {
  appToken: string;
  logger: Logger;
  boltLogger: BoltLogger;
  clientOptions?: Omit<WebClientOptions, 'logger' | 'logLevel'>;
}

/**
 * Socket Mode on the same terms as HTTP (`ListenerDispatch`): Bolt's own SocketModeReceiver
 * leaves an envelope no listener matched unacknowledged (Slack then shows the person an error and
 * sends it again), has no ack deadline, and runs the work after an ack at once. The WebSocket and
 * its reconnects are @slack/socket-mode's.
 */
export class SocketReceiver implements Receiver {
  readonly client: SocketModeClient;
  readonly dispatch: ListenerDispatch;

  constructor(opts: SocketReceiverOptions) {
    this.dispatch = new ListenerDispatch(opts);
    this.client = new SocketModeClient({ appToken: opts.appToken, logger: opts.boltLogger, ...(opts.clientOptions ? { clientOptions: opts.clientOptions } : {}) });
    this.client.on('slack_event', (args: { ack: (response?: Record<string, unknown>) => Promise<void>; body: Record<string, unknown>; retry_num?: number; retry_reason?: string }) => {
      this.dispatch.turns.arrived();
      const problem = envelopeProblem(args.body);
      if (problem) {
        opts.logger.warn({ problem }, 'refused a Socket Mode envelope Slack would not send');
        void args.ack().catch(() => undefined);
        return;
      }
      void this.dispatch.run(args.body, {
        reply: (response) => args.ack(typeof response === 'string' ? { text: response } : (response as Record<string, unknown> | undefined)),
        fail: () => args.ack(),
        ...(args.retry_num !== undefined ? { retryNum: args.retry_num } : {}),
        ...(args.retry_reason ? { retryReason: args.retry_reason } : {}),
      });
    });
  }

  get turns(): AfterAckTurns {
    return this.dispatch.turns;
  }

  drain(ms?: number, flush?: boolean): Promise<void> {
    return this.dispatch.drain(ms, flush);
  }

  init(app: App): void {
    this.dispatch.app = app;
  }

  async start(): Promise<void> {
    await this.client.start();
  }

  async stop(): Promise<void> {
    await this.client.disconnect();
  }
}

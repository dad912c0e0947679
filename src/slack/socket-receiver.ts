import type { Logger as BoltLogger } from '@slack/bolt';
import { SocketModeClient } from '@slack/socket-mode';
import type { WebClientOptions } from '@slack/web-api';
import type { Logger } from '../logger';
import { DispatchingReceiver, type DispatchOptions } from './dispatch';
import { envelopeProblem } from './receiver';

export interface SocketReceiverOptions extends DispatchOptions {
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
export class SocketReceiver extends DispatchingReceiver {
  readonly client: SocketModeClient;

  constructor(opts: SocketReceiverOptions) {
    super(opts);
    this.client = new SocketModeClient({
      appToken: opts.appToken,
      logger: opts.boltLogger,
      ...(opts.clientOptions ? { clientOptions: opts.clientOptions } : {}),
    });
    this.client.on(
      'slack_event',
      (args: { ack: (response?: Record<string, unknown>) => Promise<void>; body: Record<string, unknown>; retry_num?: number; retry_reason?: string }) => {
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
          // Unacknowledged, the envelope is sent again.
          retryLater: () => undefined,
          ...(args.retry_num !== undefined ? { retryNum: args.retry_num } : {}),
          ...(args.retry_reason ? { retryReason: args.retry_reason } : {}),
        });
      },
    );
  }

  async start(): Promise<void> {
    await this.client.start();
  }

  async stop(): Promise<void> {
    await this.client.disconnect();
  }
}

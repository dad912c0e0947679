import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import type { Logger } from '../logger';
import { AfterAckTurns, type AfterAckOptions } from './after-ack';

/** Measured in BENCHMARKS.md ("Ack latency"). */
export const AFTER_ACK_DEFAULTS: AfterAckOptions = { limit: 32, quietMs: 50, maxWaitMs: 1000 };

export interface DispatchOptions {
  logger: Logger;
  /** Answer with an empty ack if no listener acked by then, so Slack never shows a timeout. */
  ackDeadlineMs?: number;
  /** When listeners' post-ack work may run (`AfterAckTurns`); see AFTER_ACK_DEFAULTS. */
  afterAck?: Partial<AfterAckOptions>;
}

export interface Transport {
  /** Sends the ack (the HTTP reply, or the Socket Mode envelope's acknowledgement). */
  reply(response: unknown): void | Promise<void>;
  /** Answers a request whose listener threw before acking. */
  fail(): void | Promise<void>;
  retryNum?: number;
  retryReason?: string;
}

/**
 * What both transports (HTTP, Socket Mode) do with a request once it is trusted: hand it to Bolt
 * with an ack that answers at most once; answer it anyway if no listener acks by the deadline or
 * none matches (Slack shows the person an error otherwise, and retries); run the listener's work
 * after its ack in turns (AfterAckTurns); and keep track of that work for a clean shutdown.
 */
export class ListenerDispatch {
  app: App | undefined;
  readonly turns: AfterAckTurns;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly opts: DispatchOptions) {
    this.turns = new AfterAckTurns({ ...AFTER_ACK_DEFAULTS, ...opts.afterAck });
  }

  /**
   * Waits (at most `ms`) for listeners still working after their ack, for a clean shutdown. With
   * `flush`, follow-ups still waiting for a turn start at once (the database must not close under them).
   */
  async drain(ms = 5000, flush = false): Promise<void> {
    if (flush) this.turns.open();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((r) => (timer = setTimeout(r, ms)));
    await Promise.race([Promise.allSettled([...this.inFlight]), timeout]);
    clearTimeout(timer);
  }

  async run(body: Record<string, unknown>, transport: Transport): Promise<void> {
    let acked = false;
    const answer = (response?: unknown) =>
      Promise.resolve(transport.reply(response)).catch((err: unknown) => {
        this.opts.logger.warn({ err: err instanceof Error ? err.message : String(err), type: body.type }, 'could not send the ack');
      });
    const deadline = setTimeout(() => {
      if (!acked) {
        acked = true;
        this.opts.logger.warn({ type: body.type, command: body.command }, 'no ack within the deadline; answered empty');
        void answer(undefined);
      }
    }, this.opts.ackDeadlineMs ?? 2500);
    // The ack replies at once; the listener's work after it then waits for a turn (AfterAckTurns).
    // A listener that does not await its ack may finish first: the turn is then given back as
    // soon as it arrives.
    const followUp = { asked: false, held: false, finished: false };
    const event: ReceiverEvent = {
      body,
      ...(transport.retryNum !== undefined ? { retryNum: transport.retryNum } : {}),
      ...(transport.retryReason ? { retryReason: transport.retryReason } : {}),
      ack: async (response?: unknown) => {
        if (acked) return;
        acked = true;
        clearTimeout(deadline);
        await answer(response);
        if (followUp.asked) return;
        followUp.asked = true;
        await this.turns.acquire();
        if (followUp.finished) this.turns.release();
        else followUp.held = true;
      },
    };
    try {
      const work = this.app!.processEvent(event);
      this.inFlight.add(work);
      try {
        await work;
      } finally {
        this.inFlight.delete(work);
      }
    } catch (err) {
      this.opts.logger.error({ err: err instanceof Error ? err.message : String(err), type: body.type }, 'event processing failed');
      if (!acked) {
        acked = true;
        await Promise.resolve(transport.fail()).catch(() => undefined);
      }
    } finally {
      followUp.finished = true;
      if (followUp.held) this.turns.release();
      clearTimeout(deadline);
      if (!acked) {
        // Listeners that matched nothing never ack; Slack still deserves an answer.
        acked = true;
        await answer(undefined);
      }
    }
  }
}

/** A Bolt receiver whose requests go through a ListenerDispatch: the HTTP and the Socket Mode one. */
export abstract class DispatchingReceiver implements Receiver {
  readonly dispatch: ListenerDispatch;

  constructor(opts: DispatchOptions) {
    this.dispatch = new ListenerDispatch(opts);
  }

  get turns(): AfterAckTurns {
    return this.dispatch.turns;
  }

  /** See ListenerDispatch.drain. */
  drain(ms?: number, flush?: boolean): Promise<void> {
    return this.dispatch.drain(ms, flush);
  }

  init(app: App): void {
    this.dispatch.app = app;
  }

  abstract start(): Promise<void>;
  abstract stop(): Promise<void>;
}

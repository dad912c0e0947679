import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import type { Logger } from '../logger';
import { describeError, isDatabaseUnavailable, newRef } from '../errors';
import { AfterAckTurns, type AfterAckOptions } from './after-ack';
import { intakeKey, type Accepted, type IntakeStore } from './intake';
import { asReplay } from './request-scope';

/** Measured in BENCHMARKS.md ("Ack latency"). */
export const AFTER_ACK_DEFAULTS: AfterAckOptions = { limit: 32, quietMs: 50, maxWaitMs: 1000 };

export interface DispatchOptions {
  logger: Logger;
  /** Answer with an empty ack if no listener acked by then, so Slack never shows a timeout. */
  ackDeadlineMs?: number;
  /** When listeners' post-ack work may run (`AfterAckTurns`); see AFTER_ACK_DEFAULTS. */
  afterAck?: Partial<AfterAckOptions>;
  /** Durable intake: every request is stored before its ack (the bot always has one; bare transport tests may not). */
  intake?: IntakeStore;
  /** How long the intake write may take before the person is told nothing was done (Slack allows 3 s in all). */
  intakeTimeoutMs?: number;
  /** Told each live ack's latency (request trusted → reply sent), for /metrics; never throws. */
  onAck?: (body: Record<string, unknown>, seconds: number) => void;
}

export interface Transport {
  /** Sends the ack (the HTTP reply, or the Socket Mode envelope's acknowledgement). */
  reply(response: unknown): void | Promise<void>;
  /** Answers a request whose listener threw before acking. */
  fail(): void | Promise<void>;
  /** Answers a request that could not be stored so that Slack sends it again (events). */
  retryLater(): void | Promise<void>;
  retryNum?: number;
  retryReason?: string;
}

/** How a request is being processed: live (its ack still to send) or replayed from the intake. */
interface Processing {
  intakeId?: number;
  replay: boolean;
  /** performance.now() when a live request arrived (its ack latency is measured from there). */
  started?: number;
}

const NOT_STORED_BUG = (ref: string) =>
  `:x: I could not store your request, so nothing was done (ref \`${ref}\`). Please try again; if it keeps failing, tell the ops team the ref.`;
const NOT_STORED = (ref: string) => `:hourglass: The database is not answering right now, so nothing was done. Please try again in a minute (ref \`${ref}\`).`;

/**
 * What both transports (HTTP, Socket Mode) do with a request once it is trusted: store it
 * (IntakeStore) before anything can ack it; hand it to Bolt with an ack that answers at most once;
 * answer it anyway if no listener acks by the deadline or none matches (Slack shows the person an
 * error otherwise, and retries); run the listener's work after its ack in turns (AfterAckTurns);
 * mark it done; and keep track of that work for a clean shutdown. `recover()` replays the stored
 * requests a dead process left unfinished.
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

  /** A request from Slack: stored first, then processed. */
  async run(body: Record<string, unknown>, transport: Transport): Promise<void> {
    const started = performance.now();
    const intake = this.opts.intake;
    if (!intake) return this.process(body, transport, { replay: false, started });
    const { kind, key } = intakeKey(body);
    const insert = intake.accept(body, kind, key);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((r) => (timer = setTimeout(() => r('late'), this.opts.intakeTimeoutMs ?? 2000)));
    let accepted: Accepted | 'late';
    try {
      accepted = await Promise.race([insert, late]);
    } catch (err) {
      return this.notStored(body, kind, transport, err);
    } finally {
      clearTimeout(timer);
    }
    if (accepted === 'late') {
      // The person is told nothing was done, so a write that lands after all must not be replayed.
      void insert
        .then((a) => (a.stored ? intake.abandon(key, 'not stored within the ack deadline; the person was told nothing was done') : undefined))
        .catch(() => undefined);
      return this.notStored(body, kind, transport, new Error('the intake write timed out'), true);
    }
    if (!accepted.stored) {
      // A Slack retry (or a replayed request): the first copy is done or still held by its processor.
      this.opts.logger.info({ key, kind, done: accepted.done, retryNum: transport.retryNum }, 'request already received; not processed again');
      await Promise.resolve(transport.reply(undefined)).catch(() => undefined);
      return;
    }
    await this.process(body, transport, { intakeId: accepted.id, replay: false, started });
  }

  /**
   * Replays stored requests whose processor died (their lease ran out; `all`: every unfinished
   * one, for a PGlite start-up). Their acks were sent long ago: the replay's ack goes nowhere, and
   * replies reach the person by response_url or, once that has expired, by DM (commands/respond.ts).
   */
  async recover(all = false): Promise<number> {
    const intake = this.opts.intake;
    if (!intake) return 0;
    const { rows, givenUp } = await intake.claimOrphans(32, all);
    for (const row of givenUp) {
      this.opts.logger.error({ key: row.key, kind: row.kind, attempts: row.attempts }, 'stored request given up: its processing never finished');
      await intake.finish(row.id, `given up after ${row.attempts - 1} attempts that never finished`);
    }
    const quiet: Transport = { reply: () => undefined, fail: () => undefined, retryLater: () => undefined };
    await Promise.all(
      rows.map((row) => {
        this.opts.logger.warn(
          { key: row.key, kind: row.kind, receivedAt: row.receivedAt.toISOString(), attempt: row.attempts },
          'replaying a stored request left unfinished',
        );
        return this.process(row.body, quiet, { intakeId: row.id, replay: true });
      }),
    );
    return rows.length;
  }

  /** The database did not take the request: say so, and act on nothing. */
  private async notStored(body: Record<string, unknown>, kind: string, transport: Transport, err: unknown, timedOut = false): Promise<void> {
    const ref = newRef();
    const unavailable = timedOut || isDatabaseUnavailable(err);
    this.opts.logger.error(
      { ref, kind, err: describeError(err) },
      unavailable ? 'request not stored (database unavailable); nothing was done' : 'request not stored; nothing was done',
    );
    const text = unavailable ? NOT_STORED(ref) : NOT_STORED_BUG(ref);
    const view = body.view as { blocks?: { type?: string; block_id?: string }[] } | undefined;
    const input = kind === 'view_submission' ? view?.blocks?.find((b) => b?.type === 'input' && typeof b.block_id === 'string') : undefined;
    try {
      if (kind === 'command') await transport.reply({ response_type: 'ephemeral', text });
      else if (input) await transport.reply({ response_action: 'errors', errors: { [input.block_id!]: text.slice(0, 150) } });
      else if (unavailable && (kind === 'event_callback' || kind === 'view_submission')) await transport.retryLater();
      else if (kind === 'event_callback' || kind === 'view_submission') await transport.reply(undefined);
      else {
        await transport.reply(undefined);
        if (typeof body.response_url === 'string') await postToResponseUrl(body.response_url, text);
      }
    } catch (e) {
      this.opts.logger.warn({ ref, err: describeError(e) }, 'could not tell the person their request was not stored');
    }
  }

  /** Processes a request, tracked until its row is marked done (drain and `idle()` wait for that too). */
  private async process(body: Record<string, unknown>, transport: Transport, how: Processing): Promise<void> {
    const work = this.processTracked(body, transport, how);
    this.inFlight.add(work);
    try {
      await work;
    } finally {
      this.inFlight.delete(work);
    }
  }

  private async processTracked(body: Record<string, unknown>, transport: Transport, how: Processing): Promise<void> {
    let acked = how.replay;
    const answer = (response?: unknown) =>
      Promise.resolve(transport.reply(response))
        .then(() => {
          if (how.started !== undefined) this.opts.onAck?.(body, (performance.now() - how.started) / 1000);
        })
        .catch((err: unknown) => {
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
      customProperties: { replay: how.replay },
      ack: async (response?: unknown) => {
        if (!acked) {
          acked = true;
          clearTimeout(deadline);
          await answer(response);
        }
        if (followUp.asked) return;
        followUp.asked = true;
        await this.turns.acquire();
        if (followUp.finished) this.turns.release();
        else followUp.held = true;
      },
    };
    const intake = this.opts.intake;
    const renewing =
      how.intakeId !== undefined && intake ? setInterval(() => void intake.renew(how.intakeId!).catch(() => undefined), intake.leaseMs / 3) : undefined;
    renewing?.unref();
    let failure: string | undefined;
    try {
      const run = () => this.app!.processEvent(event);
      await (how.replay ? asReplay(body, run) : run());
    } catch (err) {
      failure = describeError(err);
      this.opts.logger.error({ err: failure, type: body.type }, 'event processing failed');
      if (!acked) {
        acked = true;
        await Promise.resolve(transport.fail()).catch(() => undefined);
      }
    } finally {
      clearInterval(renewing);
      followUp.finished = true;
      if (followUp.held) this.turns.release();
      clearTimeout(deadline);
      if (!acked) {
        // Listeners that matched nothing never ack; Slack still deserves an answer.
        acked = true;
        await answer(undefined);
      }
    }
    if (how.intakeId !== undefined && intake) {
      await intake.finish(how.intakeId, failure).catch((err: unknown) => {
        // Left unfinished, the row is replayed once its lease runs out: the domain's keys make that a no-op.
        this.opts.logger.warn({ err: describeError(err), intakeId: how.intakeId }, 'could not mark a stored request done');
      });
    }
  }
}

async function postToResponseUrl(url: string, text: string): Promise<void> {
  await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text }),
    signal: AbortSignal.timeout(5000),
  });
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

/**
 * Turns for the work listeners do after their ack.
 *
 * Slack's clock is the ack (3 s); the work after it (queries, rendering, `response_url`, message
 * updates) has minutes. Left to run at once, the earliest requests' follow-up work in a burst
 * would share the event loop (and the machine's cores) with the parsing and acking of the later
 * requests, so the last acks of a 200-request burst would wait for a second of other work.
 *
 * Here a listener's `await ack()` sends the reply at once and then waits for a turn: at most
 * `limit` follow-ups run at once, and while requests are still arriving (one came in the last
 * `quietMs`) no new follow-up starts, unless it has waited `maxWaitMs` already. Follow-ups start
 * in arrival order.
 */
export interface AfterAckOptions {
  limit: number;
  /** A follow-up starts only once no request has arrived for this long (0: no waiting). */
  quietMs: number;
  /** …or once it has waited this long, so a steady stream of requests cannot starve it. */
  maxWaitMs: number;
}

export class AfterAckTurns {
  private active = 0;
  private readonly waiting: { since: number; start: () => void }[] = [];
  private lastArrival = -Infinity;
  private opened = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly now = () => performance.now();

  constructor(readonly opts: AfterAckOptions) {
    if (!Number.isInteger(opts.limit) || opts.limit < 1) throw new Error(`AfterAckTurns: limit must be a positive integer, got ${opts.limit}`);
  }

  /** A request came in: follow-ups wait until arrivals pause. */
  arrived(): void {
    this.lastArrival = this.now();
  }

  /** Resolves when the caller may start; it must `release()` exactly once after. */
  acquire(): Promise<void> {
    return new Promise((start) => {
      this.waiting.push({ since: this.now(), start });
      this.pump();
    });
  }

  /** Shutting down: every follow-up waiting starts now, and later ones at once (no limit, no quiet spell). */
  open(): void {
    this.opened = true;
    this.pump();
  }

  release(): void {
    this.active -= 1;
    this.pump();
  }

  /** Follow-ups running and waiting (for the bench and for tests). */
  get load(): { active: number; waiting: number } {
    return { active: this.active, waiting: this.waiting.length };
  }

  private pump(): void {
    const now = this.now();
    const quietFor = now - this.lastArrival;
    while ((this.opened || this.active < this.opts.limit) && this.waiting.length) {
      const head = this.waiting[0]!;
      if (!this.opened && quietFor < this.opts.quietMs && now - head.since < this.opts.maxWaitMs) break;
      this.waiting.shift();
      this.active += 1;
      head.start();
    }
    if (this.waiting.length && this.active < this.opts.limit && !this.timer) {
      const head = this.waiting[0]!;
      const wait = Math.max(1, Math.min(this.opts.quietMs - quietFor, this.opts.maxWaitMs - (now - head.since)));
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.pump();
      }, wait);
      this.timer.unref();
    }
  }
}

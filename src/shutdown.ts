import { constants } from 'node:os';
import type { Logger } from './logger';

export interface Stoppable {
  /** Stops accepting (server closed, socket disconnected, loops stopped) and waits for acknowledged work. */
  drain(): Promise<void>;
  /** Releases what is left (the database); runs after `drain`, or once the drain has had its time. */
  close(): Promise<void>;
}

export interface ShutdownOptions {
  logger: Logger;
  /** How long acknowledged work may take to finish before the database is closed under it. */
  drainMs?: number;
  /** The process exits by then whatever happens (orchestrators kill at 10 s). */
  deadlineMs?: number;
  /** Copies of one signal closer together than this are one signal (see below). */
  repeatMs?: number;
  exit?: (code: number) => void;
  signals?: readonly NodeJS.Signals[];
}

/**
 * SIGTERM / SIGINT: stop accepting, let acknowledged work finish, close the database, exit 0 within
 * the deadline; a second signal exits at once (128 + its number, as a shell reports a kill).
 *
 * Work still running when the drain time is up is not lost: every acknowledged request is stored
 * before its ack and replayed at the next start (src/slack/intake.ts), so cutting it short is safe.
 *
 * Ctrl-C under `npm start` delivers SIGINT twice within milliseconds (the terminal signals the
 * whole process group and npm forwards its own copy), so a repeat within `repeatMs` is ignored
 * rather than taken for an impatient second Ctrl-C.
 */
export class Shutdown {
  private target: Promise<Stoppable>;
  private setTarget!: (s: Stoppable) => void;
  private first: { signal: NodeJS.Signals; at: number } | undefined;
  private readonly exit: (code: number) => void;
  private readonly handler = (signal: NodeJS.Signals) => this.onSignal(signal);

  constructor(private readonly opts: ShutdownOptions) {
    this.exit = opts.exit ?? ((code) => process.exit(code));
    this.target = new Promise((r) => (this.setTarget = r));
    // Listening from the start: a signal during start-up waits for it to finish, then stops cleanly
    // (the default action would kill the process halfway through a migration).
    for (const s of opts.signals ?? ['SIGTERM', 'SIGINT']) process.on(s, this.handler);
  }

  /** What to stop once the bot (or the sandbox) is running. */
  ready(target: Stoppable): void {
    this.setTarget(target);
  }

  /** Stops listening (tests that construct several). */
  dispose(): void {
    for (const s of this.opts.signals ?? ['SIGTERM', 'SIGINT']) process.off(s, this.handler);
  }

  private onSignal(signal: NodeJS.Signals): void {
    const now = Date.now();
    if (!this.first) {
      this.first = { signal, at: now };
      void this.stop(signal);
      return;
    }
    if (signal === this.first.signal && now - this.first.at < (this.opts.repeatMs ?? 500)) return;
    this.opts.logger.warn({ signal }, 'second signal: exiting now');
    this.exit(128 + (constants.signals[signal] ?? 15));
  }

  private async stop(signal: NodeJS.Signals): Promise<void> {
    const { logger } = this.opts;
    const deadlineMs = this.opts.deadlineMs ?? 9_500;
    const drainMs = this.opts.drainMs ?? 7_000;
    const started = Date.now();
    const deadline = setTimeout(() => {
      logger.error({ signal, ms: deadlineMs }, 'shutdown did not finish in time: exiting');
      this.exit(1);
    }, deadlineMs);
    deadline.unref();
    logger.info({ signal }, 'shutting down: no new requests, finishing acknowledged work');
    try {
      const target = await this.target;
      let timer: NodeJS.Timeout | undefined;
      const outcome = await Promise.race([
        target.drain().then(() => 'drained' as const),
        new Promise<'late'>((r) => (timer = setTimeout(() => r('late'), Math.max(0, drainMs - (Date.now() - started))))),
      ]);
      clearTimeout(timer);
      if (outcome === 'late') {
        logger.warn({ ms: drainMs }, 'acknowledged work still running: it stays stored and is replayed at the next start');
      }
      await target.close();
    } catch (err) {
      logger.error({ err: err instanceof Error ? err.message : String(err) }, 'error while shutting down');
      clearTimeout(deadline);
      this.exit(1);
      return;
    }
    clearTimeout(deadline);
    logger.info({ ms: Date.now() - started }, 'stopped');
    this.exit(0);
  }
}

import type { PGlite, Transaction } from '@electric-sql/pglite';

type QueryArgs = Parameters<PGlite['query']>;
type TxCallback<T> = (tx: Transaction) => Promise<T>;

/** Resolves on the event loop's check phase: anything waiting on sockets runs first. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * PGlite's engine is WebAssembly on the bot's own thread, and every query runs synchronously.
 * Its own queue hands the engine from one query to the next through promise callbacks, so a
 * burst of work after 200 acks drains as one long task and no new request is read meanwhile:
 * measured, button-click acks reached 4.6 s at p99 (BENCHMARKS.md, first run).
 *
 * This is the client drizzle sees instead. One statement or transaction holds the engine at a
 * time, in arrival order, and each one (and each statement inside a transaction) starts on a
 * fresh turn of the event loop, so an incoming request waits for at most one statement, never
 * for the whole backlog. The cost is one loop turn per statement (microseconds).
 */
export class FairPglite {
  #tail: Promise<unknown> = Promise.resolve();

  constructor(readonly pglite: PGlite) {}

  /** Runs `fn` when every earlier holder of the engine has finished, starting on a new turn. */
  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#tail.then(nextTurn).then(fn);
    this.#tail = run.catch(() => undefined);
    return run;
  }

  query<T>(...args: QueryArgs) {
    return this.#exclusive(() => this.pglite.query<T>(...args));
  }

  exec(...args: Parameters<PGlite['exec']>) {
    return this.#exclusive(() => this.pglite.exec(...args));
  }

  transaction<T>(callback: TxCallback<T>): Promise<T> {
    return this.#exclusive(() =>
      this.pglite.transaction((tx) => {
        // Statements inside the transaction keep the engine (PGlite's own lock) but still yield a
        // turn each, so a long transaction does not starve the sockets either.
        const fair: Transaction = Object.create(tx, {
          query: { value: async (...a: Parameters<Transaction['query']>) => (await nextTurn(), tx.query(...a)) },
          sql: { value: async (...a: Parameters<Transaction['sql']>) => (await nextTurn(), tx.sql(...a)) },
          exec: { value: async (...a: Parameters<Transaction['exec']>) => (await nextTurn(), tx.exec(...a)) },
        });
        return callback(fair);
      }),
    );
  }
}

import { types, type PGlite, type Transaction } from '@electric-sql/pglite';

type QueryArgs = Parameters<PGlite['query']>;
type QueryOptions = QueryArgs[2];
type TxCallback<T> = (tx: Transaction) => Promise<T>;

/**
 * The types drizzle's PGlite driver has PGlite return as PostgreSQL's text, to map them itself:
 * timestamp, timestamptz, interval, date, and arrays of numeric, timestamp, timestamptz, interval
 * and date (drizzle-orm/pglite/session.js).
 */
const KEPT_AS_TEXT = new Set([types.TIMESTAMP, types.TIMESTAMPTZ, types.INTERVAL, types.DATE, 1231, 1115, 1185, 1187, 1182].map(String));
const asText = (value: string) => value;
const PROBE = {};
/** A parser that hands back the very object it is given keeps its text as it is. */
function returnsItsInput(parser: unknown): boolean {
  try {
    return typeof parser === 'function' && parser(PROBE) === PROBE;
  } catch {
    return false;
  }
}

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
  #tail: Promise<unknown>;

  constructor(readonly pglite: PGlite) {
    // Once PGlite is ready: getting ready fills in its array types' parsers, these among them. The
    // instance then returns these types as text to every caller; drizzle is the only one that reads
    // them (the health ping selects 1; the migrator is drizzle too).
    this.#tail = pglite.waitReady.then(() => {
      for (const oid of KEPT_AS_TEXT) pglite.parsers[oid] = asText;
    });
  }

  /**
   * drizzle hands every query parsers that keep a few types as text (KEPT_AS_TEXT), and PGlite
   * merges them into a fresh copy of its whole parser table (~320 types) for each query: measured,
   * 158 KiB allocated per small query against 38 KiB without (BENCHMARKS.md, footprint, sixth
   * pass). This instance's own table keeps those types as text already (the constructor), so a
   * query whose parsers only do that goes to PGlite without them: the same parsing, nothing copied.
   * Any other parser (another type, or one that changes its input) stays with its query.
   */
  #shared(options: QueryOptions): QueryOptions {
    const parsers = options?.parsers;
    if (!parsers) return options;
    for (const oid in parsers) if (!KEPT_AS_TEXT.has(oid) || !returnsItsInput(parsers[oid as unknown as number])) return options;
    const { parsers: _, ...rest } = options!;
    return rest;
  }

  /** Runs `fn` when every earlier holder of the engine has finished, starting on a new turn. */
  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#tail.then(nextTurn).then(fn);
    this.#tail = run.catch(() => undefined);
    return run;
  }

  query<T>(text: QueryArgs[0], params?: QueryArgs[1], options?: QueryOptions) {
    return this.#exclusive(() => this.pglite.query<T>(text, params, this.#shared(options)));
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
          query: {
            value: async (text: QueryArgs[0], params?: QueryArgs[1], options?: QueryOptions) => (
              await nextTurn(), tx.query(text, params, this.#shared(options))
            ),
          },
          sql: { value: async (...a: Parameters<Transaction['sql']>) => (await nextTurn(), tx.sql(...a)) },
          exec: { value: async (...a: Parameters<Transaction['exec']>) => (await nextTurn(), tx.exec(...a)) },
        });
        return callback(fair);
      }),
    );
  }
}

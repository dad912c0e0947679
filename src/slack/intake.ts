import { createHash, randomUUID } from 'node:crypto';
import { and, asc, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { storableText } from '../user-text';
import { inboundRequests } from '../db/schema';
import { DoneMarks } from './intake-done';

/**
 * Durable intake: a Slack request is written to `inbound_requests` before its ack leaves, the
 * work runs from it and marks it done. Slack never resends a request it got a 200 for, so the row
 * is the only copy of an acknowledged request a `kill -9` cannot take.
 *
 * The processor holds a lease on the row while it works (renewed, as src/lease.ts does for
 * outside calls). A row with no `doneAt` whose lease ran out was left by a process that died: the
 * recovery sweep claims it (`FOR UPDATE SKIP LOCKED`, so one replica does) and runs it again.
 */

/** How long a row is held without renewal. Short: a crashed request waits this long at most. */
export const INTAKE_LEASE_MS = 10_000;
/** A row claimed this many times without finishing is given up (a request that crashes its processor). */
export const INTAKE_MAX_ATTEMPTS = 5;
/** Finished rows are kept this long (for audit and Slack retries), then pruned by the sweep. */
export const INTAKE_KEEP_MS = 7 * 24 * 3600_000;

export interface IntakeRow {
  id: number;
  key: string;
  kind: string;
  body: Record<string, unknown>;
  receivedAt: Date;
  attempts: number;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const obj = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/**
 * The request's kind and idempotency key: what a Slack retry of the same request carries again.
 * A slash command and every interaction carry a trigger id unique to the person's gesture; a
 * click is also keyed by its action_ts and user (a retried click keeps both); a view submission by
 * the view, its hash and what was typed in it; an event by Slack's event_id. A body with
 * none of these (only a fuzzer sends one) gets a random key: stored and processed once.
 */
export function intakeKey(body: Record<string, unknown>): { kind: string; key: string } {
  const { kind, key } = rawKey(body);
  // Ids come from a signed payload, but a text column refuses NUL and half surrogates all the same.
  return { kind: storableText(kind).slice(0, 100), key: storableText(key).slice(0, 1000) };
}

function rawKey(body: Record<string, unknown>): { kind: string; key: string } {
  if (typeof body.command === 'string') {
    const trigger = str(body.trigger_id);
    return { kind: 'command', key: trigger ? `command:${trigger}` : `command:${randomUUID()}` };
  }
  if (body.type === 'event_callback') {
    const id = str(body.event_id);
    return { kind: 'event_callback', key: id ? `event:${id}` : `event:${randomUUID()}` };
  }
  const kind = str(body.type) ?? 'unknown';
  if (kind === 'block_actions') {
    const action = obj(Array.isArray(body.actions) ? body.actions[0] : undefined);
    const user = str(obj(body.user).id);
    const actionTs = str(action.action_ts);
    if (actionTs && user) return { kind, key: `action:${user}:${actionTs}:${str(action.action_id) ?? ''}` };
  }
  if (kind === 'view_submission' || kind === 'view_closed') {
    const view = obj(body.view);
    const id = str(view.id);
    // With what was typed: a form refused with errors comes back under the same hash, corrected.
    const typed = createHash('sha256')
      .update(JSON.stringify(obj(view.state).values ?? null))
      .digest('base64url')
      .slice(0, 16);
    if (id) return { kind, key: `${kind}:${id}:${str(view.hash) ?? ''}:${typed}` };
  }
  const trigger = str(body.trigger_id);
  return { kind, key: trigger ? `${kind}:${trigger}` : `${kind}:${randomUUID()}` };
}

export type Accepted = { stored: true; id: number } | { stored: false; done: boolean };

interface Pending {
  key: string;
  kind: string;
  payload: string;
  resolve(a: Accepted): void;
  reject(err: unknown): void;
}

/** A write this recent means a burst is arriving; how long its next batch gathers requests. */
const BURST_MS = 25;
const GATHER_MS = 5;

/** Rows per insert statement at most (a burst larger than this takes several). */
const BATCH_MAX = 500;

/**
 * The rows of `inbound_requests`. The write before each ack is a group commit: requests that
 * arrive in the same turn of the event loop are stored by one multi-row insert, committed before
 * any of their acks leaves. A burst then costs a few statements instead of one per request; a
 * lone request waits one loop turn. Marking rows done is grouped too (src/slack/intake-done.ts): on PGlite every
 * statement runs on the bot's thread, and one update per request, interleaved with the acks of
 * a burst still arriving, was most of what PGlite added to them (BENCHMARKS.md, ack latency).
 * Every other method is one statement.
 */
export class IntakeStore {
  private batch: Pending[] = [];
  private lastFlushAt = -Infinity;
  /** When a gathered batch (a burst's) was last stored, and inserts not yet answered: the done-marks wait for both. */
  private burstAt = -Infinity;
  private inserting = 0;
  private readonly done: DoneMarks;

  constructor(
    private readonly db: Db,
    private readonly nowMs: () => number = Date.now,
    readonly leaseMs = INTAKE_LEASE_MS,
  ) {
    this.done = new DoneMarks(db, () => this.at(), { burstLeftMs: () => this.burstLeftMs() });
  }

  /** A burst is over BURST_MS after its last gathered batch was stored, and nothing is waiting or being stored. */
  private burstLeftMs(): number {
    if (this.inserting > 0 || this.batch.length > 0) return GATHER_MS;
    return Math.max(0, Math.ceil(BURST_MS - (performance.now() - this.burstAt)));
  }

  private at(offsetMs = 0): Date {
    return new Date(this.nowMs() + offsetMs);
  }

  /** Stores a new request (held by the caller); a known key answers whether its work is done. */
  accept(body: Record<string, unknown>, kind: string, key: string): Promise<Accepted> {
    // Slack's legacy verification token is no part of the request's meaning: it is not stored.
    const { token: _token, ...kept } = body;
    const payload = JSON.stringify(kept);
    return new Promise((resolve, reject) => {
      this.batch.push({ key, kind, payload, resolve, reject });
      if (this.batch.length === 1) this.scheduleFlush();
    });
  }

  /**
   * A lone request is written on the next loop turn. During a burst (a write went out moments
   * ago) the batch gathers for GATHER_MS first: requests are parsed a few per loop turn, so
   * flushing every turn stored a burst of 200 in ~90 inserts, and on PGlite each insert runs on
   * the bot's thread between the acks. Gathering makes it a handful (BENCHMARKS.md, ack latency).
   */
  private scheduleFlush(): void {
    if (performance.now() - this.lastFlushAt < BURST_MS) setTimeout(() => void this.flush(true), GATHER_MS);
    else setImmediate(() => void this.flush());
  }

  private async flush(gathered = false): Promise<void> {
    this.lastFlushAt = performance.now();
    const items = this.batch.splice(0, BATCH_MAX);
    if (this.batch.length) this.scheduleFlush();
    this.inserting += 1;
    // One row per key: a second copy in the same batch (a retry racing its original) is a known key.
    const first = new Map<string, Pending>();
    for (const it of items) if (!first.has(it.key)) first.set(it.key, it);
    try {
      // One parameter for the whole batch (a JSON array): drizzle's insert builder spent longer
      // mapping a thousand parameters than PostgreSQL took to store the rows (BENCHMARKS.md, intake).
      const batch = JSON.stringify([...first.values()].map((it) => [it.key, it.kind, it.payload]));
      const result = await this.db.execute(sql`
        insert into inbound_requests (key, kind, payload, received_at, lease_until)
        select r->>0, r->>1, r->>2, ${this.at().toISOString()}::timestamptz, ${this.at(this.leaseMs).toISOString()}::timestamptz
        from json_array_elements(${batch}::json) as r
        on conflict do nothing
        returning id, key`);
      if (gathered) this.burstAt = performance.now();
      const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { id: number | string; key: string }[];
      const stored = new Map(rows.map((r) => [r.key, Number(r.id)]));
      const known: Pending[] = [];
      for (const it of items) {
        const id = stored.get(it.key);
        if (id !== undefined && first.get(it.key) === it) it.resolve({ stored: true, id });
        else known.push(it);
      }
      if (!known.length) return;
      const keys = [...new Set(known.map((k) => k.key))];
      const rowsDone = await this.db
        .select({ key: inboundRequests.key, doneAt: inboundRequests.doneAt })
        .from(inboundRequests)
        .where(inArray(inboundRequests.key, keys));
      const done = new Set(rowsDone.filter((r) => r.doneAt).map((r) => r.key));
      for (const it of known) it.resolve({ stored: false, done: done.has(it.key) });
    } catch (err) {
      // Those already resolved as stored keep their answer; a promise settles once.
      for (const it of items) it.reject(err);
    } finally {
      this.inserting -= 1;
    }
  }

  async renew(id: number): Promise<void> {
    await this.db
      .update(inboundRequests)
      .set({ leaseUntil: this.at(this.leaseMs) })
      .where(and(eq(inboundRequests.id, id), isNull(inboundRequests.doneAt)));
  }

  /** The work ran to its end (a handled failure included: the person was told). Grouped: src/slack/intake-done.ts. */
  finish(id: number, error?: string): Promise<void> {
    return this.done.finish(id, error);
  }

  /** Marks a stored request as one the bot will not act on (the person was told nothing was done). */
  async abandon(key: string, reason: string): Promise<void> {
    await this.db
      .update(inboundRequests)
      .set({ doneAt: this.at(), leaseUntil: null, lastError: reason })
      .where(and(eq(inboundRequests.key, key), isNull(inboundRequests.doneAt)));
  }

  /**
   * Claims up to `limit` rows whose processor died (lease run out; with `all`, every unfinished
   * row: a PGlite directory has one process, so at its start every such row is orphaned). Rows
   * claimed too often are given up and returned as `givenUp`.
   */
  async claimOrphans(limit: number, all = false): Promise<{ rows: IntakeRow[]; givenUp: IntakeRow[] }> {
    const due = all
      ? isNull(inboundRequests.doneAt)
      : and(isNull(inboundRequests.doneAt), or(isNull(inboundRequests.leaseUntil), lt(inboundRequests.leaseUntil, this.at())));
    const claimed = await this.db.transaction(async (tx) => {
      const rows = await tx.select().from(inboundRequests).where(due).orderBy(asc(inboundRequests.id)).limit(limit).for('update', { skipLocked: true });
      if (!rows.length) return [];
      await tx
        .update(inboundRequests)
        .set({ leaseUntil: this.at(this.leaseMs), attempts: sql`${inboundRequests.attempts} + 1` })
        .where(
          inArray(
            inboundRequests.id,
            rows.map((r) => r.id),
          ),
        );
      return rows;
    });
    const out = { rows: [] as IntakeRow[], givenUp: [] as IntakeRow[] };
    for (const r of claimed) {
      const row: IntakeRow = {
        id: r.id,
        key: r.key,
        kind: r.kind,
        body: JSON.parse(r.payload) as Record<string, unknown>,
        receivedAt: r.receivedAt,
        attempts: r.attempts + 1,
      };
      (row.attempts > INTAKE_MAX_ATTEMPTS ? out.givenUp : out.rows).push(row);
    }
    return out;
  }

  /** Deletes finished rows older than INTAKE_KEEP_MS; returns how many. */
  async prune(): Promise<number> {
    const gone = await this.db
      .delete(inboundRequests)
      .where(and(lt(inboundRequests.doneAt, this.at(-INTAKE_KEEP_MS))))
      .returning({ id: inboundRequests.id });
    return gone.length;
  }
}

import { and, asc, eq, isNull, lte, sql } from 'drizzle-orm';
import type { Db, Tx } from './db';
import { timers } from './db/schema';
import { describeError } from './errors';
import { leaseEnd, whileLeased } from './lease';

export type TimerRow = typeof timers.$inferSelect;

export interface NewTimer {
  kind: string;
  refId: string;
  step?: number;
  dueAt: Date;
  payload?: Record<string, unknown>;
}

/** Schedules a timer; the same (kind, ref, step) twice is a no-op, so retries never double a step. */
export async function scheduleTimer(db: Tx, t: NewTimer): Promise<boolean> {
  const rows = await db
    .insert(timers)
    .values({ kind: t.kind, refId: t.refId, step: t.step ?? 0, dueAt: t.dueAt, payload: t.payload ?? {} })
    .onConflictDoNothing()
    .returning({ id: timers.id });
  return rows.length > 0;
}

/** Cancels every pending timer of a kind for one ref (e.g. all escalation steps of an incident). */
export async function cancelTimers(db: Tx, kind: string, refId: string, now: Date): Promise<number> {
  const rows = await db
    .update(timers)
    .set({ cancelledAt: now })
    .where(and(eq(timers.kind, kind), eq(timers.refId, refId), isNull(timers.firedAt), isNull(timers.cancelledAt)))
    .returning({ id: timers.id });
  return rows.length;
}

/**
 * Fires a due timer's database effects. It runs inside the claiming transaction: what it writes
 * commits together with the timer being marked fired, or not at all. Slack is told afterwards,
 * through the outbox the handler writes to.
 */
export type TimerHandler = InsideHandler | OutsideHandler;
type InsideHandler = (tx: Tx, timer: TimerRow, now: Date) => Promise<void>;

/**
 * A timer whose work calls an outside service (an SMS through Twilio). No transaction stays open
 * while it runs: the claim pushes the timer's `due_at` a lease ahead (other sweepers skip it; if
 * the process dies, it comes due again), `send` runs, and what it returns is written in the
 * transaction that marks the timer fired. A failure pushes it back like any other timer. Outside
 * work is therefore at least once: a kill between the call and that commit repeats the call.
 */
export interface OutsideHandler {
  send(db: Db, timer: TimerRow, now: Date): Promise<((tx: Tx) => Promise<void>) | void>;
}

export interface SweepResult {
  fired: { kind: string; refId: string; step: number }[];
  failed: { kind: string; refId: string; step: number; error: string }[];
}

/**
 * Claims due timers with FOR UPDATE SKIP LOCKED, one transaction each, so two replicas never fire
 * the same step and a crash mid-sweep leaves the unfired ones for the next sweep. The partial
 * index on due_at keeps the cost proportional to the due rows, not the pending ones.
 */
export async function sweepTimers(db: Db, now: Date, handlers: Record<string, TimerHandler>, limit = 100): Promise<SweepResult> {
  const result: SweepResult = { fired: [], failed: [] };
  const kinds = Object.keys(handlers);
  if (kinds.length === 0) return result;
  for (let i = 0; i < limit; i += 1) {
    const outcome = await db.transaction(async (tx) => {
      const [t] = await tx
        .select()
        .from(timers)
        .where(
          and(
            isNull(timers.firedAt),
            isNull(timers.cancelledAt),
            lte(timers.dueAt, now),
            sql`${timers.kind} in (${sql.join(
              kinds.map((k) => sql`${k}`),
              sql`, `,
            )})`,
          ),
        )
        .orderBy(asc(timers.dueAt), asc(timers.id))
        .limit(1)
        .for('update', { skipLocked: true });
      if (!t) return undefined;
      const handler = handlers[t.kind]!;
      if (typeof handler !== 'function') {
        await tx
          .update(timers)
          .set({ dueAt: leaseEnd(now), attempts: t.attempts + 1 })
          .where(eq(timers.id, t.id));
        return { t, error: undefined, outside: handler };
      }
      try {
        // A savepoint: a failing handler rolls back its own writes, not the claim.
        await tx.transaction((sp) => handler(sp, t, now));
      } catch (err) {
        const error = describeError(err);
        // Push it back with a growing delay so one poisoned timer cannot starve the others.
        await pushBack(tx, t, t.attempts + 1, error, now);
        return { t, error };
      }
      await tx
        .update(timers)
        .set({ firedAt: now, attempts: t.attempts + 1 })
        .where(eq(timers.id, t.id));
      return { t, error: undefined };
    });
    if (!outcome) break;
    const { t } = outcome;
    const error = outcome.outside ? await sendOutside(db, outcome.outside, t, now) : outcome.error;
    if (error === undefined) result.fired.push({ kind: t.kind, refId: t.refId, step: t.step });
    else result.failed.push({ kind: t.kind, refId: t.refId, step: t.step, error });
  }
  return result;
}

/** Push a failed timer back with a growing delay, so one poisoned timer cannot starve the others. */
async function pushBack(tx: Tx, t: TimerRow, attempts: number, error: string, now: Date): Promise<void> {
  await tx
    .update(timers)
    .set({ attempts, lastError: error.slice(0, 500), dueAt: new Date(now.getTime() + 30_000 * Math.min(10, attempts)) })
    .where(eq(timers.id, t.id));
}

/** Runs a claimed outside timer (no transaction open meanwhile); returns the error, if any. */
async function sendOutside(db: Db, handler: OutsideHandler, t: TimerRow, now: Date): Promise<string | undefined> {
  const started = performance.now();
  const renew = () =>
    db
      .update(timers)
      .set({ dueAt: leaseEnd(new Date(now.getTime() + (performance.now() - started))) })
      .where(and(eq(timers.id, t.id), isNull(timers.firedAt)));
  try {
    const commit = await whileLeased(renew, () => handler.send(db, t, now));
    await db.transaction(async (tx) => {
      if (commit) await commit(tx);
      await tx.update(timers).set({ firedAt: now }).where(eq(timers.id, t.id));
    });
    return undefined;
  } catch (err) {
    const error = describeError(err);
    await pushBack(db, t, t.attempts + 1, error, now);
    return error;
  }
}

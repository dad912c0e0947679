import { and, asc, eq, isNull, lte, sql } from 'drizzle-orm';
import type { Db, Tx } from './db';
import { timers } from './db/schema';

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
export type TimerHandler = (tx: Tx, timer: TimerRow, now: Date) => Promise<void>;

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
            sql`${timers.kind} in (${sql.join(kinds.map((k) => sql`${k}`), sql`, `)})`,
          ),
        )
        .orderBy(asc(timers.dueAt), asc(timers.id))
        .limit(1)
        .for('update', { skipLocked: true });
      if (!t) return undefined;
      try {
        // A savepoint: a failing handler rolls back its own writes, not the claim.
        await tx.transaction((sp) => handlers[t.kind]!(sp, t, now));
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        // Push it back with a growing delay so one poisoned timer cannot starve the others.
        await tx
          .update(timers)
          .set({ attempts: t.attempts + 1, lastError: error.slice(0, 500), dueAt: new Date(now.getTime() + 30_000 * Math.min(10, t.attempts + 1)) })
          .where(eq(timers.id, t.id));
        return { t, error };
      }
      await tx.update(timers).set({ firedAt: now, attempts: t.attempts + 1 }).where(eq(timers.id, t.id));
      return { t, error: undefined };
    });
    if (!outcome) break;
    const { t, error } = outcome;
    if (error === undefined) result.fired.push({ kind: t.kind, refId: t.refId, step: t.step });
    else result.failed.push({ kind: t.kind, refId: t.refId, step: t.step, error });
  }
  return result;
}

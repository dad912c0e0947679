import { and, asc, eq, isNotNull, isNull, lte, or, sql } from 'drizzle-orm';
import { checklistItemDefs, type ChecklistDef } from '../checklists';
import type { Db, Tx } from '../db';
import { checklistItems, checklistRuns, itemEvents, slackFailures, type ItemStatus } from '../db/schema';
import { scheduleTimer, type NewTimer } from '../timers';

export type RunRow = typeof checklistRuns.$inferSelect;
export type ItemRow = typeof checklistItems.$inferSelect;

export interface NewRun {
  def: ChecklistDef;
  periodKey: string;
  kind: 'scheduled' | 'on_demand';
  channel: string;
  now: Date;
  scheduledFor?: Date;
  late?: boolean;
  requestedBy?: string;
  /** 'missed' records a period that passed while the bot was down, without posting it. */
  state?: 'open' | 'missed';
  /** Timers (reminders) created with the run, in the same transaction. */
  timers?: (run: RunRow) => NewTimer[];
  /** The creator's claim on posting the message (see `claimDelivery`). */
  deliveryLeaseUntil?: Date;
}

/**
 * Claims (checklist, period) and creates its items in one transaction. Returns null when the
 * period was already claimed: by another replica, a restart, or a retried request.
 */
export async function createRun(db: Db, input: NewRun): Promise<RunRow | null> {
  return db.transaction(async (tx) => {
    const [run] = await tx
      .insert(checklistRuns)
      .values({
        checklistId: input.def.id,
        periodKey: input.periodKey,
        kind: input.kind,
        definition: input.def,
        channel: input.channel,
        createdAt: input.now,
        scheduledFor: input.scheduledFor ?? null,
        late: input.late ?? false,
        requestedBy: input.requestedBy ?? null,
        state: input.state ?? 'open',
        deliveryLeaseUntil: input.deliveryLeaseUntil ?? null,
      })
      .onConflictDoNothing()
      .returning();
    if (!run) return null;
    const items = checklistItemDefs(input.def);
    await tx.insert(checklistItems).values(items.map((it, position) => ({ runId: run.id, itemId: it.id, position })));
    for (const t of input.timers?.(run) ?? []) await scheduleTimer(tx, t);
    return run;
  });
}

export async function attachMessage(db: Tx, runId: number, channel: string, ts: string, now: Date): Promise<void> {
  await db.update(checklistRuns).set({ channel, messageTs: ts, postedAt: now }).where(eq(checklistRuns.id, runId));
}

/** Records the thread parts posted so far (part key → ts), so a later delivery posts only the missing ones. */
export async function saveSectionMessages(db: Tx, runId: number, sectionMessages: Record<string, string>): Promise<void> {
  await db.update(checklistRuns).set({ sectionMessages }).where(eq(checklistRuns.id, runId));
}

/**
 * Not fully delivered: no message yet, or a message whose delivery lease was never released (the
 * process died before every thread part was posted; deliverRun releases the lease when done).
 */
const undelivered = () => or(isNull(checklistRuns.messageTs), isNotNull(checklistRuns.deliveryLeaseUntil));

/** Marks a run's delivery complete: main message and every thread part are in Slack. */
export async function releaseDelivery(db: Tx, runId: number): Promise<void> {
  await db.update(checklistRuns).set({ deliveryLeaseUntil: null }).where(eq(checklistRuns.id, runId));
}

/**
 * Claims the right to post an undelivered run until `until`. A conditional UPDATE: of two replicas
 * sweeping at once, exactly one sees the row still unclaimed.
 */
export async function claimDelivery(db: Tx, runId: number, now: Date, until: Date): Promise<boolean> {
  const rows = await db
    .update(checklistRuns)
    .set({ deliveryLeaseUntil: until })
    .where(
      and(
        eq(checklistRuns.id, runId),
        undelivered(),
        eq(checklistRuns.state, 'open'),
        or(isNull(checklistRuns.deliveryLeaseUntil), lte(checklistRuns.deliveryLeaseUntil, now)),
      ),
    )
    .returning({ id: checklistRuns.id });
  return rows.length > 0;
}

/** Shortens (or extends) a delivery lease, e.g. after a failed post so the sweep retries soon. */
export async function setDeliveryLease(db: Tx, runId: number, until: Date): Promise<void> {
  await db
    .update(checklistRuns)
    .set({ deliveryLeaseUntil: until })
    .where(and(eq(checklistRuns.id, runId), isNull(checklistRuns.messageTs)));
}

/** Open runs created before `createdBefore` not fully delivered and with no live lease. */
export async function findUndeliveredRuns(db: Tx, now: Date, createdBefore: Date, limit: number): Promise<number[]> {
  const rows = await db
    .select({ id: checklistRuns.id })
    .from(checklistRuns)
    .where(
      and(
        undelivered(),
        eq(checklistRuns.state, 'open'),
        lte(checklistRuns.createdAt, createdBefore),
        // Slack refused it for good (src/slack/failures.ts): a person must act, retrying cannot help.
        sql`not exists (select 1 from ${slackFailures} where ${slackFailures.owner} = 'run' and ${slackFailures.refId} = ${checklistRuns.id}::text)`,
        or(isNull(checklistRuns.deliveryLeaseUntil), lte(checklistRuns.deliveryLeaseUntil, now)),
      ),
    )
    .orderBy(asc(checklistRuns.createdAt), asc(checklistRuns.id))
    .limit(limit);
  return rows.map((r) => r.id);
}

export interface RunState {
  run: RunRow;
  items: ItemRow[];
}

export async function loadRun(db: Tx, runId: number): Promise<RunState | null> {
  const [run] = await db.select().from(checklistRuns).where(eq(checklistRuns.id, runId));
  if (!run) return null;
  const items = await db.select().from(checklistItems).where(eq(checklistItems.runId, runId)).orderBy(asc(checklistItems.position));
  return { run, items };
}

export interface SignInput {
  runId: number;
  itemId: string;
  status: Exclude<ItemStatus, 'pending'>;
  userId: string;
  note?: string;
  /** Identifies the Slack request: a retry or replay of it changes nothing. */
  requestKey: string;
  now: Date;
  /**
   * Runs under the run's row lock, on the run as it is now, before anything is written: returns
   * the sentence that refuses the sign-off, or null (and may write alongside it). Rules between
   * items (the two-person rule) check here, so two concurrent clicks cannot both pass.
   */
  inLock?: (tx: Tx, state: RunState) => Promise<string | null>;
}

export type SignOutcome =
  | { kind: 'signed'; state: RunState; completedNow: boolean }
  | { kind: 'refused'; message: string }
  | { kind: 'unchanged'; state: RunState }
  | { kind: 'duplicate' }
  | { kind: 'not_found' };

/**
 * Records a sign-off: audit row, item state and run completion in one transaction, before Slack
 * hears of it. The same status and note again (a double click) is recorded as nothing.
 */
export async function signItem(db: Db, input: SignInput): Promise<SignOutcome> {
  return db.transaction(async (tx) => {
    const [run] = await tx.select().from(checklistRuns).where(eq(checklistRuns.id, input.runId)).for('update');
    if (!run) return { kind: 'not_found' } as const;
    const [item] = await tx
      .select()
      .from(checklistItems)
      .where(and(eq(checklistItems.runId, input.runId), eq(checklistItems.itemId, input.itemId)));
    if (!item) return { kind: 'not_found' } as const;
    if (input.inLock) {
      const message = await input.inLock(tx, (await loadRun(tx, input.runId))!);
      if (message) return { kind: 'refused', message } as const;
    }
    const note = input.note ?? (input.status === item.status ? item.note : null);
    if (item.status === input.status && (item.note ?? null) === (note ?? null)) {
      return { kind: 'unchanged', state: (await loadRun(tx, input.runId))! } as const;
    }
    const inserted = await tx
      .insert(itemEvents)
      .values({
        runId: input.runId,
        itemId: input.itemId,
        status: input.status,
        previousStatus: item.status,
        userId: input.userId,
        note: note ?? null,
        requestKey: input.requestKey,
        at: input.now,
      })
      .onConflictDoNothing()
      .returning({ id: itemEvents.id });
    if (inserted.length === 0) return { kind: 'duplicate' } as const;
    await tx
      .update(checklistItems)
      .set({ status: input.status, signedBy: input.userId, signedAt: input.now, note: note ?? null })
      .where(and(eq(checklistItems.runId, input.runId), eq(checklistItems.itemId, input.itemId)));
    const [{ pending } = { pending: 0 }] = await tx
      .select({ pending: sql<number>`count(*)::int` })
      .from(checklistItems)
      .where(and(eq(checklistItems.runId, input.runId), eq(checklistItems.status, 'pending')));
    const completedNow = pending === 0 && run.state === 'open';
    await tx
      .update(checklistRuns)
      .set({
        version: sql`${checklistRuns.version} + 1`,
        ...(completedNow ? { state: 'complete' as const, completedAt: input.now } : {}),
      })
      .where(eq(checklistRuns.id, input.runId));
    return { kind: 'signed', state: (await loadRun(tx, input.runId))!, completedNow } as const;
  });
}

export async function listItemEvents(db: Tx, runId: number) {
  return db.select().from(itemEvents).where(eq(itemEvents.runId, runId)).orderBy(asc(itemEvents.id));
}

import { and, asc, eq, inArray, isNotNull, isNull, lte, or, sql } from 'drizzle-orm';
import type { Mrkdwn } from '../blocks/format';
import type { Message } from '../blocks/limits';
import type { Db, Tx } from './db';
import { outbox } from './db/schema';
import type { Deps } from './deps';
import { describeError } from './errors';
import { postOnce, sendKey } from './slack/send-once';
import { leaseEnd, whileLeased } from './lease';
import { isPermanentSlackError } from './slack/errors';
import { recordSlackFailure } from './slack/failures';

export interface OutboxMessage extends Message {
  channel: string;
  threadTs?: string;
  /** Ephemeral to this user when set. */
  user?: string;
  ref: string;
}

/** Queues a Slack message in the caller's transaction: it is sent only if that state commits. */
export async function enqueue(db: Tx, msg: OutboxMessage, now: Date): Promise<number> {
  const [row] = await db
    .insert(outbox)
    .values({
      channel: msg.channel,
      threadTs: msg.threadTs ?? null,
      user: msg.user ?? null,
      text: msg.text,
      blocks: msg.blocks ?? null,
      ref: msg.ref,
      createdAt: now,
      nextAttemptAt: now,
    })
    .returning({ id: outbox.id });
  return row!.id;
}

export interface DeliveryResult {
  delivered: number;
  failed: number;
}

const backoffMs = (attempts: number) => Math.min(300_000, 2_000 * 2 ** Math.min(attempts, 8));

/**
 * Sends due outbox messages oldest first. A channel whose head message fails is skipped for the
 * rest of the pass, so messages to one channel arrive in the order they were written.
 */
export async function deliverOutbox(deps: Deps, now: Date, limit = 50): Promise<DeliveryResult> {
  const result: DeliveryResult = { delivered: 0, failed: 0 };
  const blocked = new Set<string>();
  // Undelivered rows in write order; a channel whose oldest message is still backing off waits.
  const pending = await deps.db
    .select({ id: outbox.id, channel: outbox.channel, nextAttemptAt: outbox.nextAttemptAt })
    .from(outbox)
    .where(and(isNull(outbox.deliveredAt), isNull(outbox.failedAt)))
    .orderBy(asc(outbox.id))
    .limit(limit);
  for (const { id, channel, nextAttemptAt } of pending) {
    if (blocked.has(channel)) continue;
    if (nextAttemptAt > now) {
      blocked.add(channel);
      continue;
    }
    const ok = await deliverOne(deps, id, now);
    if (ok === 'delivered') result.delivered += 1;
    else if (ok === 'rejected') result.failed += 1;
    else {
      if (ok === 'failed') result.failed += 1;
      blocked.add(channel);
    }
  }
  return result;
}

/**
 * Tries the rows `ids` at once (a declarer waits for their pages), each only when it is the
 * oldest undelivered message of its channel, so the per-channel order holds; the rest stay
 * queued for the outbox job. Never throws: what happened is read back with `outboxStates`.
 */
export async function deliverNow(deps: Deps, ids: readonly number[], now: Date): Promise<void> {
  for (const id of ids) {
    try {
      const [row] = await deps.db.select({ channel: outbox.channel }).from(outbox).where(eq(outbox.id, id));
      if (!row) continue;
      const [head] = await deps.db
        .select({ id: outbox.id })
        .from(outbox)
        .where(and(eq(outbox.channel, row.channel), isNull(outbox.deliveredAt), isNull(outbox.failedAt)))
        .orderBy(asc(outbox.id))
        .limit(1);
      if (head?.id === id) await deliverOne(deps, id, now);
    } catch (err) {
      deps.logger.warn({ outboxId: id, err: describeError(err) }, 'immediate delivery failed; the outbox job will retry');
    }
  }
}

/**
 * Sends one message under a lease rather than a row lock: no transaction stays open while Slack
 * answers (on PGlite an open transaction holds the only engine; on PostgreSQL a connection).
 * `busy` means another sender holds it, so its channel waits to keep the order.
 */
async function deliverOne(deps: Deps, id: number, now: Date): Promise<'delivered' | 'failed' | 'rejected' | 'busy'> {
  const [row] = await deps.db
    .update(outbox)
    .set({ leaseUntil: leaseEnd(now) })
    .where(and(eq(outbox.id, id), isNull(outbox.deliveredAt), isNull(outbox.failedAt), or(isNull(outbox.leaseUntil), lte(outbox.leaseUntil, now))))
    .returning();
  if (!row) return 'busy';
  const renew = () =>
    deps.db
      .update(outbox)
      .set({ leaseUntil: leaseEnd(deps.clock.now()) })
      .where(and(eq(outbox.id, id), isNotNull(outbox.leaseUntil)));
  let ts: string | undefined;
  try {
    // Rendered when queued: enqueue takes only a Message, whose text and blocks the renderers made.
    const message = { text: row.text as Mrkdwn, ...(row.blocks ? { blocks: row.blocks as Message['blocks'] } : {}) };
    ts = await whileLeased(renew, async () => {
      if (row.user) return (await deps.slack.chat.postEphemeral({ channel: row.channel, user: row.user, ...message })).message_ts;
      return (
        await postOnce(deps, sendKey('outbox', row, row.createdAt), { channel: row.channel, ...message, ...(row.threadTs ? { thread_ts: row.threadTs } : {}) })
      ).ts;
    });
  } catch (err) {
    if (isPermanentSlackError(err)) {
      // Retrying cannot help until a person acts: marked failed, logged as an error, shown in
      // `/ops status` and `/healthz`. Its channel is not held back: later messages still try.
      const reason = await recordSlackFailure(deps, deps.db, {
        owner: 'outbox',
        refId: id,
        channel: row.channel,
        err,
        at: now,
        log: { outboxId: id, ref: row.ref },
      });
      await deps.db
        .update(outbox)
        .set({ attempts: row.attempts + 1, lastError: reason, failedAt: now, leaseUntil: null })
        .where(eq(outbox.id, id));
      return 'rejected';
    }
    const error = describeError(err);
    deps.logger.warn({ outboxId: id, ref: row.ref, channel: row.channel, attempts: row.attempts + 1, err: error }, 'slack delivery failed; will retry');
    await deps.db
      .update(outbox)
      .set({ attempts: row.attempts + 1, lastError: error.slice(0, 500), nextAttemptAt: new Date(now.getTime() + backoffMs(row.attempts)), leaseUntil: null })
      .where(eq(outbox.id, id));
    return 'failed';
  }
  // Slack has it. Should this write fail, the lease runs out and the next sender finds the
  // message in Slack by its key (postOnce) rather than posting it twice. Ephemeral messages
  // cannot be read back: they stay at least once.
  await deps.db
    .update(outbox)
    .set({ deliveredAt: now, deliveredTs: ts ?? null, attempts: row.attempts + 1, leaseUntil: null })
    .where(eq(outbox.id, id));
  return 'delivered';
}

export async function pendingOutboxCount(db: Db): Promise<number> {
  const [r] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(outbox)
    .where(and(isNull(outbox.deliveredAt), isNull(outbox.failedAt)));
  return r?.n ?? 0;
}

export type OutboxState = { id: number; channel: string; state: 'delivered' | 'failed' | 'queued'; reason: string | null };

/** Where queued messages stand: delivered, refused for good (with the reason), or still queued. */
export async function outboxStates(db: Db, ids: readonly number[]): Promise<Map<number, OutboxState>> {
  if (!ids.length) return new Map();
  const rows = await db
    .select({ id: outbox.id, channel: outbox.channel, deliveredAt: outbox.deliveredAt, failedAt: outbox.failedAt, lastError: outbox.lastError })
    .from(outbox)
    .where(inArray(outbox.id, [...ids]));
  return new Map(
    rows.map((r) => [r.id, { id: r.id, channel: r.channel, state: r.deliveredAt ? 'delivered' : r.failedAt ? 'failed' : 'queued', reason: r.lastError }]),
  );
}

/** One queued message's delivery: Slack's ts and when it went, or when and why Slack refused it. */
export async function outboxDelivery(
  db: Tx,
  id: number,
): Promise<{ ts: string | null; at: Date | null; failedAt: Date | null; lastError: string | null } | undefined> {
  const [row] = await db
    .select({ ts: outbox.deliveredTs, at: outbox.deliveredAt, failedAt: outbox.failedAt, lastError: outbox.lastError })
    .from(outbox)
    .where(eq(outbox.id, id));
  return row;
}

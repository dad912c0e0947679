import { and, asc, desc, eq, gte, inArray, isNotNull, isNull, like, lte, ne, or, sql } from 'drizzle-orm';
import type { Tx } from '../db';
import { incidentEvents, incidents, outbox, slackFailures } from '../db/schema';
import { leaseEnd } from '../lease';
import type { IncidentSnapshot } from './machine';
import type { Severity } from '../config/incidents';
import type { Policy } from './policy';

export type IncidentRow = typeof incidents.$inferSelect;
export type NewIncidentRow = typeof incidents.$inferInsert;
export type IncidentEventRow = typeof incidentEvents.$inferSelect;

/** Timer kinds of the escalation engine (rows of the shared `timers` table, ref = incident id). */
export const TimerKinds = {
  response: 'incident-response',
  resolution: 'incident-resolution',
  sms: 'incident-sms',
  updateReminder: 'incident-update-reminder',
  followup: 'incident-followup',
} as const;

export function snapshot(row: IncidentRow): IncidentSnapshot {
  return {
    state: row.state,
    level: row.level,
    policy: row.policy as Policy,
    declaredAt: row.declaredAt,
    responseDueAt: row.responseDueAt,
    resolutionDueAt: row.resolutionDueAt,
    acknowledgedAt: row.acknowledgedAt,
    resolvedAt: row.resolvedAt,
  };
}

export const policyOf = (row: IncidentRow): Policy => row.policy as Policy;

/** Inserts the incident unless its dedupe key exists; null means a retry of an earlier request. */
export async function insertIncident(tx: Tx, values: NewIncidentRow): Promise<IncidentRow | null> {
  const [row] = await tx.insert(incidents).values(values).onConflictDoNothing().returning();
  return row ?? null;
}

export async function findByDedupeKey(db: Tx, key: string): Promise<IncidentRow | undefined> {
  const [row] = await db.select().from(incidents).where(eq(incidents.dedupeKey, key));
  return row;
}

export async function getIncident(db: Tx, id: number): Promise<IncidentRow | undefined> {
  const [row] = await db.select().from(incidents).where(eq(incidents.id, id));
  return row;
}

/** Locks the incident row for the rest of the transaction: every change to one incident is serial. */
export async function lockIncident(tx: Tx, id: number): Promise<IncidentRow | undefined> {
  const [row] = await tx.select().from(incidents).where(eq(incidents.id, id)).for('update');
  return row;
}

/** Like lockIncident, but gives up at once when someone else holds it (publishing). */
/**
 * Takes the incident's lease (src/lease.ts) for a Slack call that must happen once: the
 * announcement, the incident channel. Undefined when another holder has it.
 */
export async function leaseIncident(db: Tx, id: number, now: Date): Promise<IncidentRow | undefined> {
  const [row] = await db
    .update(incidents)
    .set({ leaseUntil: leaseEnd(now) })
    .where(and(eq(incidents.id, id), or(isNull(incidents.leaseUntil), lte(incidents.leaseUntil, now))))
    .returning();
  return row;
}

export async function renewIncidentLease(db: Tx, id: number, now: Date): Promise<void> {
  await db
    .update(incidents)
    .set({ leaseUntil: leaseEnd(now) })
    .where(and(eq(incidents.id, id), isNotNull(incidents.leaseUntil)));
}

export async function releaseIncident(db: Tx, id: number): Promise<void> {
  await db.update(incidents).set({ leaseUntil: null }).where(eq(incidents.id, id));
}

/** Applies a change and bumps the version; returns the new row. */
export async function updateIncident(tx: Tx, id: number, set: Partial<NewIncidentRow>): Promise<IncidentRow> {
  const [row] = await tx
    .update(incidents)
    .set({ ...set, version: sql`${incidents.version} + 1` })
    .where(eq(incidents.id, id))
    .returning();
  return row!;
}

export async function insertEvent(
  tx: Tx,
  e: { incidentId: number; kind: string; text: string; at: Date; userId?: string | null; level?: number | null; threaded?: boolean },
): Promise<IncidentEventRow> {
  const [row] = await tx
    .insert(incidentEvents)
    .values({ incidentId: e.incidentId, kind: e.kind, text: e.text, at: e.at, userId: e.userId ?? null, level: e.level ?? null, threaded: e.threaded ?? false })
    .returning();
  return row!;
}

export async function listEvents(db: Tx, incidentId: number): Promise<IncidentEventRow[]> {
  return db.select().from(incidentEvents).where(eq(incidentEvents.incidentId, incidentId)).orderBy(asc(incidentEvents.id));
}

/** Who moved the incident to `level` by hand (an Escalate now), if anyone did. */
export async function escalatedByHandTo(tx: Tx, incidentId: number, level: number): Promise<string | null> {
  const [row] = await tx
    .select({ userId: incidentEvents.userId })
    .from(incidentEvents)
    .where(and(eq(incidentEvents.incidentId, incidentId), eq(incidentEvents.kind, 'escalated'), eq(incidentEvents.level, level)))
    .orderBy(desc(incidentEvents.id))
    .limit(1);
  return row?.userId ?? null;
}

/** Takes the timeline entries not yet given to a thread post (atomic: two flushers never both take one). */
export async function claimUnthreadedEvents(tx: Tx, incidentId: number): Promise<IncidentEventRow[]> {
  const rows = await tx
    .update(incidentEvents)
    .set({ threaded: true })
    .where(and(eq(incidentEvents.incidentId, incidentId), eq(incidentEvents.threaded, false)))
    .returning();
  return rows.sort((a, b) => a.id - b.id);
}

/** Announced incidents with timeline entries older than `before` still waiting for their thread post. */
export async function incidentsWithUnthreadedEvents(db: Tx, before: Date, limit = 20): Promise<number[]> {
  const rows = await db
    .selectDistinct({ id: incidentEvents.incidentId })
    .from(incidentEvents)
    .innerJoin(incidents, eq(incidents.id, incidentEvents.incidentId))
    .where(and(eq(incidentEvents.threaded, false), lte(incidentEvents.at, before), isNotNull(incidents.messageTs)))
    .limit(limit);
  return rows.map((r) => r.id);
}

export async function listOpenIncidents(db: Tx, limit = 50): Promise<IncidentRow[]> {
  return db.select().from(incidents).where(ne(incidents.state, 'resolved')).orderBy(asc(incidents.severity), asc(incidents.declaredAt)).limit(limit);
}

/** Incidents stored but not yet announced (Slack was down, or the process died in between). */
export async function unpostedIncidentIds(db: Tx, before: Date, limit = 20): Promise<number[]> {
  const rows = await db
    .select({ id: incidents.id })
    .from(incidents)
    // Slack refused the announcement for good (src/slack/failures.ts): retrying cannot help.
    .where(
      and(
        isNull(incidents.messageTs),
        lte(incidents.declaredAt, before),
        sql`not exists (select 1 from ${slackFailures} where ${slackFailures.owner} = 'incident' and ${slackFailures.refId} = ${incidents.id}::text)`,
      ),
    )
    .orderBy(asc(incidents.declaredAt))
    .limit(limit);
  return rows.map((r) => r.id);
}

/**
 * Announced, unresolved incidents of `severities` still without their dedicated channel: the
 * process died between the announcement and the channel (or Slack refused it).
 */
export async function channellessIncidentIds(db: Tx, severities: readonly Severity[], limit = 20): Promise<number[]> {
  if (severities.length === 0) return [];
  const rows = await db
    .select({ id: incidents.id })
    .from(incidents)
    // Slack refused to make it for good (missing_scope, …): a person must act first.
    .where(
      and(
        isNotNull(incidents.messageTs),
        isNull(incidents.incidentChannel),
        ne(incidents.state, 'resolved'),
        inArray(incidents.severity, [...severities]),
        sql`not exists (select 1 from ${slackFailures} where ${slackFailures.owner} = 'incident-channel' and ${slackFailures.refId} = ${incidents.id}::text)`,
      ),
    )
    .orderBy(asc(incidents.declaredAt))
    .limit(limit);
  return rows.map((r) => r.id);
}

/** Pages (outbox rows `page:<incident>:<user>`) that Slack keeps refusing. */
export async function failingPages(db: Tx, minAttempts: number, limit = 50) {
  return db
    .select({ id: outbox.id, ref: outbox.ref, channel: outbox.channel, text: outbox.text, attempts: outbox.attempts })
    .from(outbox)
    .where(and(isNull(outbox.deliveredAt), like(outbox.ref, 'page:%'), or(gte(outbox.attempts, minAttempts), isNotNull(outbox.failedAt))))
    .orderBy(desc(outbox.id))
    .limit(limit);
}

/**
 * Pages still queued when the incident is acknowledged or resolved are withdrawn, so nobody is
 * paged after an ack (marked delivered with no ts and the reason, as the outbox has no cancel state).
 */
export async function withdrawPendingPages(tx: Tx, incidentId: number, reason: string, now: Date): Promise<number> {
  const rows = await tx
    .update(outbox)
    .set({ deliveredAt: now, lastError: `withdrawn: ${reason}` })
    .where(and(isNull(outbox.deliveredAt), like(outbox.ref, `page:${incidentId}:%`)))
    .returning({ id: outbox.id });
  return rows.length;
}

import { and, asc, eq, gt, isNull, lte } from 'drizzle-orm';
import type { Tx } from '../db';
import { incidents, oncallOverrides } from '../db/schema';

export type OverrideRow = typeof oncallOverrides.$inferSelect;

/** Not cleared, and active at some instant from `from` to `to` (both at one instant: active then). */
const activeBetween = (from: Date, to: Date) => and(isNull(oncallOverrides.clearedAt), lte(oncallOverrides.startsAt, to), gt(oncallOverrides.endsAt, from));

/** The override covering `role` at `at`, if any (the latest set wins should two overlap). */
export async function activeOverride(db: Tx, role: string, at: Date): Promise<OverrideRow | undefined> {
  const rows = await db
    .select()
    .from(oncallOverrides)
    .where(and(eq(oncallOverrides.role, role), activeBetween(at, at)))
    .orderBy(asc(oncallOverrides.id));
  return rows.at(-1);
}

/** Every override active at `at`, by role (the latest set per role). */
export async function activeOverrides(db: Tx, at: Date): Promise<Map<string, OverrideRow>> {
  return (await activeOverridesAtEach(db, [at]))[0]!;
}

/** {@link activeOverrides} at each of `ats`, from one read (the overrides active at any instant between the first and the last). */
export async function activeOverridesAtEach(db: Tx, ats: readonly Date[]): Promise<Map<string, OverrideRow>[]> {
  if (!ats.length) return [];
  const times = ats.map((a) => a.getTime());
  const [from, to] = [new Date(Math.min(...times)), new Date(Math.max(...times))];
  const rows = await db.select().from(oncallOverrides).where(activeBetween(from, to)).orderBy(asc(oncallOverrides.id));
  // In id order, so the latest set per role wins, as activeOverride's read does.
  return ats.map((at) => new Map(rows.filter((r) => r.startsAt <= at && r.endsAt > at).map((r) => [r.role, r])));
}

/** Ends the override active for `role` now (if any); returns what was ended. */
export async function clearOverride(db: Tx, input: { role: string; by: string; now: Date }): Promise<OverrideRow | undefined> {
  const [row] = await db
    .update(oncallOverrides)
    .set({ clearedAt: input.now, clearedBy: input.by })
    .where(and(eq(oncallOverrides.role, input.role), activeBetween(input.now, input.now)))
    .returning();
  return row;
}

/**
 * Sets who covers `role` from now until `until`, ending the one active before; returns the new row
 * and the replaced one. The same cover asked again (a replayed request) changes nothing: `same`.
 */
export async function setOverride(
  db: Tx,
  input: { role: string; userId: string; until: Date; setBy: string; now: Date },
): Promise<{ row: OverrideRow; replaced: OverrideRow | undefined; same?: true }> {
  const current = await activeOverride(db, input.role, input.now);
  if (current && current.userId === input.userId && current.endsAt.getTime() === input.until.getTime())
    return { row: current, replaced: undefined, same: true };
  const replaced = await clearOverride(db, { role: input.role, by: input.setBy, now: input.now });
  const [row] = await db
    .insert(oncallOverrides)
    .values({ role: input.role, userId: input.userId, startsAt: input.now, endsAt: input.until, setBy: input.setBy, createdAt: input.now })
    .returning();
  return { row: row!, replaced };
}

/**
 * Notes on an incident's frozen policy who a level actually paged (its rotation's holder or the
 * override), so "paged so far" (acknowledge rights, the channel invite, the announcement) names
 * them rather than every member. The version is not bumped: this is a record, not a change of state.
 */
export async function notePagedAtLevel(tx: Tx, incidentId: number, level: number, users: readonly string[]): Promise<void> {
  const [row] = await tx.select({ policy: incidents.policy }).from(incidents).where(eq(incidents.id, incidentId));
  if (!row) return;
  const policy = row.policy as { chain?: { paged?: string[] }[] };
  const entry = policy.chain?.[level];
  if (!entry) return;
  entry.paged = [...new Set([...(entry.paged ?? []), ...users])];
  await tx.update(incidents).set({ policy }).where(eq(incidents.id, incidentId));
}

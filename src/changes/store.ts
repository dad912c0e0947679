import { and, asc, desc, eq, gt, inArray, isNull, like } from 'drizzle-orm';
import type { Tx } from '../db';
import { checklistItems, checklistRuns, incidents, timers } from '../db/schema';

/** Timer kind whose rows record a failed probe linked to a change (probe-link.ts). */
export const CHANGE_PROBE_LINK_KIND = 'change-probe-link';

/** Checklist ids of change runbooks: `change-<runbook id>`. */
export const CHANGE_PREFIX = 'change-';

export async function findChangeRun(db: Tx, runId: number) {
  const [run] = await db.select().from(checklistRuns).where(eq(checklistRuns.id, runId));
  return run;
}

/** The latest incident declared for a change (`/ops change failed`): its id, state and dedupe key. */
export async function latestChangeIncident(db: Tx, runId: number): Promise<{ id: number; state: string; dedupeKey: string } | undefined> {
  const [row] = await db
    .select({ id: incidents.id, state: incidents.state, dedupeKey: incidents.dedupeKey })
    .from(incidents)
    .where(eq(incidents.sourceRef, `change:${runId}`))
    .orderBy(desc(incidents.id))
    .limit(1);
  return row;
}

/** Recent changes, newest first, with how many steps are signed. */
export async function recentChanges(db: Tx, limit = 10) {
  const runs = await db
    .select()
    .from(checklistRuns)
    .where(like(checklistRuns.checklistId, `${CHANGE_PREFIX}%`))
    .orderBy(desc(checklistRuns.id))
    .limit(limit);
  if (runs.length === 0) return [];
  const items = await db
    .select({ runId: checklistItems.runId, status: checklistItems.status })
    .from(checklistItems)
    .where(
      inArray(
        checklistItems.runId,
        runs.map((r) => r.id),
      ),
    );
  return runs.map((run) => {
    const mine = items.filter((i) => i.runId === run.id);
    return { run, signed: mine.filter((i) => i.status !== 'pending').length, total: mine.length };
  });
}

/** A change's monitoring window open at some instant: its run, when it ends, the probes that watch it. */
export interface OpenWindow {
  run: typeof checklistRuns.$inferSelect;
  endsAt: Date;
  /** The runbook's probes, frozen in the window's timer when it started. */
  probes: string[];
}

/** The monitoring windows (timers of `waitKind`, pending) open at `now`. */
export async function openWindows(db: Tx, waitKind: string, now: Date): Promise<OpenWindow[]> {
  const open = await db
    .select()
    .from(timers)
    .where(and(eq(timers.kind, waitKind), isNull(timers.firedAt), isNull(timers.cancelledAt), gt(timers.dueAt, now)));
  const ids = [...new Set(open.map((t) => Number(t.refId)))].filter((n) => Number.isSafeInteger(n));
  if (ids.length === 0) return [];
  const runs = await db.select().from(checklistRuns).where(inArray(checklistRuns.id, ids));
  return open.flatMap((t) => {
    const run = runs.find((r) => r.id === Number(t.refId));
    const probes = (t.payload as { probes?: unknown }).probes;
    return run ? [{ run, endsAt: t.dueAt, probes: Array.isArray(probes) ? probes.filter((p): p is string => typeof p === 'string') : [] }] : [];
  });
}

/** A failed probe linked to a change: a timer row of `linkKind` (ref: the change's run id) is the record. */
export interface ProbeLink {
  runId: number;
  probe: string;
  status: string;
  summary: string;
  at: Date;
}

/** The failed probes linked to these changes, oldest first. */
export async function probeLinksOf(db: Tx, linkKind: string, runIds: readonly number[]): Promise<ProbeLink[]> {
  if (runIds.length === 0) return [];
  const rows = await db
    .select()
    .from(timers)
    .where(
      and(
        eq(timers.kind, linkKind),
        inArray(
          timers.refId,
          runIds.map((id) => String(id)),
        ),
      ),
    )
    .orderBy(asc(timers.id));
  return rows.map((t) => {
    const p = t.payload as { probe?: string; status?: string; summary?: string; at?: string };
    return { runId: Number(t.refId), probe: p.probe ?? '?', status: p.status ?? 'fail', summary: p.summary ?? '', at: new Date(p.at ?? t.dueAt) };
  });
}

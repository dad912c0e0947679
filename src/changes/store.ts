import { desc, eq, inArray, like } from 'drizzle-orm';
import type { Tx } from '../db';
import { checklistItems, checklistRuns } from '../db/schema';

/** Checklist ids of change runbooks: `change-<runbook id>`. */
export const CHANGE_PREFIX = 'change-';

export async function findChangeRun(db: Tx, runId: number) {
  const [run] = await db.select().from(checklistRuns).where(eq(checklistRuns.id, runId));
  return run;
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

import { and, eq } from 'drizzle-orm';
import type { Tx } from '../db';
import { checklistRuns, outbox } from '../db/schema';
import { DR_CHECKLIST_ID, DR_PERIOD_PREFIX } from './procedure';

/** The DR run attached to an incident, if any. */
export async function findDrRun(db: Tx, incidentId: number) {
  const [run] = await db
    .select()
    .from(checklistRuns)
    .where(and(eq(checklistRuns.checklistId, DR_CHECKLIST_ID), eq(checklistRuns.periodKey, `${DR_PERIOD_PREFIX}${incidentId}`)));
  return run;
}

/** Whether a message with this outbox ref was ever queued (stakeholders are told once). */
export async function queuedBefore(db: Tx, ref: string): Promise<boolean> {
  const [row] = await db.select({ id: outbox.id }).from(outbox).where(eq(outbox.ref, ref)).limit(1);
  return Boolean(row);
}

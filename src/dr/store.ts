import { and, eq } from 'drizzle-orm';
import type { Tx } from '../db';
import { checklistRuns, outbox } from '../db/schema';
import type { ChecklistDef } from '../checklists';
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

/** Replaces the check lines of one step of a DR run's frozen definition (the post-mortem's link to the review). */
export async function setStepChecks(db: Tx, incidentId: number, itemId: string, checks: string[]): Promise<number | null> {
  const run = await findDrRun(db, incidentId);
  if (!run) return null;
  const def = run.definition as ChecklistDef;
  const sections = def.sections.map((s) => ({ ...s, items: s.items.map((i) => (i.id === itemId ? { ...i, checks } : i)) }));
  await db
    .update(checklistRuns)
    .set({ definition: { ...def, sections } })
    .where(eq(checklistRuns.id, run.id));
  return run.id;
}

import { eq } from 'drizzle-orm';
import type { Tx } from '../db';
import { checklistRuns } from '../db/schema';

export async function findChangeRun(db: Tx, runId: number) {
  const [run] = await db.select().from(checklistRuns).where(eq(checklistRuns.id, runId));
  return run;
}

// An incident declared while a change's monitoring window is open is linked to that change: a
// line on the incident's timeline and one in the change's thread. A failed probe that opens an
// incident goes through the same declaration, so it is linked too.
import { and, eq, gt, inArray, isNull } from 'drizzle-orm';
import { escapeMrkdwn, mrkdwn } from '../../blocks/format';
import { buildNotice } from '../../blocks/help';
import type { ChecklistDef } from '../checklists';
import type { Tx } from '../db';
import { checklistRuns, timers } from '../db/schema';
import type { Deps } from '../deps';
import type { DeclareHook } from '../deps';
import { recordEvent } from '../incidents/steps';
import { getIncident } from '../incidents/store';
import { deliverOutbox, enqueue } from '../outbox';
import { CHANGE_WAIT_KIND } from './flow';

/** Change runs with a monitoring window open at `now`. */
export async function changesInWindow(db: Tx, now: Date) {
  const open = await db
    .select({ refId: timers.refId })
    .from(timers)
    .where(and(eq(timers.kind, CHANGE_WAIT_KIND), isNull(timers.firedAt), isNull(timers.cancelledAt), gt(timers.dueAt, now)));
  const ids = [...new Set(open.map((t) => Number(t.refId)))].filter((n) => Number.isSafeInteger(n));
  if (ids.length === 0) return [];
  return db.select().from(checklistRuns).where(inArray(checklistRuns.id, ids));
}

export async function linkIncidentToChanges(deps: Deps, incidentId: number): Promise<number> {
  const now = deps.clock.now();
  const runs = await changesInWindow(deps.db, now);
  if (runs.length === 0) return 0;
  await deps.db.transaction(async (tx) => {
    const inc = await getIncident(tx, incidentId);
    if (!inc) return;
    for (const run of runs) {
      const name = (run.definition as Partial<ChecklistDef>).name ?? run.checklistId;
      await recordEvent(
        tx,
        inc,
        { kind: 'change', text: `Declared during the monitoring window of change #${run.id} (${name}): check its rollback plan` },
        now,
      );
      const text = mrkdwn`:link: Incident #${inc.id} (${escapeMrkdwn(inc.severity.toUpperCase())}: ${escapeMrkdwn(inc.summary)}) was declared during this change's monitoring window. If the change caused it, follow the rollback plan.`;
      await enqueue(
        tx,
        { channel: run.channel, ...(run.messageTs ? { threadTs: run.messageTs } : {}), ref: `change-link:${run.id}:${inc.id}`, ...buildNotice(text) },
        now,
      );
    }
  });
  await deliverOutbox(deps, deps.clock.now());
  return runs.length;
}

/** An incident declared while a change is being monitored is linked to that change. */
export const changeLinkHook: DeclareHook = { name: 'change-link', afterwards: (deps, incidentId) => linkIncidentToChanges(deps, incidentId) };

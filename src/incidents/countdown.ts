import { countdownKey } from '../../blocks/countdown';
import type { Deps } from '../deps';
import { describeError } from '../errors';
import { slaClock } from './machine';
import { refreshIncident } from './publish';
import { listOpenIncidents, snapshot } from './store';

/**
 * The SLA countdown's refresh (blocks/countdown.ts says what it shows and why): on each escalation
 * sweep, an open incident whose countdown text would now read differently from what its messages
 * show is re-rendered — the announcement, the control message, and (debounced) the Home tabs.
 * Nothing is re-rendered between steps, so the cost is a few updates an hour per open incident.
 * What is shown is kept in memory: after a restart every open incident is re-rendered once.
 */
export async function refreshCountdowns(deps: Deps, now: Date): Promise<number> {
  const shown = deps.refreshes.countdowns;
  const open = await listOpenIncidents(deps.db, 100);
  const ids = new Set(open.map((r) => r.id));
  for (const id of [...shown.keys()]) if (!ids.has(id)) shown.delete(id);
  let n = 0;
  for (const row of open) {
    if (!row.messageTs || shown.get(row.id) === countdownKey(slaClock(snapshot(row), now))) continue;
    n += 1;
    await refreshIncident(deps, row.id).catch((err: unknown) =>
      deps.logger.warn({ incident: row.id, err: describeError(err) }, 'could not refresh the SLA countdown'),
    );
  }
  return n;
}

// The DR tests as the history (`/ops dr`) and `/ops status` show them.
import type { DrTestView } from '../../blocks/dr';
import type { Deps } from '../deps';
import { formatInZone } from '../runs/view';
import { drChecklistIds, evaluateDrTest, minutesText, resultText } from './tests-rules';
import { listDrHistory, type DrHistoryEntry } from './tests-store';

const dateOpts: Intl.DateTimeFormatOptions = { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' };

export function toDrTestView(entry: DrHistoryEntry, timezone: string): DrTestView {
  const { run, record } = entry;
  const at = record?.endedAt ?? run.scheduledFor ?? run.createdAt;
  const view: DrTestView = { name: run.definition.name, dateText: formatInZone(at, timezone, dateOpts), runState: run.state };
  if (!record) return view;
  const targets = { rtoMinutes: record.rtoMinutes, rpoMinutes: record.rpoMinutes };
  const result = evaluateDrTest({ ...record, ...targets });
  view.record = {
    recoveryText: minutesText(result.recoveryMinutes),
    dataLossText: minutesText(record.dataLossMinutes),
    rtoMet: result.rtoMet,
    rpoMet: result.rpoMet,
    backupUsed: record.backupUsed,
    evidence: record.evidence,
    operator: record.operator,
    verifier: record.verifier,
    resultText: resultText(result, targets, record.dataLossMinutes),
  };
  return view;
}

/** A page (1-based) of DR tests, newest first. */
export async function drHistoryPage(deps: Pick<Deps, 'db' | 'config'>, page: number, pageSize: number) {
  const ids = drChecklistIds(deps.config.checklists);
  const { total, entries } = await listDrHistory(deps.db, ids, pageSize, (page - 1) * pageSize);
  return { total, pages: Math.ceil(total / pageSize), tests: entries.map((e) => toDrTestView(e, deps.config.timezone)) };
}

/** The newest DR test, recorded or not (for `/ops status`). */
export async function latestDrTest(deps: Pick<Deps, 'db' | 'config'>): Promise<DrTestView | undefined> {
  return (await drHistoryPage(deps, 1, 1)).tests[0];
}

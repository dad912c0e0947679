// The DR test record's rules, pure: which items of a checklist are the restore and its
// verification, the targets it is held to, and whether a record met them.
import { checklistItemDefs, type ChecklistDef, type ItemDef } from '../checklists';
import type { DrTestsConfig } from './tests-config';

export interface DrPair {
  operator: ItemDef;
  verifier: ItemDef | undefined;
}

/** The restore item (`drRecord`) of a checklist and the item that verifies it (`differentSignerFrom`). */
export function drPairOf(def: ChecklistDef): DrPair | null {
  const items = checklistItemDefs(def);
  const operator = items.find((i) => i.drRecord);
  if (!operator) return null;
  return { operator, verifier: items.find((i) => i.differentSignerFrom === operator.id) };
}

/** Ids of the configured checklists that are DR tests. */
export const drChecklistIds = (checklists: readonly ChecklistDef[]): string[] => checklists.filter((c) => drPairOf(c)).map((c) => c.id);

export interface DrTargets {
  rtoMinutes: number | null;
  rpoMinutes: number | null;
}

export const targetsFor = (cfg: DrTestsConfig, checklistId: string): DrTargets => {
  const t = cfg.targets[checklistId];
  return { rtoMinutes: t?.rtoMinutes ?? null, rpoMinutes: t?.rpoMinutes ?? null };
};

export interface DrResult {
  recoveryMinutes: number;
  /** null: no target configured for this checklist. */
  rtoMet: boolean | null;
  rpoMet: boolean | null;
  breached: boolean;
}

/** Measured against the guide's targets: recovery strictly under the RTO ("< 1 hour"), data lost at most the RPO. */
export function evaluateDrTest(r: { startedAt: Date; endedAt: Date; dataLossMinutes: number; rtoMinutes: number | null; rpoMinutes: number | null }): DrResult {
  const recoveryMinutes = Math.round(((r.endedAt.getTime() - r.startedAt.getTime()) / 60_000) * 10) / 10;
  const rtoMet = r.rtoMinutes === null ? null : recoveryMinutes < r.rtoMinutes;
  const rpoMet = r.rpoMinutes === null ? null : r.dataLossMinutes <= r.rpoMinutes;
  return { recoveryMinutes, rtoMet, rpoMet, breached: rtoMet === false || rpoMet === false };
}

/** How long before a DR test is due its restore may have ended (a team may restore the day before it posts). */
export const EARLIEST_RESTORE_BEFORE_DUE_MS = 48 * 3_600_000;

/** Why a restore cannot be this test's: it ended long before the test was due (last month's restore is not this month's test). */
export function restoreTooOld(due: Date, endedAt: Date): string | null {
  if (endedAt.getTime() >= due.getTime() - EARLIEST_RESTORE_BEFORE_DUE_MS) return null;
  return 'This restore ended more than 2 days before this DR test was due: record the restore done for this test.';
}

/** "1 h 05 min", "42 min" */
export function minutesText(m: number): string {
  if (m < 60) return `${Number(m.toFixed(1))} min`;
  const whole = Math.round(m);
  return `${Math.floor(whole / 60)} h ${String(whole % 60).padStart(2, '0')} min`;
}

/** "restore 42 min (target < 1 h 00 min): met · data loss 5 min (target ≤ 24 h 00 min): met" */
export function resultText(result: DrResult, targets: DrTargets, dataLossMinutes: number): string {
  const verdict = (met: boolean | null) => (met === null ? 'no target' : met ? 'met' : 'MISSED');
  const rto = targets.rtoMinutes === null ? '' : ` (target < ${minutesText(targets.rtoMinutes)})`;
  const rpo = targets.rpoMinutes === null ? '' : ` (target ≤ ${minutesText(targets.rpoMinutes)})`;
  return `recovery ${minutesText(result.recoveryMinutes)}${rto}: ${verdict(result.rtoMet)} · data loss ${minutesText(dataLossMinutes)}${rpo}: ${verdict(result.rpoMet)}`;
}

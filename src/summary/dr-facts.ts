import { and, inArray, isNotNull, eq } from 'drizzle-orm';
import type { ChecklistDef, ItemDef } from '../checklists';
import type { OpsConfig } from '../config/ops-config';
import type { Tx } from '../db';
import { checklistItems, type checklistRuns, metrics } from '../db/schema';
import { evaluateDrTest } from '../dr/tests-rules';
import { drTestsOfRuns, type DrTestRow } from '../dr/tests-store';
import type { DrTestFact } from './types';

/** The items of a stored definition (any shape a run may have frozen). */
export function itemsOf(def: unknown): ItemDef[] {
  const d = def as Partial<ChecklistDef> | null;
  return (d?.sections ?? []).flatMap((s) => s.items ?? []);
}

const RESTORE_FIGURES = ['time-to-restore', 'total-recovery-time'] as const;

/** A DR test checklist: it has a restore to record, or (an older definition) a restore-time figure. */
function isDrChecklist(def: ChecklistDef | unknown): boolean {
  return itemsOf(def).some((i) => i.drRecord || (i.figures ?? []).some((f) => (RESTORE_FIGURES as readonly string[]).includes(f.id)));
}

/** The week's DR tests: from their records when recorded, else from the figures and sign-offs. */
export async function gatherDrTests(db: Tx, runs: (typeof checklistRuns.$inferSelect)[], config: OpsConfig): Promise<DrTestFact[]> {
  const drIds = new Set(config.checklists.filter(isDrChecklist).map((c) => c.id));
  const drRuns = runs.filter((r) => drIds.has(r.checklistId) || isDrChecklist(r.definition));
  if (drRuns.length === 0) return [];
  const rows = await db
    .select()
    .from(metrics)
    .where(
      and(
        inArray(
          metrics.runId,
          drRuns.map((r) => r.id),
        ),
        inArray(metrics.figureId, [...RESTORE_FIGURES, 'data-loss']),
        isNotNull(metrics.value),
      ),
    );
  const signed = await db
    .select({ runId: checklistItems.runId, itemId: checklistItems.itemId, signedBy: checklistItems.signedBy })
    .from(checklistItems)
    .where(
      and(
        inArray(
          checklistItems.runId,
          drRuns.map((r) => r.id),
        ),
        eq(checklistItems.status, 'done'),
      ),
    );
  const records = await drTestsOfRuns(
    db,
    drRuns.map((r) => r.id),
  );
  return drRuns.map((r) => {
    const fig = (id: string) => {
      const m = rows.filter((x) => x.runId === r.id && x.figureId === id).sort((a, b) => b.enteredAt.getTime() - a.enteredAt.getTime())[0];
      return m?.value == null ? null : Number(m.value);
    };
    const restoreMinutes = fig('time-to-restore');
    const totalRecoveryMinutes = fig('total-recovery-time');
    // The guide's targets: monthly restoration < 1 hour, quarterly total recovery < 4 hours.
    const [measured, targetMinutes] = totalRecoveryMinutes !== null || r.checklistId === 'dr-full' ? [totalRecoveryMinutes, 240] : [restoreMinutes, 60];
    // Two-person rule: the verification item is signed Done, by someone other than the operator.
    const verify = itemsOf(r.definition).find((i) => i.differentSignerFrom);
    const by = (itemId: string | undefined) => signed.find((s) => s.runId === r.id && s.itemId === itemId)?.signedBy ?? null;
    const operator = by(verify?.differentSignerFrom);
    const verifier = by(verify?.id);
    const record = records.find((x) => x.runId === r.id);
    if (record) return recordFact(r, record);
    return {
      checklistId: r.checklistId,
      name: (r.definition as Partial<ChecklistDef>).name ?? r.checklistId,
      state: r.state,
      restoreMinutes,
      totalRecoveryMinutes,
      targetMinutes,
      metTarget: measured === null ? null : measured < targetMinutes,
      dataLossMinutes: fig('data-loss'),
      verifiedBySecondPerson: verifier !== null && verifier !== operator,
      recorded: false,
    };
  });
}

/** A DR test recorded through "Record DR test": its measured time and data loss against the targets it was recorded with. */
function recordFact(r: typeof checklistRuns.$inferSelect, record: DrTestRow): DrTestFact {
  const result = evaluateDrTest(record);
  const full = r.checklistId === 'dr-full';
  return {
    checklistId: r.checklistId,
    name: (r.definition as Partial<ChecklistDef>).name ?? r.checklistId,
    state: r.state,
    restoreMinutes: full ? null : result.recoveryMinutes,
    totalRecoveryMinutes: full ? result.recoveryMinutes : null,
    ...(record.rtoMinutes !== null ? { targetMinutes: record.rtoMinutes } : {}),
    metTarget: result.rtoMet,
    dataLossMinutes: record.dataLossMinutes,
    ...(record.rpoMinutes !== null ? { dataLossTargetMinutes: record.rpoMinutes } : {}),
    dataLossMet: result.rpoMet,
    verifiedBySecondPerson: record.verifier !== null && record.verifier !== record.operator,
    recorded: true,
  };
}

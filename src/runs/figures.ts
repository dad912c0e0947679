import { and, eq, gte, lte, ne, or, isNull } from 'drizzle-orm';
import type { FigureLine } from '../../blocks/checklist';
import { checklistItemDefs, type ComparePeriod, type FigureDef } from '../checklists';
import type { Db, Tx } from '../db';
import { metrics } from '../db/schema';
import { changeText, formatFigure } from './units';
import type { RunRow } from './store';

/** The start of the period a run covers: its scheduled time, or when it was asked for. */
export const periodStartOf = (run: RunRow): Date => run.scheduledFor ?? run.createdAt;

const COMPARE: Record<ComparePeriod, { label: string; days?: number; months?: number; toleranceDays: number }> = {
  // Daily figures (the evening checklist): the guide compares them to yesterday and last week.
  previous_day: { label: 'yesterday', days: 1, toleranceDays: 0.5 },
  same_day_last_week: { label: 'same day last week', days: 7, toleranceDays: 0.5 },
  previous_week: { label: 'previous week', days: 7, toleranceDays: 3 },
  same_week_last_month: { label: 'same week last month', days: 28, toleranceDays: 3 },
  same_week_last_year: { label: 'same week last year', days: 364, toleranceDays: 3 },
  previous_month: { label: 'previous month', months: 1, toleranceDays: 10 },
  same_month_last_year: { label: 'same month last year', months: 12, toleranceDays: 10 },
  previous_quarter: { label: 'previous quarter', months: 3, toleranceDays: 20 },
  same_quarter_last_year: { label: 'same quarter last year', months: 12, toleranceDays: 20 },
};

function shift(at: Date, cp: ComparePeriod): Date {
  const c = COMPARE[cp];
  const d = new Date(at);
  if (c.months) d.setUTCMonth(d.getUTCMonth() - c.months);
  if (c.days) d.setUTCDate(d.getUTCDate() - c.days);
  return d;
}

export interface FigureValue {
  figureId: string;
  value: number | string;
}

/** Stores the figures entered for an item of a run (replacing earlier entries of the same figure). */
export async function saveFigures(
  db: Tx,
  run: RunRow,
  itemId: string,
  defs: readonly FigureDef[],
  values: readonly FigureValue[],
  userId: string,
  now: Date,
): Promise<void> {
  for (const v of values) {
    const def = defs.find((d) => d.id === v.figureId);
    if (!def) continue;
    const row = {
      runId: run.id,
      checklistId: run.checklistId,
      itemId,
      figureId: v.figureId,
      periodStart: periodStartOf(run),
      unit: def.unit,
      value: typeof v.value === 'number' ? v.value : null,
      textValue: typeof v.value === 'string' ? v.value : null,
      enteredBy: userId,
      enteredAt: now,
    };
    await db
      .insert(metrics)
      .values(row)
      .onConflictDoUpdate({
        target: [metrics.runId, metrics.itemId, metrics.figureId],
        set: { value: row.value, textValue: row.textValue, enteredBy: userId, enteredAt: now },
      });
  }
}

async function previousValue(db: Db, run: RunRow, figureId: string, cp: ComparePeriod): Promise<number | undefined> {
  const target = shift(periodStartOf(run), cp);
  const tol = COMPARE[cp].toleranceDays * 86_400_000;
  const rows = await db
    .select({ value: metrics.value, periodStart: metrics.periodStart })
    .from(metrics)
    .where(
      and(
        eq(metrics.checklistId, run.checklistId),
        eq(metrics.figureId, figureId),
        gte(metrics.periodStart, new Date(target.getTime() - tol)),
        lte(metrics.periodStart, new Date(target.getTime() + tol)),
        or(isNull(metrics.runId), ne(metrics.runId, run.id)),
      ),
    );
  const nearest = rows
    .filter((r) => r.value !== null)
    .sort((a, b) => Math.abs(a.periodStart.getTime() - target.getTime()) - Math.abs(b.periodStart.getTime() - target.getTime()))[0];
  return nearest?.value ?? undefined;
}

/** The figures entered on a run, looked up by item and figure. */
export async function loadEnteredFigures(db: Tx, runId: number): Promise<(itemId: string, figureId: string) => number | string | undefined> {
  const entered = await db.select().from(metrics).where(eq(metrics.runId, runId));
  return (itemId, figureId) => {
    const row = entered.find((m) => m.itemId === itemId && m.figureId === figureId);
    return row ? (row.value ?? row.textValue ?? undefined) : undefined;
  };
}

/** Figure lines per item of a run: entered values with their change against the compared periods. */
export async function loadFigureLines(db: Db, run: RunRow): Promise<Map<string, FigureLine[]>> {
  const out = new Map<string, FigureLine[]>();
  const items = checklistItemDefs(run.definition).filter((i) => i.figures?.length);
  if (items.length === 0) return out;
  const entered = await loadEnteredFigures(db, run.id);
  for (const item of items) {
    const lines: FigureLine[] = [];
    for (const f of item.figures!) {
      const value = entered(item.id, f.id);
      const changes: string[] = [];
      if (typeof value === 'number') {
        for (const cp of f.compareTo ?? []) {
          const prev = await previousValue(db, run, f.id, cp);
          if (prev !== undefined) changes.push(changeText(value, prev, COMPARE[cp].label, f.unit));
        }
      }
      lines.push({
        label: f.label,
        changes,
        ...(value !== undefined ? { value: formatFigure(f.unit, value) } : {}),
        ...(f.target ? { target: f.target } : {}),
      });
    }
    out.set(item.id, lines);
  }
  return out;
}

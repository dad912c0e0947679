// Small constructors that keep the checklist data files readable.
import type { ComparePeriod, FigureDef, Unit } from '../types';

export function figure(id: string, label: string, unit: Unit, more: { target?: string; compareTo?: ComparePeriod[] } = {}): FigureDef {
  return { id, label, unit, ...more };
}

export const DAY_COMPARISONS: ComparePeriod[] = ['previous_day', 'same_day_last_week'];
export const WEEK_COMPARISONS: ComparePeriod[] = ['previous_week', 'same_week_last_month', 'same_week_last_year'];
export const MONTH_COMPARISONS: ComparePeriod[] = ['previous_month', 'same_month_last_year'];
export const QUARTER_COMPARISONS: ComparePeriod[] = ['previous_quarter', 'same_quarter_last_year'];

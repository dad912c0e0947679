// Every checklist of the maintenance guide, in the order of its calendar.
// Backup verification is not a checklist of its own: the guide makes it the
// fourth part of the evening checklist (alias "backups" opens that one), and
// the restore tests are the monthly review's section 6 and the DR checklists.
import type { ChecklistDef } from '../types';
import { eveningChecklist, morningChecklist } from './daily';
import { drFullChecklist, drTestChecklist } from './disaster-recovery';
import { midweekChecklist, weekWrapUpChecklist } from './midweek-and-friday';
import { monthlyReviewChecklist } from './monthly-review';
import { performanceMonthlyChecklist, performanceWeeklyChecklist } from './performance';
import { innovationReviewChecklist } from './innovation-review';
import { quarterlyReviewChecklist } from './quarterly-review';
import { securityDailyChecklist, securityMonthlyChecklist, securityWeeklyChecklist } from './security';
import { weeklyReviewChecklist } from './weekly-review';

export const defaultChecklists: ChecklistDef[] = [
  morningChecklist,
  eveningChecklist,
  weeklyReviewChecklist,
  midweekChecklist,
  weekWrapUpChecklist,
  monthlyReviewChecklist,
  drTestChecklist,
  quarterlyReviewChecklist,
  innovationReviewChecklist,
  drFullChecklist,
  securityDailyChecklist,
  securityWeeklyChecklist,
  securityMonthlyChecklist,
  performanceWeeklyChecklist,
  performanceMonthlyChecklist,
];

export {
  drFullChecklist,
  drTestChecklist,
  eveningChecklist,
  innovationReviewChecklist,
  midweekChecklist,
  monthlyReviewChecklist,
  morningChecklist,
  performanceMonthlyChecklist,
  performanceWeeklyChecklist,
  quarterlyReviewChecklist,
  securityDailyChecklist,
  securityMonthlyChecklist,
  securityWeeklyChecklist,
  weekWrapUpChecklist,
  weeklyReviewChecklist,
};

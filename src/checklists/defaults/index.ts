// Every checklist of the maintenance guide, in the order of its calendar.
// Backup verification is not a checklist of its own: the guide makes it the
// fourth part of the evening checklist (alias "backups" opens that one), and
// the restore tests are the monthly review's section 6 and the DR checklists.
import type { ChecklistDef } from '../types.js';
import { eveningChecklist, morningChecklist } from './daily.js';
import { drFullChecklist, drTestChecklist } from './disaster-recovery.js';
import { midweekChecklist, weekWrapUpChecklist } from './midweek-and-friday.js';
import { monthlyReviewChecklist } from './monthly-review.js';
import { performanceMonthlyChecklist, performanceWeeklyChecklist } from './performance.js';
import { quarterlyReviewChecklist } from './quarterly-review.js';
import { securityDailyChecklist, securityMonthlyChecklist, securityWeeklyChecklist } from './security.js';
import { weeklyReviewChecklist } from './weekly-review.js';

export const defaultChecklists: ChecklistDef[] = [
  morningChecklist,
  eveningChecklist,
  weeklyReviewChecklist,
  midweekChecklist,
  weekWrapUpChecklist,
  monthlyReviewChecklist,
  drTestChecklist,
  quarterlyReviewChecklist,
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

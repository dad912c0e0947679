import { deliverRunsJob } from './deliver-runs';
import type { Job } from './loop';
import { checklistScheduleJob } from './checklist-schedule';
import { escalationJob } from './escalation';
import { outboxJob } from './outbox';
import { remindersJob } from './timers';
import { weeklySummaryJob } from './weekly-summary';
import { improvementReviewJob } from './improvement-review';
import { oncallHandoffJob } from './oncall-handoff';

/** Every periodic job the bot runs; features add theirs here. */
export const allJobs: Job[] = [
  checklistScheduleJob,
  remindersJob,
  escalationJob,
  outboxJob,
  deliverRunsJob,
  weeklySummaryJob,
  improvementReviewJob,
  oncallHandoffJob,
];

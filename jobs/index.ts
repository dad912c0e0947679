import type { Job } from './loop';
import { outboxJob } from './outbox';
import { weeklySummaryJob } from './weekly-summary';

/** Every periodic job the bot runs; features add theirs here. */
export const allJobs: Job[] = [outboxJob, weeklySummaryJob];

import { deliverRunsJob } from './deliver-runs';
import type { Job } from './loop';
import { outboxJob } from './outbox';

/** Every periodic job the bot runs; features add theirs here. */
export const allJobs: Job[] = [outboxJob, deliverRunsJob];

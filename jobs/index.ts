import type { Job } from './loop';
import { escalationJob } from './escalation';
import { outboxJob } from './outbox';

/** Every periodic job the bot runs; features add theirs here. */
export const allJobs: Job[] = [outboxJob, escalationJob];

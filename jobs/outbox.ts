import { deliverOutbox } from '../src/outbox';
import type { Job } from './loop';

/** Sends queued notifications (pages, reminders, timeline entries) to Slack. */
export const outboxJob: Job = {
  name: 'outbox',
  everyMs: 2_000,
  run: (deps, now) => deliverOutbox(deps, now),
};

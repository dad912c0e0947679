import { redeliverRuns } from '../src/runs/flow';
import type { Job } from './loop';

/** Posts checklist runs that were stored but never reached Slack (Slack down, crash mid-post). */
export const deliverRunsJob: Job = {
  name: 'deliver-runs',
  everyMs: 15_000,
  run: (deps, now) => redeliverRuns(deps, now),
};

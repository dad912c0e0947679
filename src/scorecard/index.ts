import type { OpsConfig } from '../config/ops-config';
import type { Tx } from '../db';
import { previousWeek, type IsoWeek } from '../summary/week';
import { computeScorecard, type Scorecard } from './metrics';
import { gatherPeriodInputs } from './store';

export { METRICS, computeScorecard, type Scorecard, type MetricResult } from './metrics';

/** The scorecard of an ISO week (the weekly summary's period), trends against the week before. */
export async function weekScorecard(db: Tx, config: OpsConfig, week: IsoWeek, now: Date): Promise<Scorecard> {
  const prev = previousWeek(week);
  const [current, previous] = await Promise.all([gatherPeriodInputs(db, config, week, now), gatherPeriodInputs(db, config, prev, now)]);
  return computeScorecard({
    period: { key: week.key, label: week.label, start: week.start.toISOString(), end: week.end.toISOString() },
    previousKey: prev.key,
    current,
    previous,
    targets: config.scorecard.targets,
    figureIds: config.scorecard.figures,
  });
}

import { parseCron, previousOccurrence } from '../src/schedule';
import type { Deps } from '../src/deps';
import { writeWeeklySummary, type SummaryOutcome } from '../src/summary/flow';
import { isoWeekOf } from '../src/summary/week';
import type { Job } from './loop';

export type WeeklySummaryRun = { kind: 'not_due' } | { kind: 'too_late'; week: string } | ({ week: string } & SummaryOutcome);

/**
 * Posts the summary of the week whose configured slot (Friday 16:00 by default) has passed.
 * The week is claimed as `scheduled:<week>` before anything is written, so restarts and replicas
 * post it once. A slot missed while the bot was down is caught up until the week ends; after
 * that the week is left alone (a summary of a past week is `/ops summary YYYY-Www`).
 */
export async function runWeeklySummary(deps: Deps, now: Date): Promise<WeeklySummaryRun> {
  const tz = deps.config.timezone;
  const slot = previousOccurrence(parseCron(deps.config.summary.schedule), tz, now);
  if (!slot) return { kind: 'not_due' };
  const week = isoWeekOf(slot, tz);
  if (now >= week.end) return { kind: 'too_late', week: week.key };
  const outcome = await writeWeeklySummary(deps, { week, claimKey: `scheduled:${week.key}` });
  return { week: week.key, ...outcome };
}

export const weeklySummaryJob: Job = {
  name: 'weekly-summary',
  everyMs: 60_000,
  run: runWeeklySummary,
};

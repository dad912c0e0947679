import type { Deps } from '../src/deps';
import { describeError } from '../src/errors';
import { postChecklist } from '../src/runs/flow';
import { channelFor } from '../src/deps';
import { createRun } from '../src/runs/store';
import { duePeriods, schedulerEpoch } from '../src/runs/schedule';
import type { Job } from './loop';

export interface ScheduleTickResult {
  posted: string[];
  missed: string[];
  /** Claimed by another replica or an earlier tick in the meantime. */
  skipped: string[];
  failed: string[];
}

/**
 * One scheduler tick: every checklist period that is due and unclaimed is claimed with its unique
 * (checklist, period) key, then posted; a period past its grace window is recorded as missed.
 * Idempotent: running it twice, or on two replicas, posts each period once.
 */
export async function runChecklistSchedule(deps: Deps, now: Date): Promise<ScheduleTickResult> {
  const result: ScheduleTickResult = { posted: [], missed: [], skipped: [], failed: [] };
  const enabled = deps.config.checklists;
  const epoch = await schedulerEpoch(deps.db, now);
  const due = await duePeriods(deps.db, enabled, deps.config.timezone, now, epoch);
  // Concurrently: each post waits for its probes (up to their timeout), and the 9:00 slot has
  // three checklists; one after the other, the last would be posted seconds late.
  await Promise.all(
    due.map(async (p) => {
      const key = `${p.def.id}@${p.periodKey}`;
      try {
        if (p.action === 'missed') {
          const run = await createRun(deps.db, {
            def: p.def,
            periodKey: p.periodKey,
            kind: 'scheduled',
            state: 'missed',
            channel: channelFor(deps.config, p.def.channel),
            now,
            scheduledFor: p.scheduledFor,
          });
          (run ? result.missed : result.skipped).push(key);
          if (run) deps.logger.warn({ checklist: p.def.id, period: p.periodKey }, 'checklist period missed (bot was down past its grace window)');
          return;
        }
        const r = await postChecklist(deps, p.def, { kind: 'scheduled', periodKey: p.periodKey, scheduledFor: p.scheduledFor, late: p.late });
        (r.kind === 'posted' ? result.posted : result.skipped).push(key);
      } catch (err) {
        result.failed.push(key);
        deps.logger.error({ checklist: p.def.id, period: p.periodKey, err: describeError(err) }, 'scheduled checklist failed');
      }
    }),
  );
  return result;
}

/** Ticks at the top of every minute (node-cron), so a 9:00 checklist is posted at 9:00. */
export const checklistScheduleJob: Job = {
  name: 'checklist-schedule',
  everyMs: 60_000,
  cron: '* * * * *',
  run: runChecklistSchedule,
};

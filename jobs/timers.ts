import type { Deps } from '../src/deps';
import { reminderHandler, REMINDER_KIND } from '../src/runs/reminders';
import { sweepTimers, type TimerHandler } from '../src/timers';
import { WATCHDOG_SMS_KIND, watchdogSmsHandler } from '../src/watchdog/pages';
import { DEADLINE_KIND } from '../src/improve/store';
import { CHANGE_WAIT_KIND, changeWaitHandler } from '../src/changes/flow';
import { afterRollbackDeadline, CHANGE_ROLLBACK_KIND, changeRollbackHandler } from '../src/changes/failure';
import { improvementDeadlineHandler } from '../src/improve/flow';
import { CHANGE_PROBE_LINK_KIND, changeProbeLinkHandler } from '../src/changes/probe-link';
import { DR_ATTACH_KIND, DR_MONITOR_KIND, drAttachHandler, drMonitorHandler } from '../src/dr/flow';
import { REVIEW_TIMER_KIND } from '../src/incidents/review-intent';
import { reviewTimerHandler } from '../src/review/flow';
import { DR_BREACH_KIND, drBreachHandler } from '../src/dr/tests';
import type { Job } from './loop';

/** Timer kinds this sweep fires; each feature adds its handler. */
export function timerHandlers(deps: Deps): Record<string, TimerHandler> {
  return {
    [REMINDER_KIND]: reminderHandler(deps.config),
    [WATCHDOG_SMS_KIND]: watchdogSmsHandler(deps),
    [DR_ATTACH_KIND]: drAttachHandler(deps),
    [DR_MONITOR_KIND]: drMonitorHandler(deps),
    [DEADLINE_KIND]: improvementDeadlineHandler(deps),
    [CHANGE_WAIT_KIND]: changeWaitHandler(deps),
    [CHANGE_ROLLBACK_KIND]: changeRollbackHandler(deps),
    [REVIEW_TIMER_KIND]: reviewTimerHandler(deps),
    [CHANGE_PROBE_LINK_KIND]: changeProbeLinkHandler(deps),
    [DR_BREACH_KIND]: drBreachHandler(deps),
  };
}

/** Fires due checklist reminders (queued in the outbox, sent by the outbox job). */
export const remindersJob: Job = {
  name: 'reminders',
  everyMs: 15_000,
  run: async (deps, now) => {
    const swept = await sweepTimers(deps.db, now, timerHandlers(deps));
    // A rollback deadline escalated its incident: the announcement shows the new level.
    for (const f of swept.fired) if (f.kind === CHANGE_ROLLBACK_KIND) await afterRollbackDeadline(deps, Number(f.refId));
    return swept;
  },
};

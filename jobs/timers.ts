import type { Deps } from '../src/deps';
import { reminderHandler, REMINDER_KIND } from '../src/runs/reminders';
import { sweepTimers, type TimerHandler } from '../src/timers';
import { WATCHDOG_SMS_KIND, watchdogSmsHandler } from '../src/watchdog/pages';
import type { Job } from './loop';

/** Timer kinds this sweep fires; each feature adds its handler. */
export function timerHandlers(deps: Deps): Record<string, TimerHandler> {
  return { [REMINDER_KIND]: reminderHandler(deps.config), [WATCHDOG_SMS_KIND]: watchdogSmsHandler(deps) };
}

/** Fires due checklist reminders (queued in the outbox, sent by the outbox job). */
export const remindersJob: Job = {
  name: 'reminders',
  everyMs: 15_000,
  run: (deps, now) => sweepTimers(deps.db, now, timerHandlers(deps)),
};

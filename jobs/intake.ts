import type { ListenerDispatch } from '../src/slack/dispatch';
import type { IntakeStore } from '../src/slack/intake';
import type { Job } from './loop';

const PRUNE_EVERY_MS = 3600_000;

/**
 * Replays stored Slack requests whose processor died (src/slack/intake.ts), and now and then
 * prunes the finished ones. Built per bot: it needs the dispatch that runs listeners.
 */
export function intakeRecoveryJob(dispatch: ListenerDispatch, intake: IntakeStore): Job {
  let prunedAt = 0;
  return {
    name: 'intake-recovery',
    everyMs: 2_000,
    run: async () => {
      const replayed = await dispatch.recover();
      let pruned = 0;
      if (Date.now() - prunedAt > PRUNE_EVERY_MS) {
        prunedAt = Date.now();
        pruned = await intake.prune();
      }
      return { replayed, pruned };
    },
  };
}

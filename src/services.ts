import type { Deps, RefreshQueues } from './deps';
import { TimelineFlusher } from './incidents/timeline';
import { HomePublisher } from './home/publisher';
import { CoalescingQueue } from './slack/keyed-queue';
import { Permalinks } from './slack/permalinks';
import { createSmsSender } from './sms/twilio';
import { openAiLlm } from './llm/writers';

/** The parts of `Deps` that hold state or talk to an outside service, built once per bot. */
export type Services = Pick<Deps, 'sms' | 'llm' | 'permalinks' | 'refreshes' | 'home'>;

/**
 * Completes `Deps` with its services: the ones given (a test's stand-ins) and the rest built from
 * the environment. Every bot gets its own, so two bots in one process (tests) share no state.
 */
export function withServices(base: Omit<Deps, keyof Services>, given: Partial<Services> = {}): Deps {
  const deps: Deps = {
    ...base,
    sms: given.sms ?? createSmsSender(base.env),
    llm: given.llm ?? openAiLlm(base.env),
    permalinks: given.permalinks ?? new Permalinks(base.slack),
    refreshes: given.refreshes ?? newRefreshQueues(() => deps),
    home: given.home ?? new HomePublisher(() => deps),
  };
  return deps;
}

/** Fresh re-render queues for one bot (the sandbox builds its own to wait on them). */
export function newRefreshQueues(deps: () => Deps): RefreshQueues {
  return { incidents: new CoalescingQueue(), checklists: new CoalescingQueue(), timelines: new TimelineFlusher(deps), countdowns: new Map() };
}

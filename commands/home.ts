import type { Deps } from '../src/deps';
import type { ListenerRoutes } from '../src/slack/listener-routes';

/**
 * The Home tab: published when a person opens it, and again while they are likely looking when
 * an incident or checklist it shows changes (`deps.home`, src/home/publisher.ts). Reading it needs no right:
 * it shows what the incidents channel and the checklists already show, and every button on it
 * goes through the same rights as on the announcement.
 */
export function registerHome(routes: ListenerRoutes, deps: Deps): void {
  routes.event('app_home_opened', async ({ event }) => {
    // The Messages tab sends the same event; only Home is ours to draw.
    if (event.tab !== 'home' || typeof event.user !== 'string' || !/^[UW][A-Z0-9]{2,20}$/.test(event.user)) return;
    await deps.home.opened(event.user);
  });
}

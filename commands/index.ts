import type { App } from '@slack/bolt';
import type { Deps } from '../src/deps';
import { ListenerRoutes } from '../src/slack/listener-routes';
import { registerChecklistActions } from './checklist-actions';
import { registerDrRecord } from './dr-record';
import { registerFigures } from './figures';
import { registerHome } from './home';
import { registerIncident } from './incident';
import { registerOps } from './ops';
import { registerOpsImprove } from './ops-improve';
import { registerProblemView } from './problem-view';

/** Every inbound Slack listener, by surface. */
export function registerListeners(app: App, deps: Deps): void {
  const routes = new ListenerRoutes();
  registerOps(routes, deps);
  registerOpsImprove(routes, deps);
  registerChecklistActions(routes, deps);
  registerProblemView(routes, deps);
  registerFigures(routes, deps);
  registerDrRecord(routes, deps);
  registerIncident(routes, deps);
  registerHome(routes, deps);
  routes.install(app);
}

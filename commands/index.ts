import type { App } from '@slack/bolt';
import type { Deps } from '../src/deps';
import { ListenerRoutes } from '../src/slack/listener-routes';
import { registerChecklistActions } from './checklist-actions';
import { registerFigures } from './figures';
import { registerHome } from './home';
import { registerIncident } from './incident';
import { registerOps } from './ops';
import { registerOpsCalendar } from './ops-calendar';
import { registerOpsOnCall } from './ops-oncall';
import { registerOpsProbe } from './ops-probe';
import { registerOpsSummary } from './ops-summary';
import { registerProblemView } from './problem-view';

/** Every inbound Slack listener, by surface. */
export function registerListeners(app: App, deps: Deps): void {
  registerOpsProbe();
  registerOpsCalendar();
  registerOpsSummary();
  registerOpsOnCall();
  const routes = new ListenerRoutes();
  registerOps(routes, deps);
  registerChecklistActions(routes, deps);
  registerProblemView(routes, deps);
  registerFigures(routes, deps);
  registerIncident(routes, deps);
  registerHome(routes, deps);
  routes.install(app);
}

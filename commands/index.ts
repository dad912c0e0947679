import type { App } from '@slack/bolt';
import type { Deps } from '../src/deps';
import { ListenerRoutes } from '../src/slack/listener-routes';
import { registerChecklistActions } from './checklist-actions';
import { registerFigures } from './figures';
import { registerIncident } from './incident';
import { registerOps } from './ops';
import { registerOpsCalendar } from './ops-calendar';
import { registerOpsProbe } from './ops-probe';
import { registerOpsSummary } from './ops-summary';
import { registerOpsScorecard } from './ops-scorecard';
import { registerOpsImprove } from './ops-improve';
import { registerOpsChange } from './ops-change';
import { registerProblemView } from './problem-view';

/** Every inbound Slack listener, by surface. */
export function registerListeners(app: App, deps: Deps): void {
  registerOpsProbe();
  registerOpsCalendar();
  registerOpsSummary();
  registerOpsScorecard();
  registerOpsChange();
  const routes = new ListenerRoutes();
  registerOps(routes, deps);
  registerOpsImprove(routes, deps);
  registerChecklistActions(routes, deps);
  registerProblemView(routes, deps);
  registerFigures(routes, deps);
  registerIncident(routes, deps);
  routes.install(app);
}

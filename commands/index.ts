import type { App } from '@slack/bolt';
import type { Deps } from '../src/deps';
import { registerChecklistActions } from './checklist-actions';
import { registerFigures } from './figures';
import { registerIncident } from './incident';
import { registerOps } from './ops';
import { registerOpsCalendar } from './ops-calendar';
import { registerOpsProbe } from './ops-probe';
import { registerOpsSummary } from './ops-summary';
import { registerProblemView } from './problem-view';

/** Every inbound Slack listener, by surface. */
export function registerListeners(app: App, deps: Deps): void {
  registerOpsProbe();
  registerOpsCalendar();
  registerOpsSummary();
  registerOps(app, deps);
  registerChecklistActions(app, deps);
  registerProblemView(app, deps);
  registerFigures(app, deps);
  registerIncident(app, deps);
}

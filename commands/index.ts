import type { App } from '@slack/bolt';
import type { Deps } from '../src/deps';
import { registerChecklistActions } from './checklist-actions';
import { registerIncident } from './incident';
import { registerOps } from './ops';
import { registerProblemView } from './problem-view';

/** Every inbound Slack listener, by surface. */
export function registerListeners(app: App, deps: Deps): void {
  registerOps(app, deps);
  registerChecklistActions(app, deps);
  registerProblemView(app, deps);
  registerIncident(app, deps);
}

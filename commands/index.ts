import type { App } from '@slack/bolt';
import type { Deps } from '../src/deps';
import { registerChecklistActions } from './checklist-actions';
import { registerFigures } from './figures';
import { registerOps } from './ops';
import './ops-probe';
import './ops-calendar';
import { registerProblemView } from './problem-view';

/** Every inbound Slack listener, by surface. */
export function registerListeners(app: App, deps: Deps): void {
  registerOps(app, deps);
  registerChecklistActions(app, deps);
  registerProblemView(app, deps);
  registerFigures(app, deps);
}

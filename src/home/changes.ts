import type { Deps } from '../deps';

/**
 * Where what the Home tab shows changes (an incident or a checklist re-rendered), the flows call
 * `homeChanged`; the Home publisher listens. A module of its own so the incident and checklist
 * flows do not import the Home read model (which imports them).
 */
const listeners = new WeakMap<Deps, () => void>();

export function onHomeChange(deps: Deps, listener: () => void): void {
  listeners.set(deps, listener);
}

export function homeChanged(deps: Deps): void {
  listeners.get(deps)?.();
}

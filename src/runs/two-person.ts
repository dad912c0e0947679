import type { ChecklistDef } from '../checklists';
import type { RunState } from './store';

/**
 * The two-person rule of the DR tests: an item with `differentSignerFrom` (the verification) may
 * not be signed by whoever signed the item it names (the restore), nor the other way round. Only
 * Done counts as signing here: marking a Problem is always allowed, anyone may raise one.
 * Returns the sentence to show, or null.
 */
export function twoPersonRefusal(state: RunState, itemId: string, userId: string, status: string): string | null {
  if (status !== 'done') return null;
  const def = state.run.definition as ChecklistDef;
  const items = def.sections.flatMap((s) => s.items);
  const title = (id: string) => items.find((i) => i.id === id)?.title ?? id;
  const signedBy = (id: string) => state.items.find((i) => i.itemId === id && i.status === 'done')?.signedBy;
  const self = items.find((i) => i.id === itemId);
  const pairs = [...(self?.differentSignerFrom ? [self.differentSignerFrom] : []), ...items.filter((i) => i.differentSignerFrom === itemId).map((i) => i.id)];
  for (const other of pairs) {
    if (signedBy(other) === userId) return `You signed “${title(other)}”: “${title(itemId)}” must be signed by someone else (two-person rule).`;
  }
  return null;
}

/** Every action_id, block_id and callback_id the bot uses; commands/ routes on these. */
export const ActionIds = {
  itemDone: 'item_done',
  itemProblem: 'item_problem',
  itemNa: 'item_na',
  itemFigures: 'item_figures',
} as const;

export const CallbackIds = {
  problemNote: 'item_problem_note',
  figures: 'item_figures_entry',
} as const;

export const BlockIds = {
  item: (itemId: string) => `item:${itemId}`,
  itemActions: (itemId: string) => `item_actions:${itemId}`,
  noteInput: 'note',
} as const;

export const InputActionIds = {
  note: 'note_text',
} as const;

/** Button value that identifies a checklist item: `<runId>|<itemId>`. */
export function itemRef(runId: number, itemId: string): string {
  return `${runId}|${itemId}`;
}

export function parseItemRef(value: unknown): { runId: number; itemId: string } | null {
  if (typeof value !== 'string') return null;
  const m = /^(\d{1,15})\|([a-z0-9][a-z0-9-]{0,63})$/.exec(value);
  if (!m) return null;
  return { runId: Number(m[1]), itemId: m[2]! };
}

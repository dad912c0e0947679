/** Every action_id, block_id and callback_id the bot uses; commands/ routes on these. */
export const ActionIds = {
  itemDone: 'item_done',
  itemProblem: 'item_problem',
  itemNa: 'item_na',
  itemFigures: 'item_figures',
  itemDrRecord: 'item_dr_record',
} as const;

export const CallbackIds = {
  problemNote: 'item_problem_note',
  figures: 'item_figures_entry',
  drRecord: 'item_dr_record_entry',
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

/** Incidents. Button values are `<incidentId>|<level>` so a stale click can be told apart. */
export const IncidentIds = {
  ack: 'incident_ack',
  resolve: 'incident_resolve',
  escalate: 'incident_escalate',
  lead: 'incident_lead',
  resolveModal: 'incident_resolve_note',
  resolveNoteBlock: 'incident_resolution_note',
  resolveNoteInput: 'incident_resolution_note_value',
  declareModal: 'incident_declare',
  /** The message shortcut "Declare an incident" (manifest.yml `shortcuts`). */
  declareShortcut: 'incident_declare_from_message',
  severityBlock: 'incident_severity',
  severityInput: 'incident_severity_value',
  summaryBlock: 'incident_summary',
  summaryInput: 'incident_summary_value',
  systemBlock: 'incident_system',
  systemInput: 'incident_system_value',
  actionsBlock: (id: number) => `incident_actions:${id}`,
} as const;

export function incidentRef(id: number, level: number): string {
  return `${id}|${level}`;
}

export function parseIncidentRef(value: unknown): { id: number; level: number } | null {
  if (typeof value !== 'string') return null;
  const m = /^(\d{1,15})\|(\d{1,3})$/.exec(value);
  return m ? { id: Number(m[1]), level: Number(m[2]) } : null;
}

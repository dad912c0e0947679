/**
 * The maintenance guide's checklists as typed, validated data.
 *
 * Mapping from the guide: a checklist is one calendar entry; a section is one
 * of its numbered headings; an item is one thing a person signs off (a heading
 * with a single ☐ list, or each sub-heading such as "Monitor Agent:"), its
 * `checks` are the guide's ☐ lines, and its `figures` are the guide's blanks
 * ("CPL: $____"). The morning checklist is the exception: its seven numbered
 * checks are seven items of one section, matching the guide's daily summary.
 * Targets quoted on figures come from the same heading, or from the guide's
 * SUCCESS METRICS where the heading asks for a figure without one.
 */
export type { ChecklistDef, ComparePeriod, FigureDef, ItemDef, Probe, RoleId, SectionDef, Severity, Unit, ChannelKey } from './types';
export { CHANNEL_KEYS, ROLE_IDS } from './types';
export { checklistDefSchema, checklistSetSchema, cronSchema, figureDefSchema, idSchema, itemDefSchema, sectionDefSchema } from './schema';
export { checklistItemCount, checklistItemDefs, findChecklist, findItemDef } from './find';
export * from './defaults/index';

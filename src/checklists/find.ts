import type { ChecklistDef, ItemDef } from './types';

/** The checklist whose id or alias is `nameOrAlias` (case-insensitive, trimmed); ids win over aliases. */
export function findChecklist(defs: readonly ChecklistDef[], nameOrAlias: string): ChecklistDef | undefined {
  const wanted = nameOrAlias.trim().toLowerCase();
  if (wanted === '') return undefined;
  return defs.find((d) => d.id.toLowerCase() === wanted) ?? defs.find((d) => d.aliases.some((a) => a.toLowerCase() === wanted));
}

/** Number of sign-off items across all sections. */
export function checklistItemCount(def: ChecklistDef): number {
  return def.sections.reduce((sum, section) => sum + section.items.length, 0);
}

/** Every sign-off item of a checklist, in section order. */
export function checklistItemDefs(def: ChecklistDef): ItemDef[] {
  return def.sections.flatMap((s) => s.items);
}

/** The item `itemId` of a checklist, or undefined when the checklist has none by that id. */
export function findItemDef(def: ChecklistDef, itemId: string): ItemDef | undefined {
  return checklistItemDefs(def).find((i) => i.id === itemId);
}

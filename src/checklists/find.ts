import type { ChecklistDef } from './types';

/** The checklist whose id or alias is `nameOrAlias` (case-insensitive, trimmed); ids win over aliases. */
export function findChecklist(defs: readonly ChecklistDef[], nameOrAlias: string): ChecklistDef | undefined {
  const wanted = nameOrAlias.trim().toLowerCase();
  if (wanted === '') return undefined;
  return (
    defs.find((d) => d.id.toLowerCase() === wanted) ??
    defs.find((d) => d.aliases.some((a) => a.toLowerCase() === wanted))
  );
}

/** Number of sign-off items across all sections. */
export function checklistItemCount(def: ChecklistDef): number {
  return def.sections.reduce((sum, section) => sum + section.items.length, 0);
}

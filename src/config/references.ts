import type { z } from 'zod';
import { rotationProblems, type RotationConfig } from '../oncall/rotation';

/**
 * Cross-references of the ops config that a schema alone cannot see: every role a right, an
 * escalation level, a checklist or a reminder names must be a key of `roles`, and every level a
 * right names must be in the chain. A typo (`tech-leed`) stops start-up naming its path instead
 * of quietly refusing the Technical Lead later. Also the warnings logged at start.
 */

type RoleList = 'everyone' | readonly string[];

/** The parts of the parsed config these checks read (structural, to avoid a type cycle with the schema). */
export interface ReferencedConfig {
  roles: Record<string, { name: string; members: string[]; groups: string[]; rotation?: RotationConfig | undefined }>;
  checklists: readonly {
    ownerRole: string;
    coOwnerRoles?: string[] | undefined;
    sections: readonly { items: readonly { restrictedTo?: string[] | undefined }[] }[];
  }[];
  reminders: { escalateTo: Record<string, string> };
  rights: Record<string, RoleList>;
  incidents: {
    chain: readonly { id: string; role: string }[];
    severities: Record<string, { startLevel: string; alsoPage: string[]; smsLevels: string[]; escalate: boolean }>;
    rights: {
      acknowledge: Record<string, string[]>;
      resolve: string[];
      declare: RoleList;
      note: RoleList;
      escalate: 'chain' | RoleList;
      lead: RoleList;
      severity: 'chain' | RoleList;
      update: RoleList;
      followup: RoleList;
      review: RoleList;
      followups: RoleList;
    };
  };
}

type Path = (string | number)[];

export function checkReferences(cfg: ReferencedConfig, ctx: z.RefinementCtx): void {
  const known = Object.keys(cfg.roles);
  const role = (r: string, path: Path) => {
    if (!(r in cfg.roles)) ctx.addIssue({ code: 'custom', path, message: `unknown role "${r}" (roles: ${known.join(', ')})` });
  };
  const list = (l: RoleList | 'chain', path: Path) => {
    if (Array.isArray(l)) l.forEach((r, i) => role(r, [...path, i]));
  };
  const levels = cfg.incidents.chain.map((l) => l.id);
  for (const [level, roles] of Object.entries(cfg.incidents.rights.acknowledge)) {
    if (!levels.includes(level))
      ctx.addIssue({
        code: 'custom',
        path: ['incidents', 'rights', 'acknowledge', level],
        message: `unknown escalation level "${level}" (chain: ${levels.join(', ')})`,
      });
    roles.forEach((r, i) => role(r, ['incidents', 'rights', 'acknowledge', level, i]));
  }
  cfg.incidents.rights.resolve.forEach((r, i) => role(r, ['incidents', 'rights', 'resolve', i]));
  for (const key of ['declare', 'note', 'escalate', 'lead', 'severity', 'update', 'followup', 'review', 'followups'] as const)
    list(cfg.incidents.rights[key], ['incidents', 'rights', key]);
  for (const [key, l] of Object.entries(cfg.rights)) list(l, ['rights', key]);
  cfg.checklists.forEach((c, i) => {
    c.coOwnerRoles?.forEach((r, j) => role(r, ['checklists', i, 'coOwnerRoles', j]));
    c.sections.forEach((s, j) =>
      s.items.forEach((item, k) => item.restrictedTo?.forEach((r, m) => role(r, ['checklists', i, 'sections', j, 'items', k, 'restrictedTo', m]))),
    );
  });
  for (const [from, to] of Object.entries(cfg.reminders.escalateTo)) {
    role(from, ['reminders', 'escalateTo', from]);
    role(to, ['reminders', 'escalateTo', from]);
  }
  for (const [key, r] of Object.entries(cfg.roles)) {
    if (!r.rotation) continue;
    for (const p of rotationProblems(r.rotation, r.members)) ctx.addIssue({ code: 'custom', path: ['roles', key, 'rotation', ...p.path], message: p.message });
  }
}

/** Indexes of the chain levels that page for some severity: where it starts and all it can climb to, also-paged and SMS levels. */
export function pagingLevels(cfg: Pick<ReferencedConfig, 'incidents'>): Set<number> {
  const { chain, severities } = cfg.incidents;
  const idx = (id: string) => chain.findIndex((l) => l.id === id);
  const out = new Set<number>();
  for (const s of Object.values(severities)) {
    if (!s.escalate) continue;
    for (let i = Math.max(0, idx(s.startLevel)); i < chain.length; i += 1) out.add(i);
    for (const id of [...s.alsoPage, ...s.smsLevels]) if (idx(id) >= 0) out.add(idx(id));
  }
  return out;
}

/** What a valid config still gets wrong in practice; main.ts logs each line at start. */
export function opsConfigWarnings(cfg: ReferencedConfig): string[] {
  const out: string[] = [];
  const { chain } = cfg.incidents;
  for (const i of [...pagingLevels(cfg)].sort((a, b) => a - b)) {
    const level = chain[i]!;
    const r = cfg.roles[level.role];
    if (r && r.members.length === 0 && r.groups.length === 0) {
      out.push(
        `incidents.chain.${i} (level "${level.id}"): role "${level.role}" has no members and no groups, so pages at this level reach nobody; add them under roles.${level.role}`,
      );
    }
  }
  for (const l of chain) {
    if (!(l.id in cfg.incidents.rights.acknowledge))
      out.push(`incidents.rights.acknowledge has no entry for level "${l.id}": only people paged may acknowledge there`);
  }
  for (const [id, r] of Object.entries(cfg.roles)) {
    if (r.rotation && !chain.some((l) => l.role === id))
      out.push(
        `roles.${id}.rotation: role "${id}" is no escalation level (incidents.chain), so its rotation pages nobody; /ops oncall cover still records cover for it`,
      );
    if (r.members.length === 0 && r.groups.length > 0)
      out.push(`roles.${id}: only groups, no members; group members are paged but rights are granted to listed members only`);
  }
  return out;
}

type Def = {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
  in?: z.ZodType;
};
const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** The keys an object schema knows at `path` (through defaults, arrays, records and unions). */
export function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  const def = defOf(schema);
  if (['default', 'prefault', 'optional', 'nullable'].includes(def.type)) return knownKeysAt(def.innerType!, path);
  if (def.type === 'pipe') return knownKeysAt(def.in!, path);
  if (def.type === 'union') return def.options!.flatMap((o) => knownKeysAt(o, path));
  if (path.length === 0) return def.type === 'object' ? Object.keys(def.shape!) : [];
  const [head, ...rest] = path;
  if (def.type === 'object') return def.shape![String(head)] ? knownKeysAt(def.shape![String(head)]!, rest) : [];
  if (def.type === 'array') return knownKeysAt(def.element!, rest);
  if (def.type === 'record') return knownKeysAt(def.valueType!, rest);
  return [];
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

/** `member` → ` (did you mean "members"?)`; nothing when no known key is close. */
function suggestion(key: string, known: readonly string[]): string {
  const best = known.map((k) => ({ k, d: distance(key, k) })).sort((a, b) => a.d - b.d)[0];
  return best && best.d <= Math.max(1, Math.floor(key.length / 3)) ? ` (did you mean "${best.k}"?)` : '';
}

/** Issue lines with their dotted path; an unknown key is named at its own path (`roles.tech-lead.member`). */
export function formatConfigIssues(issues: readonly z.core.$ZodIssue[], schema?: z.ZodType): string {
  const lines: string[] = [];
  for (const i of issues) {
    const at = i.path.map(String);
    if (i.code === 'unrecognized_keys') {
      const known = schema ? knownKeysAt(schema, i.path) : [];
      for (const k of i.keys) lines.push(`  ${[...at, k].join('.')}: unknown key${suggestion(k, known)}`);
    } else {
      lines.push(`  ${at.join('.') || '(root)'}: ${i.message}`);
    }
  }
  return lines.join('\n');
}

import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { checklistDefSchema, defaultChecklists, type ChecklistDef } from '../checklists';
import { ConfigError, formatIssues } from './env';
import { incidentsConfigSchema } from '../incidents/config';

const roleSchema = z.object({
  name: z.string().min(1),
  /** Slack user ids (U…) of the people holding the role. */
  members: z.array(z.string()).default([]),
  /** Slack user group ids (S…) paged for the role. */
  groups: z.array(z.string()).default([]),
});

const timezone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'is not an IANA time zone name');

export const opsConfigSchema = z
  .object({
    /** IANA name of the business time zone every schedule is evaluated in. */
    timezone: timezone.default('America/New_York'),
    /** Channel keys used by checklists and features → Slack channel id or name. */
    channels: z.record(z.string(), z.string().min(1)).default({
      ops: 'ops',
      incidents: 'incidents',
      leadership: 'leadership',
      security: 'ops',
    }),
    roles: z.record(z.string(), roleSchema).default({
      'ops-team': { name: 'Operations team', members: [], groups: [] },
      'ops-manager': { name: 'Operations Manager', members: [], groups: [] },
      'tech-lead': { name: 'Technical Lead', members: [], groups: [] },
      cto: { name: 'CTO', members: [], groups: [] },
      ceo: { name: 'CEO', members: [], groups: [] },
      'product-manager': { name: 'Product Manager', members: [], groups: [] },
    }),
    checklists: z.array(checklistDefSchema).default(defaultChecklists),
    /** Incidents and escalation (the guide's ESCALATION PROCEDURES); see src/incidents/config.ts. */
    incidents: incidentsConfigSchema.prefault({}),
  })
  .strict()
  .superRefine((cfg, ctx) => {
    const seen = new Set<string>();
    cfg.checklists.forEach((c, i) => {
      if (seen.has(c.id)) ctx.addIssue({ code: 'custom', path: ['checklists', i, 'id'], message: `duplicate checklist id "${c.id}"` });
      seen.add(c.id);
      if (!(c.channel in cfg.channels)) {
        ctx.addIssue({ code: 'custom', path: ['checklists', i, 'channel'], message: `unknown channel key "${c.channel}" (known: ${Object.keys(cfg.channels).join(', ')})` });
      }
      if (!(c.ownerRole in cfg.roles)) {
        ctx.addIssue({ code: 'custom', path: ['checklists', i, 'ownerRole'], message: `unknown role "${c.ownerRole}"` });
      }
    });
    cfg.incidents.chain.forEach((l, i) => {
      if (!(l.role in cfg.roles)) ctx.addIssue({ code: 'custom', path: ['incidents', 'chain', i, 'role'], message: `unknown role "${l.role}"` });
    });
    if (!(cfg.incidents.channel in cfg.channels)) {
      ctx.addIssue({ code: 'custom', path: ['incidents', 'channel'], message: `unknown channel key "${cfg.incidents.channel}"` });
    }
  });

export type OpsConfig = z.infer<typeof opsConfigSchema>;

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Objects merge key by key; arrays and scalars from the override replace the default. */
function deepMerge(base: unknown, override: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(override)) return override;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(override)) out[k] = k in base ? deepMerge(base[k], v) : v;
  return out;
}

/**
 * `checklists` in an override file may be a full array (replaces the defaults) or an object keyed
 * by checklist id that patches the built-in checklists (`{ morning: { channel: 'ops-am' } }`);
 * `null` removes one.
 */
function mergeChecklists(defaults: ChecklistDef[], override: unknown): unknown {
  if (!isPlainObject(override)) return override;
  const byId = new Map<string, unknown>(defaults.map((d) => [d.id, d]));
  for (const [id, patch] of Object.entries(override)) {
    if (patch === null) byId.delete(id);
    else byId.set(id, byId.has(id) ? deepMerge(byId.get(id), patch) : { id, ...(patch as object) });
  }
  return [...byId.values()];
}

/** Builds the ops config from the built-in defaults and an optional override object. */
export function buildOpsConfig(override: unknown = {}, source = 'config'): OpsConfig {
  if (!isPlainObject(override)) throw new ConfigError(`${source}: must be an object at the top level`);
  const defaults = opsConfigSchema.parse({});
  const { checklists, ...rest } = override;
  const merged = deepMerge(defaults, rest) as Record<string, unknown>;
  if (checklists !== undefined) merged.checklists = mergeChecklists(defaults.checklists, checklists);
  const parsed = opsConfigSchema.safeParse(merged);
  if (!parsed.success) throw new ConfigError(`Invalid ops configuration in ${source}:\n${formatIssues(parsed.error.issues)}`);
  return parsed.data;
}

/** Reads OPS_CONFIG (YAML or JSON) when given; the guide's defaults otherwise. */
export function loadOpsConfig(path: string | undefined): OpsConfig {
  if (!path) return buildOpsConfig({}, 'built-in defaults');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`OPS_CONFIG: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  let data: unknown;
  try {
    data = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new ConfigError(`OPS_CONFIG: ${path} is not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${(err as Error).message}`);
  }
  return buildOpsConfig(data ?? {}, path);
}

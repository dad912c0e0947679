import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { probeSettingsSchema } from '../probes/settings';
import { checklistDefSchema, cronSchema, defaultChecklists, type ChecklistDef } from '../checklists';
import { ConfigError } from './env';
import { incidentsConfigSchema, roleList } from './incidents';
import { checkReferences, formatConfigIssues } from './references';
import { scorecardConfigSchema } from '../scorecard/config';
import { disasterRecoverySchema } from '../dr/config';
import { changesConfigSchema } from '../changes/runbooks';
import { rotationSchema } from '../oncall/rotation';
import { DEFAULT_DR_TARGETS, drTestsSchema } from '../dr/tests-config';

const roleSchema = z
  .object({
    name: z.string().min(1),
    /** Slack user ids (U…) of the people holding the role. */
    members: z.array(z.string()).default([]),
    /** Slack user group ids (S…) paged for the role. */
    groups: z.array(z.string()).default([]),
    /** A weekly on-call rotation: escalation pages its current holder only (src/oncall/rotation.ts, README "On call"). */
    rotation: rotationSchema.optional(),
  })
  .strict();

const timezone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'is not an IANA time zone name');

/** The Friday summary for leadership. */
const summarySchema = z
  .object({
    /** Channel key (see `channels`) the summary is posted to. */
    channel: z.string().min(1).default('leadership'),
    /** When the weekly summary is posted, 5-field cron in the business time zone. */
    schedule: cronSchema.default('0 16 * * 5'),
    /** Upper bound of the facts JSON sent to the LLM; longer facts are summarised first. */
    maxFactsChars: z.number().int().min(2000).max(100_000).default(12_000),
    llm: z
      .object({
        timeoutMs: z.number().int().min(100).max(120_000).default(20_000),
        /** Cap on the model's answer. */
        maxOutputTokens: z.number().int().min(200).max(4000).default(1200),
      })
      .strict()
      .default({ timeoutMs: 20_000, maxOutputTokens: 1200 }),
  })
  .strict();

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
    /** Second reminder of an overdue checklist also mentions this role of the owner's (the escalation path). */
    reminders: z
      .object({
        escalateTo: z
          .record(z.string(), z.string())
          .default({ 'ops-manager': 'tech-lead', 'tech-lead': 'cto', cto: 'ceo', ceo: 'ceo', 'product-manager': 'ops-manager' }),
      })
      .strict()
      .prefault({}),
    /** Probe thresholds and timeouts; the guide's values by default. */
    probes: probeSettingsSchema.prefault({}),
    summary: summarySchema.default({ channel: 'leadership', schedule: '0 16 * * 5', maxFactsChars: 12_000, llm: { timeoutMs: 20_000, maxOutputTokens: 1200 } }),
    /** Incidents and escalation (the guide's ESCALATION PROCEDURES); see src/config/incidents.ts. */
    incidents: incidentsConfigSchema.prefault({}),
    /** The success-metrics scorecard: the guide's targets and where values come from; see src/scorecard/config.ts. */
    scorecard: scorecardConfigSchema.prefault({}),
    /** The guide's disaster-recovery procedure on a P0 "system down"; see src/dr/config.ts. */
    disasterRecovery: disasterRecoverySchema.prefault({}),
    /** Change runbooks (the guide's UPDATE PROCEDURES); see src/changes/runbooks.ts. */
    changes: changesConfigSchema.prefault({}),
    /** The monthly and quarterly DR tests' targets (RTO, RPO) and the severity of a miss; see src/dr/tests-config.ts. */
    drTests: drTestsSchema.prefault({}),
    /** Who may run the checklist and ops actions; incident actions are under `incidents.rights`. README "Rights". */
    rights: z
      .object({
        /** Sign an item Done / Problem / N/A; an item's own `restrictedTo` replaces this. */
        sign: roleList.default('everyone'),
        /** Enter figures; an item's own `restrictedTo` replaces this. */
        figures: roleList.default('everyone'),
        /** `/ops probe …` */
        probe: roleList.default('everyone'),
        /** `/ops summary …` (the scheduled Friday summary is the bot's own). */
        summary: roleList.default('everyone'),
        /** `/ops <checklist>`: post a checklist on demand. */
        checklist: roleList.default('everyone'),
        /** `/ops audit …`: the audit log as CSV (names who did what: not for everyone). */
        audit: roleList.default(['ops-manager', 'tech-lead', 'cto', 'ceo']),
        /** `/ops scorecard`: read the success-metrics scorecard. */
        scorecard: roleList.default('everyone'),
        /** `/ops improve add` and the ranking (`/ops improve`). */
        improve: roleList.default('everyone'),
        /** `/ops improve commit | done | review`: the monthly improvement review's decisions. */
        improveCommit: roleList.default(['ops-manager', 'tech-lead', 'cto', 'ceo']),
        /** `/ops change <kind> <what>`: record a change and post its runbook (`/ops changes` lists them: everyone). */
        change: roleList.default(['tech-lead', 'cto', 'ceo', 'product-manager', 'ops-manager']),
        /** `/ops oncall cover <role> …`: set or clear who covers a role; the role's own members always may. */
        oncallCover: roleList.default(['ops-manager', 'tech-lead', 'cto', 'ceo']),
        /** "Record DR test" on a DR test's restore item (an item's own `restrictedTo` replaces this). */
        drRecord: roleList.default(['ops-team', 'ops-manager', 'tech-lead', 'cto']),
        /** Signing a DR test's verification item (replaces `sign` there): vouching for someone else's restore. */
        drVerify: roleList.default(['ops-team', 'ops-manager', 'tech-lead', 'cto']),
        /** `/ops dr`: the DR test history. */
        drHistory: roleList.default('everyone'),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .superRefine((cfg, ctx) => {
    checkReferences(cfg, ctx);
    if (!(cfg.summary.channel in cfg.channels)) {
      ctx.addIssue({
        code: 'custom',
        path: ['summary', 'channel'],
        message: `unknown channel key "${cfg.summary.channel}" (known: ${Object.keys(cfg.channels).join(', ')})`,
      });
    }
    const seen = new Set<string>();
    cfg.checklists.forEach((c, i) => {
      if (seen.has(c.id)) ctx.addIssue({ code: 'custom', path: ['checklists', i, 'id'], message: `duplicate checklist id "${c.id}"` });
      seen.add(c.id);
      if (!(c.channel in cfg.channels)) {
        ctx.addIssue({
          code: 'custom',
          path: ['checklists', i, 'channel'],
          message: `unknown channel key "${c.channel}" (known: ${Object.keys(cfg.channels).join(', ')})`,
        });
      }
      if (!(c.ownerRole in cfg.roles)) {
        ctx.addIssue({ code: 'custom', path: ['checklists', i, 'ownerRole'], message: `unknown role "${c.ownerRole}"` });
      }
    });
    cfg.incidents.chain.forEach((l, i) => {
      if (!(l.role in cfg.roles)) ctx.addIssue({ code: 'custom', path: ['incidents', 'chain', i, 'role'], message: `unknown role "${l.role}"` });
    });
    if (!(cfg.changes.channel in cfg.channels)) {
      ctx.addIssue({
        code: 'custom',
        path: ['changes', 'channel'],
        message: `unknown channel key "${cfg.changes.channel}" (known: ${Object.keys(cfg.channels).join(', ')})`,
      });
    }
    if (!(cfg.disasterRecovery.stakeholderChannel in cfg.channels)) {
      ctx.addIssue({
        code: 'custom',
        path: ['disasterRecovery', 'stakeholderChannel'],
        message: `unknown channel key "${cfg.disasterRecovery.stakeholderChannel}" (known: ${Object.keys(cfg.channels).join(', ')})`,
      });
    }
    if (!(cfg.incidents.channel in cfg.channels)) {
      ctx.addIssue({ code: 'custom', path: ['incidents', 'channel'], message: `unknown channel key "${cfg.incidents.channel}"` });
    }
    for (const id of Object.keys(cfg.drTests.targets)) {
      // The guide's own tests keep their default targets in a config that leaves them out.
      if (!seen.has(id) && !(id in DEFAULT_DR_TARGETS))
        ctx.addIssue({ code: 'custom', path: ['drTests', 'targets', id], message: `unknown checklist id "${id}"` });
    }
  });

export type OpsConfig = z.infer<typeof opsConfigSchema>;

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

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

/**
 * The built-in acknowledge rights are keyed by the built-in levels; a file with its own chain
 * would otherwise inherit entries for levels it does not have and fail as "unknown level". Only
 * the defaults are dropped: a level the file itself names must exist.
 */
function dropDefaultAckLevels(merged: Record<string, unknown>, override: Record<string, unknown>): void {
  const inc = merged.incidents;
  if (!isPlainObject(inc) || !Array.isArray(inc.chain) || !isPlainObject(inc.rights) || !isPlainObject(inc.rights.acknowledge)) return;
  const ids = new Set(inc.chain.map((l) => (isPlainObject(l) ? l.id : undefined)));
  const own =
    isPlainObject(override.incidents) && isPlainObject(override.incidents.rights) && isPlainObject(override.incidents.rights.acknowledge)
      ? override.incidents.rights.acknowledge
      : {};
  const ack = { ...inc.rights.acknowledge };
  for (const level of Object.keys(ack)) if (!ids.has(level) && !(level in own)) delete ack[level];
  inc.rights = { ...inc.rights, acknowledge: ack };
}

/** Builds the ops config from the built-in defaults and an optional override object. */
export function buildOpsConfig(override: unknown = {}, source = 'config'): OpsConfig {
  if (!isPlainObject(override)) throw new ConfigError(`${source}: must be an object at the top level`);
  const defaults = opsConfigSchema.parse({});
  const { checklists, ...rest } = override;
  const merged = deepMerge(defaults, rest) as Record<string, unknown>;
  // Backups are due at local times of the business time zone unless the file says otherwise.
  const probesOverride = isPlainObject(rest.probes) ? rest.probes : {};
  const backupsOverride = isPlainObject(probesOverride.backups) ? probesOverride.backups : {};
  if (!('timezone' in backupsOverride) && typeof merged.timezone === 'string') {
    const probes = merged.probes as { backups: Record<string, unknown> };
    probes.backups = { ...probes.backups, timezone: merged.timezone };
  }
  if (checklists !== undefined) merged.checklists = mergeChecklists(defaults.checklists, checklists);
  dropDefaultAckLevels(merged, rest);
  const parsed = opsConfigSchema.safeParse(merged);
  if (!parsed.success) throw new ConfigError(`Invalid ops configuration in ${source}:\n${formatConfigIssues(parsed.error.issues, opsConfigSchema)}`);
  return parsed.data;
}

/** OPS_CONFIG is read whole into memory: a path to a device or a huge file must not hang start-up. */
export const OPS_CONFIG_MAX_BYTES = 1024 * 1024;

/** Reads at most the cap + 1 bytes of a regular file; anything else is a ConfigError naming OPS_CONFIG. */
export function readConfigFile(path: string, maxBytes = OPS_CONFIG_MAX_BYTES): string {
  let fd: number;
  try {
    // Non-blocking: opening a FIFO with no writer would otherwise wait for ever.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw new ConfigError(`OPS_CONFIG: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  try {
    if (!fstatSync(fd).isFile()) throw new ConfigError(`OPS_CONFIG: ${path} is not a regular file`);
    const buf = Buffer.alloc(maxBytes + 1);
    let size = 0;
    for (;;) {
      const n = readSync(fd, buf, size, buf.length - size, null);
      if (n === 0) break;
      size += n;
      if (size > maxBytes) throw new ConfigError(`OPS_CONFIG: ${path} is larger than ${maxBytes} bytes (1 MiB); a config file is a few kilobytes`);
    }
    return buf.toString('utf8', 0, size);
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(`OPS_CONFIG: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  } finally {
    closeSync(fd);
  }
}

/** Reads OPS_CONFIG (YAML or JSON) when given; the guide's defaults otherwise. */
export function loadOpsConfig(path: string | undefined): OpsConfig {
  if (!path) return buildOpsConfig({}, 'built-in defaults');
  const text = readConfigFile(path);
  let data: unknown;
  try {
    data = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new ConfigError(`OPS_CONFIG: ${path} is not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${(err as Error).message}`);
  }
  return buildOpsConfig(data ?? {}, path);
}

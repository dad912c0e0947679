import { z } from 'zod';

export const SEVERITIES = ['p0', 'p1', 'p2', 'p3'] as const;
export type Severity = (typeof SEVERITIES)[number];

const minutes = z.number().int().positive();
const levelId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/)
  .max(40);

const severitySchema = z
  .object({
    name: z.string().min(1).max(40),
    /** Time to acknowledge (the guide's "Response"). */
    responseMinutes: minutes,
    /** Time to resolve; null is "next release" (no deadline). */
    resolutionMinutes: minutes.nullable(),
    /** Level paged first (an id of `chain`). */
    startLevel: levelId,
    /** Further levels paged at once ("Escalate to: CTO immediately"). */
    alsoPage: z.array(levelId).default([]),
    /** False: notify the incidents channel only, never page or climb the chain. */
    escalate: z.boolean(),
    /** Time an unacknowledged incident waits at a level before the next; default the response SLA. */
    stepMinutes: minutes.optional(),
    /** Levels whose people are also paged by SMS for this severity. */
    smsLevels: z.array(levelId).default([]),
    /** The guide's wording ("CTO immediately"), for the reader of the config; the announcement shows what the chain pages (policy.ts `describeEscalation`). */
    escalateTo: z.string().max(80),
  })
  .strict();

/** Defaults from the guide's ESCALATION PROCEDURES. */
export const defaultSeverities: Record<Severity, z.input<typeof severitySchema>> = {
  p0: {
    name: 'Critical',
    responseMinutes: 15,
    resolutionMinutes: 60,
    startLevel: 'ops-team',
    alsoPage: ['cto'],
    escalate: true,
    smsLevels: ['cto', 'ceo'],
    escalateTo: 'CTO immediately',
  },
  p1: { name: 'High', responseMinutes: 120, resolutionMinutes: 24 * 60, startLevel: 'tech-lead', escalate: true, escalateTo: 'Technical Lead' },
  p2: { name: 'Medium', responseMinutes: 24 * 60, resolutionMinutes: 7 * 24 * 60, startLevel: 'ops-team', escalate: false, escalateTo: 'Operations Manager' },
  p3: { name: 'Low', responseMinutes: 48 * 60, resolutionMinutes: null, startLevel: 'ops-team', escalate: false, escalateTo: 'Product Manager' },
};

const LEVELS = ['ops-team', 'tech-lead', 'cto', 'ceo'];

/** A right in the config: `everyone`, or a non-empty list of role ids (keys of `roles`). */
export const roleList = z.union([z.literal('everyone'), z.array(z.string().min(1)).min(1, 'name at least one role, or write `everyone`')]);

export const incidentsConfigSchema = z
  .object({
    /** Channel key (of `channels`) where incidents are announced. */
    channel: z.string().default('incidents'),
    severities: z
      .object({
        p0: severitySchema.prefault(defaultSeverities.p0),
        p1: severitySchema.prefault(defaultSeverities.p1),
        p2: severitySchema.prefault(defaultSeverities.p2),
        p3: severitySchema.prefault(defaultSeverities.p3),
      })
      .strict()
      .prefault({}),
    /** The escalation path, lowest first; each level pages the members and groups of a role. */
    chain: z
      .array(z.object({ id: levelId, role: z.string().min(1) }).strict())
      .min(1)
      .default(LEVELS.map((id) => ({ id, role: id }))),
    /** P0/P1 get their own `inc-<id>-<slug>` channel (≤ 40 characters). */
    dedicatedChannel: z.boolean().default(true),
    /** Severities that get a dedicated channel (when `dedicatedChannel`). */
    dedicatedChannelFor: z.array(z.enum(SEVERITIES)).default(['p0', 'p1']),
    sweepEverySeconds: z.number().int().min(1).max(300).default(5),
    /** Slack user id → E.164 phone number for SMS pages. */
    phones: z.record(z.string(), z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 number like +15551234567')).default({}),
    /** A page whose Slack delivery failed this many times also goes out by SMS. */
    smsAfterFailedAttempts: z.number().int().min(1).default(3),
    /** Who may act on incidents; README "Rights" has the table. Role ids are checked against `roles` at start. */
    rights: z
      .object({
        /** Roles that may declare (`/incident p1 …`, the modal); `everyone` by default. */
        declare: roleList.default('everyone'),
        /** Level id → roles that may acknowledge while the incident is at that level. */
        acknowledge: z.record(z.string(), z.array(z.string())).default({
          'ops-team': ['ops-team', 'ops-manager', 'tech-lead', 'cto', 'ceo'],
          'tech-lead': ['tech-lead', 'cto', 'ceo'],
          cto: ['cto', 'ceo'],
          ceo: ['ceo', 'cto'],
        }),
        /** Roles that may resolve. */
        resolve: z.array(z.string()).default(['ops-team', 'ops-manager', 'tech-lead', 'cto', 'ceo']),
        /** People paged for an incident may acknowledge it whatever their role. */
        pagedMayAcknowledge: z.boolean().default(true),
        /** Escalate now: `chain` (default) is the roles of the incident's chain from the level it started at, up. */
        escalate: z.union([z.literal('chain'), roleList]).default('chain'),
        /** Roles that may add a note to an incident's timeline; `everyone` by default. */
        note: roleList.default('everyone'),
        /** Roles that may take or assign an incident's lead (`/incident lead`, I'll lead); the responders by default. */
        lead: roleList.default(['ops-team', 'ops-manager', 'tech-lead', 'cto', 'ceo']),
        /** Changing severity re-pages: `chain` (default), the roles of the incident's chain from where it started, up, like escalate. */
        severity: z.union([z.literal('chain'), roleList]).default('chain'),
        /** Roles that may add follow-ups (`/incident followup`); the responders by default. */
        followup: roleList.default(['ops-team', 'ops-manager', 'tech-lead', 'cto', 'ceo']),
        /** Roles that may read post-incident review drafts (`/incident review`); `everyone` by default, like `/incident show`. */
        review: roleList.default('everyone'),
        /** Roles that may list open follow-ups (`/incident followups`); `everyone` by default. */
        followups: roleList.default('everyone'),
        /** Roles that may post status updates (`/incident update`); the incident's lead always may. */
        update: roleList.default(['ops-team', 'ops-manager', 'tech-lead', 'cto', 'ceo']),
      })
      .strict()
      .prefault({}),
    /** An open incident of these severities with no status update for `updateReminderMinutes` reminds its lead (or its declarer) by DM. */
    updateReminderFor: z.array(z.enum(SEVERITIES)).default(['p0', 'p1']),
    updateReminderMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(30),
    /** Checklist item id → severity of the incident opened when it is signed Problem (or its probe fails). */
    onProblem: z.record(z.string(), z.enum(SEVERITIES)).default({ 'system-health': 'p0', 'payment-processing': 'p0', 'call-forwarding': 'p1' }),
  })
  .strict()
  .superRefine((c, ctx) => {
    const ids = new Set(c.chain.map((l) => l.id));
    for (const sev of SEVERITIES) {
      const s = c.severities[sev];
      for (const l of [s.startLevel, ...s.alsoPage, ...s.smsLevels]) {
        if (!ids.has(l))
          ctx.addIssue({ code: 'custom', path: ['severities', sev], message: `unknown escalation level "${l}" (chain: ${[...ids].join(', ')})` });
      }
    }
  });

export const SYSTEMS = [
  { id: 'calls', label: 'Calls / forwarding' },
  { id: 'payments', label: 'Payments' },
  { id: 'apps', label: 'Apps' },
  { id: 'ai-agents', label: 'AI agents' },
  { id: 'ads', label: 'Ads' },
  { id: 'infrastructure', label: 'Infrastructure' },
  { id: 'other', label: 'Other' },
] as const;
export type SystemId = (typeof SYSTEMS)[number]['id'];

const WORDS: Record<string, Severity> = { critical: 'p0', high: 'p1', medium: 'p2', low: 'p3', sev0: 'p0', sev1: 'p1', sev2: 'p2', sev3: 'p3' };

/** `p0`, `P1`, `critical`… → a severity, or null. */
export function parseSeverity(word: string): Severity | null {
  const w = word.toLowerCase();
  if ((SEVERITIES as readonly string[]).includes(w)) return w as Severity;
  return WORDS[w] ?? null;
}

// The maintenance guide's checklists as data. These shapes are a contract:
// the scheduler, the Slack renderer and OPS_CONFIG overrides all read them.

export type Unit = 'count' | 'money' | 'percent' | 'minutes' | 'rating' | 'ms' | 'seconds' | 'text';

export type ComparePeriod =
  | 'previous_day'
  | 'same_day_last_week'
  | 'previous_week'
  | 'same_week_last_month'
  | 'same_week_last_year'
  | 'previous_month'
  | 'same_month_last_year'
  | 'previous_quarter'
  | 'same_quarter_last_year';

/** A number (or short text) the person fills in, e.g. a blank "CPL: $____" in the guide. */
export interface FigureDef {
  id: string;
  label: string;
  unit: Unit;
  compareTo?: ComparePeriod[];
  target?: string;
}

export type Probe = 'health' | 'alarms' | 'errors' | 'backups' | 'payments' | 'forwarding' | 'agents';
export type Severity = 'p0' | 'p1' | 'p2' | 'p3';

/** One thing a person signs off; `checks` are the guide's ☐ lines under it. */
export interface ItemDef {
  id: string;
  title: string;
  checks: string[];
  target?: string;
  probe?: Probe;
  figures?: FigureDef[];
  /** Severity of the incident opened when the item is marked as a problem. */
  severityOnProblem?: Severity;
  /** Role ids allowed to sign; absent means anyone in the channel. */
  restrictedTo?: string[];
  /** Two-person rule: whoever signed this item (of the same checklist) may not sign this one. */
  differentSignerFrom?: string;
  /**
   * The restore of a DR test: signed through "Record DR test" (start, end, backup used, data lost,
   * evidence) instead of a bare Done; the item naming it in `differentSignerFrom` is the verification.
   */
  drRecord?: boolean;
}

/** A numbered heading of the guide; long checklists are grouped in sections. */
export interface SectionDef {
  id: string;
  title: string;
  items: ItemDef[];
}

export interface ChecklistDef {
  id: string;
  name: string;
  aliases: string[];
  /** 5-field cron, evaluated in the business time zone (see src/schedule). */
  schedule: string;
  durationMinutes: number;
  ownerRole: string;
  /** Further owners where the guide names several ("Operations Manager + Technical Lead"). */
  coOwnerRoles?: string[];
  /** Channel key, e.g. 'ops', resolved to a Slack channel by config. */
  channel: string;
  graceMinutes?: number;
  /** Decisions we made where the guide is silent or ambiguous, shown to operators. */
  notes?: string[];
  sections: SectionDef[];
}

export const ROLE_IDS = ['ops-manager', 'tech-lead', 'cto', 'ceo', 'product-manager'] as const;
export type RoleId = (typeof ROLE_IDS)[number];

export const CHANNEL_KEYS = ['ops', 'security', 'leadership'] as const;
export type ChannelKey = (typeof CHANNEL_KEYS)[number];

import type { OpsConfig } from '../config/ops-config';
import type { Severity } from '../config/incidents';

export interface PolicyLevel {
  id: string;
  role: string;
  name: string;
  /** Slack user ids paged at this level, as configured when the incident was declared. */
  members: string[];
  /** Slack user group ids (S…) paged at this level. */
  groups: string[];
  /** Who this level actually paged when its role had an on-call holder (src/oncall/holders.ts); absent: `members` and `groups`. */
  paged?: string[];
}

/** The escalation policy of one incident, frozen when it is declared. */
export interface Policy {
  severity: Severity;
  severityName: string;
  responseMs: number;
  /** Null: "next release", no resolution deadline. */
  resolutionMs: number | null;
  /** Wait at a level before climbing, while unacknowledged. */
  stepMs: number;
  escalate: boolean;
  chain: PolicyLevel[];
  /** Index into chain of the first level paged. */
  start: number;
  /** Indexes of the levels paged at once besides `start`. */
  alsoPage: number[];
  /** Indexes of the levels also paged by SMS. */
  smsLevels: number[];
  escalateTo: string;
}

const MIN = 60_000;

export function freezePolicy(config: Pick<OpsConfig, 'incidents' | 'roles'>, severity: Severity): Policy {
  const s = config.incidents.severities[severity];
  const chain = config.incidents.chain.map((l) => {
    const role = config.roles[l.role];
    return { id: l.id, role: l.role, name: role?.name ?? l.id, members: [...(role?.members ?? [])], groups: [...(role?.groups ?? [])] };
  });
  const idx = (id: string) =>
    Math.max(
      0,
      chain.findIndex((l) => l.id === id),
    );
  const start = idx(s.startLevel);
  return {
    severity,
    severityName: s.name,
    responseMs: s.responseMinutes * MIN,
    resolutionMs: s.resolutionMinutes === null ? null : s.resolutionMinutes * MIN,
    stepMs: (s.stepMinutes ?? s.responseMinutes) * MIN,
    escalate: s.escalate,
    chain,
    start,
    alsoPage: [...new Set(s.alsoPage.map(idx))].filter((i) => i !== start),
    smsLevels: s.smsLevels.map(idx),
    escalateTo: s.escalateTo,
  };
}

/** Levels paged so far: the start level up to the current one, plus those paged at once. */
export function pagedLevels(policy: Policy, level: number): number[] {
  const out = new Set<number>();
  for (let i = policy.start; i <= level; i += 1) out.add(i);
  for (const i of policy.alsoPage) out.add(i);
  return [...out].sort((a, b) => a - b);
}

/** User groups (`S…` ids) paged so far. */
export function pagedGroups(policy: Policy, level: number): string[] {
  const groups = (l: PolicyLevel | undefined) => (l?.paged ? [] : (l?.groups ?? []));
  return [...new Set(pagedLevels(policy, level).flatMap((i) => groups(policy.chain[i])))].filter((g) => /^S[A-Z0-9]{2,20}$/.test(g));
}

/** Everyone paged so far (user ids): a level's on-call holder when it had one, else its members. */
export function pagedPeople(policy: Policy, level: number): string[] {
  return [...new Set(pagedLevels(policy, level).flatMap((i) => policy.chain[i]?.paged ?? policy.chain[i]?.members ?? []))];
}

const levelLabel = (l: PolicyLevel) => (l.members.length || l.groups.length ? l.name : `${l.name} (nobody configured)`);

/**
 * What the announcement's "Escalates to" says: who this frozen policy pages at once and whom it
 * climbs to while nobody acknowledges, with the names of the levels as configured. The severity's
 * `escalateTo` wording in the config is the guide's and may disagree with the chain; this cannot.
 */
export function describeEscalation(policy: Policy): string {
  const names = (ixs: number[]) =>
    ixs
      .map((i) => policy.chain[i])
      .filter((l): l is PolicyLevel => !!l)
      .map(levelLabel);
  if (!policy.escalate) return 'Nobody is paged: the incidents channel only';
  const first = names([policy.start, ...policy.alsoPage].sort((a, b) => a - b)).join(' and ');
  const climb: number[] = [];
  for (let i = policy.start + 1; i < policy.chain.length; i += 1) climb.push(i);
  const sms = names(policy.smsLevels);
  const steps = climb.length ? `; unacknowledged, every ${Math.round(policy.stepMs / MIN)} min: ${names(climb).join(' → ')}` : '';
  return `${first} at once${steps}${sms.length ? ` (SMS: ${sms.join(', ')})` : ''}`;
}

import type { OpsConfig } from './config/ops-config';
import type { IncidentSnapshot } from './incidents/machine';
import { pagedPeople } from './incidents/policy';
import { hasAnyRole } from './runs/rights';

/**
 * Who may do what: the one check every listener and flow calls before it changes anything. Each
 * helper returns null when the user may act, or the sentence that tells them who may. Only the
 * user id Slack signed counts (names, titles or roles a payload carries are never read), and
 * membership is the `members` list of a role in the ops config.
 */

/** A rights entry of the config: `everyone`, or the roles whose members may act. */
export type RoleList = 'everyone' | readonly string[];

type Cfg = Pick<OpsConfig, 'roles' | 'incidents' | 'rights'>;

interface Allowed {
  roles: RoleList;
  /** People who may act whatever their role (those paged for the incident). */
  paged?: readonly string[];
}

/** "the Technical Lead, CTO or CEO" */
export function roleNames(config: Pick<OpsConfig, 'roles'>, roles: readonly string[]): string {
  const names = [...new Set(roles)].map((r) => config.roles[r]?.name ?? r);
  if (names.length === 0) return '';
  const list = names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} or ${names.at(-1)!}`;
  return `the ${list}`;
}

function check(config: Pick<OpsConfig, 'roles'>, userId: string, allowed: Allowed, doing: string): string | null {
  if (allowed.roles === 'everyone') return null;
  if (hasAnyRole(config, userId, allowed.roles)) return null;
  if (allowed.paged?.includes(userId)) return null;
  const who = roleNames(config, allowed.roles);
  const paged = allowed.paged !== undefined;
  if (!who) return paged ? `Only someone paged for it may ${doing}.` : `Nobody may ${doing} (no role is given that right in the ops config).`;
  return `Only ${who}${paged ? ' (or someone paged for it)' : ''} may ${doing}.`;
}

const incidentWord = (id: number | undefined) => (id === undefined ? 'this incident' : `incident #${id}`);

export function declareRefusal(config: Cfg, userId: string): string | null {
  return check(config, userId, { roles: config.incidents.rights.declare }, 'declare incidents');
}

/** Acknowledge: the roles of the incident's current level, or anyone paged for it (config). */
export function ackRefusal(config: Pick<OpsConfig, 'roles' | 'incidents'>, inc: IncidentSnapshot, userId: string, id?: number): string | null {
  const level = inc.policy.chain[inc.level];
  const roles = (level && config.incidents.rights.acknowledge[level.id]) ?? [];
  const paged = config.incidents.rights.pagedMayAcknowledge ? { paged: pagedPeople(inc.policy, inc.level) } : {};
  return check(config, userId, { roles, ...paged }, `acknowledge ${incidentWord(id)} at the ${level?.name ?? 'current'} level`);
}

/** The roles that may escalate an incident: by default those of its chain from where it started, up. */
export function escalateRoles(config: Pick<OpsConfig, 'incidents'>, inc: Pick<IncidentSnapshot, 'policy'>): RoleList {
  const right = config.incidents.rights.escalate;
  if (right !== 'chain') return right;
  return [...new Set(inc.policy.chain.slice(inc.policy.start).map((l) => l.role))];
}

export function escalateRefusal(
  config: Pick<OpsConfig, 'roles' | 'incidents'>,
  inc: Pick<IncidentSnapshot, 'policy'>,
  userId: string,
  id?: number,
): string | null {
  return check(config, userId, { roles: escalateRoles(config, inc) }, `escalate ${incidentWord(id)}`);
}

export function resolveRefusal(config: Pick<OpsConfig, 'roles' | 'incidents'>, userId: string, id?: number): string | null {
  return check(config, userId, { roles: config.incidents.rights.resolve }, `resolve ${id === undefined ? 'incidents' : incidentWord(id)}`);
}

export function noteRefusal(config: Pick<OpsConfig, 'roles' | 'incidents'>, userId: string, id?: number): string | null {
  return check(config, userId, { roles: config.incidents.rights.note }, `add notes to ${incidentWord(id)}`);
}

/** Taking or assigning an incident's lead: `incidents.rights.lead`. */
export function leadRefusal(config: Pick<OpsConfig, 'roles' | 'incidents'>, userId: string, id?: number): string | null {
  return check(config, userId, { roles: config.incidents.rights.lead }, `lead ${incidentWord(id)}`);
}

/** Changing severity re-pages, so by default the same roles as escalate (`chain`). */
export function severityRefusal(
  config: Pick<OpsConfig, 'roles' | 'incidents'>,
  inc: Pick<IncidentSnapshot, 'policy'>,
  userId: string,
  id?: number,
): string | null {
  const right = config.incidents.rights.severity;
  const roles = right === 'chain' ? [...new Set(inc.policy.chain.slice(inc.policy.start).map((l) => l.role))] : right;
  return check(config, userId, { roles }, `change the severity of ${incidentWord(id)}`);
}

/** Status updates: `incidents.rights.update`, and the incident's lead whatever their role. */
export function updateRefusal(config: Pick<OpsConfig, 'roles' | 'incidents'>, userId: string, lead: string | null, id?: number): string | null {
  if (lead && lead === userId) return null;
  return check(config, userId, { roles: config.incidents.rights.update }, `post status updates on ${incidentWord(id)}`);
}

/** Follow-ups: `incidents.rights.followup`. */
export function followupRefusal(config: Pick<OpsConfig, 'roles' | 'incidents'>, userId: string, id?: number): string | null {
  return check(config, userId, { roles: config.incidents.rights.followup }, `add follow-ups to ${incidentWord(id)}`);
}

/** Reading a post-incident review draft: `incidents.rights.review`. */
export function reviewRefusal(config: Pick<OpsConfig, 'roles' | 'incidents'>, userId: string, id?: number): string | null {
  return check(config, userId, { roles: config.incidents.rights.review }, `read the review of ${incidentWord(id)}`);
}

/** Listing open follow-ups: `incidents.rights.followups`. */
export function followupListRefusal(config: Pick<OpsConfig, 'roles' | 'incidents'>, userId: string): string | null {
  return check(config, userId, { roles: config.incidents.rights.followups }, 'list follow-ups');
}

/** Marking a follow-up done: its owner, the incident's lead, or whoever may resolve the incident. */
export function followupDoneRefusal(
  config: Pick<OpsConfig, 'roles' | 'incidents'>,
  userId: string,
  f: { id: number; owner: string; incidentId: number; lead: string | null },
): string | null {
  if (userId === f.owner || (f.lead && userId === f.lead)) return null;
  if (!check(config, userId, { roles: config.incidents.rights.resolve }, '')) return null;
  const who = roleNames(config, config.incidents.rights.resolve);
  return `Only its owner, the lead of incident #${f.incidentId}${who ? ` or ${who}` : ''} may mark follow-up ${f.id} done.`;
}

/** Signing an item: its own `restrictedTo` when it has one, else `rights.sign`. */
export function signRefusal(config: Pick<OpsConfig, 'roles' | 'rights'>, userId: string, restrictedTo: readonly string[] | undefined): string | null {
  const roles = restrictedTo?.length ? restrictedTo : config.rights.sign;
  return check(config, userId, { roles }, 'sign this item');
}

/** Entering figures: the item's `restrictedTo` when it has one, else `rights.figures`. */
export function figuresRefusal(config: Pick<OpsConfig, 'roles' | 'rights'>, userId: string, restrictedTo: readonly string[] | undefined): string | null {
  const roles = restrictedTo?.length ? restrictedTo : config.rights.figures;
  return check(config, userId, { roles }, 'enter figures for this item');
}

export function probeRefusal(config: Pick<OpsConfig, 'roles' | 'rights'>, userId: string): string | null {
  return check(config, userId, { roles: config.rights.probe }, 'run probes');
}

export function summaryRefusal(config: Pick<OpsConfig, 'roles' | 'rights'>, userId: string): string | null {
  return check(config, userId, { roles: config.rights.summary }, 'post the weekly summary');
}

export function auditRefusal(config: Pick<OpsConfig, 'roles' | 'rights'>, userId: string): string | null {
  return check(config, userId, { roles: config.rights.audit }, 'export the audit log');
}

export function checklistRefusal(config: Pick<OpsConfig, 'roles' | 'rights'>, userId: string): string | null {
  return check(config, userId, { roles: config.rights.checklist }, 'post a checklist on demand');
}

export function scorecardRefusal(config: Pick<OpsConfig, 'roles' | 'rights'>, userId: string): string | null {
  return check(config, userId, { roles: config.rights.scorecard }, 'read the scorecard');
}

export function improveRefusal(config: Pick<OpsConfig, 'roles' | 'rights'>, userId: string): string | null {
  return check(config, userId, { roles: config.rights.improve }, 'add or rank improvements');
}

export function improveCommitRefusal(config: Pick<OpsConfig, 'roles' | 'rights'>, userId: string): string | null {
  return check(config, userId, { roles: config.rights.improveCommit }, 'commit, close or review improvements');
}

export function changeRefusal(config: Pick<OpsConfig, 'roles' | 'rights'>, userId: string): string | null {
  return check(config, userId, { roles: config.rights.change }, 'record changes');
}

/** `/ops oncall cover <role> …`: the role's own members and `rights.oncallCover`. */
export function oncallCoverRefusal(config: Pick<OpsConfig, 'roles' | 'rights'>, userId: string, role: string): string | null {
  const right = config.rights.oncallCover;
  const roles = right === 'everyone' ? right : [role, ...right];
  return check(config, userId, { roles }, `change who covers the ${config.roles[role]?.name ?? role}`);
}

/** "Record DR test": the restore item's own `restrictedTo` when it has one, else `rights.drRecord`. */
export function drRecordRefusal(config: Pick<OpsConfig, 'roles' | 'rights'>, userId: string, restrictedTo: readonly string[] | undefined): string | null {
  const roles = restrictedTo?.length ? restrictedTo : config.rights.drRecord;
  return check(config, userId, { roles }, 'record this DR test');
}

/** Signing a DR test's verification item (in place of `rights.sign`); never its operator: the two-person rule. */
export function drVerifyRefusal(config: Pick<OpsConfig, 'roles' | 'rights'>, userId: string): string | null {
  return check(config, userId, { roles: config.rights.drVerify }, 'verify DR tests');
}

export function drHistoryRefusal(config: Pick<OpsConfig, 'roles' | 'rights'>, userId: string): string | null {
  return check(config, userId, { roles: config.rights.drHistory }, 'read the DR test history');
}

import type { OpsConfig } from '../config/ops-config';
import type { Tx } from '../db';
import type { PolicyLevel } from '../incidents/policy';
import { rotationTurn } from './rotation';
import { activeOverride, activeOverridesAtEach, notePagedAtLevel, type OverrideRow } from './store';

/**
 * Who holds an on-call role at an instant, and so whom escalation pages for it:
 * 1. an override (`/ops oncall cover`) active then;
 * 2. else the holder of the role's rotation (config `roles.<key>.rotation`);
 * 3. else every member and group of the role, as before rotations existed.
 */

export type HolderSource = 'override' | 'rotation' | 'members';

export interface RoleOnCall {
  role: string;
  /** The person holding the role now, or null when every member is paged. */
  holder: { userId: string; source: 'override' | 'rotation' } | null;
  /** The active override (who covers, until when, who set it). */
  override: OverrideRow | null;
  /** The next change: who holds it from `at` (null userId: every member again). */
  next: { userId: string | null; source: HolderSource; at: Date } | null;
}

type RolesConfig = Pick<OpsConfig, 'roles' | 'timezone'>;

/** Pure: who holds `role` at `at` given the override active then (if any). */
export function roleOnCallAt(config: RolesConfig, role: string, override: OverrideRow | null, at: Date): RoleOnCall {
  const rotation = config.roles[role]?.rotation;
  const turn = rotation ? rotationTurn(rotation, config.timezone, at) : null;
  if (override) {
    const after = rotation ? rotationTurn(rotation, config.timezone, override.endsAt).userId : null;
    return {
      role,
      holder: { userId: override.userId, source: 'override' },
      override,
      next: { userId: after, source: rotation ? 'rotation' : 'members', at: override.endsAt },
    };
  }
  if (turn)
    return { role, holder: { userId: turn.userId, source: 'rotation' }, override: null, next: { userId: turn.nextUserId, source: 'rotation', at: turn.until } };
  return { role, holder: null, override: null, next: null };
}

/** Who holds each role at `at` (one read of the overrides). */
export async function rolesOnCall(db: Tx, config: RolesConfig, roles: readonly string[], at: Date): Promise<Map<string, RoleOnCall>> {
  return (await rolesOnCallAtEach(db, config, roles, [at]))[0]!;
}

/** {@link rolesOnCall} at each of `ats`, still one read of the overrides. */
export async function rolesOnCallAtEach(db: Tx, config: RolesConfig, roles: readonly string[], ats: readonly Date[]): Promise<Map<string, RoleOnCall>[]> {
  const overrides = await activeOverridesAtEach(db, ats);
  return ats.map((at, i) => new Map(roles.map((r) => [r, roleOnCallAt(config, r, overrides[i]!.get(r) ?? null, at)])));
}

/** A chain level as it is paged now: the frozen level, with its people narrowed to the holder when the role has one. */
export type PagedLevel = PolicyLevel & { holder: string | null };

/**
 * The one place escalation chooses whom a level pages. With an override or a rotation, the level
 * pages its holder only (not the other members, not its groups), and the incident's policy notes
 * who was paged; without either, the members and groups frozen when the incident was declared.
 */
export async function levelToPage(
  deps: { config: RolesConfig },
  tx: Tx,
  incidentId: number,
  index: number,
  level: PolicyLevel | undefined,
  now: Date,
): Promise<PagedLevel | undefined> {
  if (!level) return undefined;
  const { holder } = roleOnCallAt(deps.config, level.role, (await activeOverride(tx, level.role, now)) ?? null, now);
  if (!holder) return { ...level, holder: null };
  await notePagedAtLevel(tx, incidentId, index, [holder.userId]);
  return { ...level, members: [holder.userId], groups: [], holder: holder.userId };
}

import type { OpsConfig } from '../config/ops-config';

/** Whether the user holds one of the roles, by membership listed in config. */
export function hasAnyRole(config: OpsConfig, userId: string, roles: readonly string[]): boolean {
  return roles.some((r) => config.roles[r]?.members.includes(userId));
}

/** Null when the user may sign; otherwise the sentence that explains who may. */
export function signRefusal(config: OpsConfig, userId: string, restrictedTo: readonly string[] | undefined): string | null {
  if (!restrictedTo || restrictedTo.length === 0) return null;
  if (hasAnyRole(config, userId, restrictedTo)) return null;
  const names = restrictedTo.map((r) => config.roles[r]?.name ?? r);
  return `Only the ${names.join(' or ')} may sign this item.`;
}

import type { OpsConfig } from '../config/ops-config';

/** Whether the user holds one of the roles, by membership listed in config. */
export function hasAnyRole(config: Pick<OpsConfig, 'roles'>, userId: string, roles: readonly string[]): boolean {
  return roles.some((r) => config.roles[r]?.members.includes(userId));
}

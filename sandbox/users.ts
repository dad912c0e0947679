import type { OpsConfig } from '../src/config/ops-config';

export interface WorkspaceUser {
  id: string;
  name: string;
  realName: string;
  title: string;
  /** The ops config role the sandbox gives this person. */
  role?: string;
}

/** The people of the sandbox workspace; each holds one of the guide's roles. */
export const DEMO_USERS: readonly WorkspaceUser[] = [
  { id: 'UALICE', name: 'alice', realName: 'Alice Moreno', title: 'Operations Manager', role: 'ops-manager' },
  { id: 'UBOB', name: 'bob', realName: 'Bob Chen', title: 'Technical Lead', role: 'tech-lead' },
  { id: 'UCAROL', name: 'carol', realName: 'Carol Diaz', title: 'CTO', role: 'cto' },
  { id: 'UDAN', name: 'dan', realName: 'Dan Okafor', title: 'CEO', role: 'ceo' },
];

export const BOT_USER: WorkspaceUser = { id: 'UBOT', name: 'drainpro-ops', realName: 'DrainPro Ops', title: 'App' };

/**
 * The ops config with the demo people added to their roles, so role-restricted items, escalation
 * and pages have someone to reach in the sandbox. Members from the real config stay.
 */
export function withDemoUsers(config: OpsConfig, users: readonly WorkspaceUser[] = DEMO_USERS): OpsConfig {
  const roles = structuredClone(config.roles);
  for (const u of users) {
    const role = u.role && roles[u.role];
    if (role && !role.members.includes(u.id)) role.members.push(u.id);
  }
  return { ...config, roles };
}

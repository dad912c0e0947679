import { escapeMrkdwn, mention, mrkdwn } from '../../blocks/format';
import { handoffTime } from '../../blocks/oncall';
import type { OpsConfig } from '../config/ops-config';
import type { Deps } from '../deps';
import { deliverOutbox, enqueue } from '../outbox';
import { roleOnCallAt, type RoleOnCall } from './holders';
import { clearOverride, setOverride, type OverrideRow } from './store';

/**
 * `/ops oncall cover`: the override is stored, and the person covering told by DM through the
 * outbox, in one transaction; the Home tabs re-render. Rights are checked by the caller.
 */

/** The role a word names: a key of `roles` (any case), or the id of an escalation level. */
export function roleNamed(config: Pick<OpsConfig, 'roles' | 'incidents'>, word: string): string | null {
  const w = word.toLowerCase();
  const key = Object.keys(config.roles).find((k) => k.toLowerCase() === w);
  if (key) return key;
  return config.incidents.chain.find((l) => l.id.toLowerCase() === w)?.role ?? null;
}

export interface CoverSet {
  row: OverrideRow;
  replaced: OverrideRow | undefined;
  /** Who holds the role once the cover ends. */
  after: RoleOnCall;
}

export async function setCover(deps: Deps, input: { role: string; userId: string; until: Date; setBy: string }): Promise<CoverSet> {
  const now = deps.clock.now();
  const roleName = deps.config.roles[input.role]?.name ?? input.role;
  const result = await deps.db.transaction(async (tx) => {
    const set = await setOverride(tx, { ...input, now });
    if (set.same) return set;
    const text = mrkdwn`:pager: ${mention(input.setBy)} set you to cover the *${escapeMrkdwn(roleName)}* until ${handoffTime(input.until, deps.config.timezone)}: escalation pages you for it until then. \`/ops oncall\` shows who is on call.`;
    await enqueue(tx, { channel: input.userId, ref: `oncall-cover:${set.row.id}`, text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] }, now);
    return set;
  });
  await deliverOutbox(deps, now);
  deps.home.changed();
  return { ...result, after: roleOnCallAt(deps.config, input.role, null, input.until) };
}

/** Ends the cover of `role` now; undefined when none was active. */
export async function endCover(deps: Deps, input: { role: string; by: string }): Promise<OverrideRow | undefined> {
  const row = await clearOverride(deps.db, { role: input.role, by: input.by, now: deps.clock.now() });
  if (row) deps.home.changed();
  return row;
}

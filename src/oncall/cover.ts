import { escapeMrkdwn, mention, mrkdwn } from '../../blocks/format';
import { handoffTime } from '../../blocks/oncall';
import type { OpsConfig } from '../config/ops-config';
import type { Tx } from '../db';
import type { Deps } from '../deps';
import { deliverNow, enqueue, outboxStates, type OutboxState } from '../outbox';
import { roleOnCallAt, type RoleOnCall } from './holders';
import { clearOverride, setOverride, type OverrideRow } from './store';

/**
 * `/ops oncall cover`: the override is stored, and the DM to the person covering queued in the
 * outbox, in one transaction; the Home tabs re-render. The DM is sent after the command's ack
 * (sendCoverDm), so a slow Slack never holds the ack past its deadline, and the reply can say
 * whether Slack took it. Rights are checked by the caller.
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
  /** The outbox row of the DM to the person covering; null when the same cover was asked again (no new DM). */
  dm: number | null;
  /** The outbox row of the DM telling the replaced person their cover ended, if one went. */
  endedDm: number | null;
}

/** The person whose cover ends early is told, so nobody believes they are paged when they are not. */
async function tellCoverEnded(deps: Deps, tx: Tx, ended: OverrideRow, by: string, now: Date): Promise<number> {
  const roleName = escapeMrkdwn(deps.config.roles[ended.role]?.name ?? ended.role);
  const text = mrkdwn`:information_source: ${mention(by)} ended your cover of the *${roleName}*: you no longer cover it, and escalation no longer pages you for it. \`/ops oncall\` shows who is on call.`;
  return enqueue(
    tx,
    { channel: ended.userId, ref: `oncall-cover-ended:${ended.id}`, text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] },
    now,
  );
}

export async function setCover(deps: Deps, input: { role: string; userId: string; until: Date; setBy: string }): Promise<CoverSet> {
  const now = deps.clock.now();
  const roleName = deps.config.roles[input.role]?.name ?? input.role;
  const result = await deps.db.transaction(async (tx) => {
    const set = await setOverride(tx, { ...input, now });
    if (set.same) return { ...set, dm: null, endedDm: null };
    const text = mrkdwn`:pager: ${mention(input.setBy)} set you to cover the *${escapeMrkdwn(roleName)}* until ${handoffTime(input.until, deps.config.timezone)}: escalation pages you for it until then. \`/ops oncall\` shows who is on call.`;
    const dm = await enqueue(
      tx,
      { channel: input.userId, ref: `oncall-cover:${set.row.id}`, text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] },
      now,
    );
    const endedDm = set.replaced && set.replaced.userId !== input.userId ? await tellCoverEnded(deps, tx, set.replaced, input.setBy, now) : null;
    return { ...set, dm, endedDm };
  });
  deps.home.changed();
  return { ...result, after: roleOnCallAt(deps.config, input.role, null, input.until) };
}

/** Tries the cover's DM now; where it stands after (delivered, refused for good with the reason, or still queued for the outbox job). */
export async function sendCoverDm(deps: Deps, dm: number): Promise<OutboxState | undefined> {
  await deliverNow(deps, [dm], deps.clock.now());
  return (await outboxStates(deps.db, [dm])).get(dm);
}

/** Ends the cover of `role` now, telling its person (the DM queued with it); undefined when none was active. */
export async function endCover(deps: Deps, input: { role: string; by: string }): Promise<{ row: OverrideRow; dm: number } | undefined> {
  const now = deps.clock.now();
  const ended = await deps.db.transaction(async (tx) => {
    const row = await clearOverride(tx, { role: input.role, by: input.by, now });
    return row ? { row, dm: await tellCoverEnded(deps, tx, row, input.by, now) } : undefined;
  });
  if (ended) deps.home.changed();
  return ended;
}

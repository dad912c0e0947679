import { escapeMrkdwn, mention, mrkdwn, type Mrkdwn } from '../blocks/format';
import { buildNotice, buildRefusal } from '../blocks/help';
import { buildOnCallMessage, COVER_USAGE, handoffTime } from '../blocks/oncall';
import { onCallLevels } from '../src/home/read-model';
import { endCover, roleNamed, sendCoverDm, setCover } from '../src/oncall/cover';
import { roleOnCallAt } from '../src/oncall/holders';
import { activeOverrides } from '../src/oncall/store';
import { parseUntil } from '../src/oncall/until';
import { oncallCoverRefusal } from '../src/rights';
import { adviceFromStored } from '../src/slack/errors';
import { isMemberId, personNamed } from '../src/slack/people';
import type { Message } from '../blocks/limits';
import type { OpsContext } from './ops-context';
import { tellUser } from './respond';

const usage = (problem: Mrkdwn) => buildNotice(mrkdwn`:warning: ${problem} Usage: \`/ops ${escapeMrkdwn(COVER_USAGE)}\``);

/** `/ops oncall`: a read, open to everyone: who holds each level now and next, and the cover in force. */
async function show(ctx: OpsContext): Promise<void> {
  const { config, db, clock } = ctx.deps;
  const now = clock.now();
  const overrides = await activeOverrides(db, now);
  const levels = onCallLevels(config).map((l) => ({ ...l, onCall: roleOnCallAt(config, l.role, overrides.get(l.role) ?? null, now) }));
  const covers = [...overrides.values()].map((o) => ({ roleName: config.roles[o.role]?.name ?? o.role, onCall: roleOnCallAt(config, o.role, o, now) }));
  await ctx.ack({ response_type: 'ephemeral', ...buildOnCallMessage(levels, covers, config.timezone) });
}

/** `/ops oncall cover <role> @person <until>` and `/ops oncall cover <role> clear`. */
async function cover(ctx: OpsContext): Promise<void> {
  const { config } = ctx.deps;
  const [, roleWord = '', target = '', ...rest] = ctx.parsed.args;
  const role = roleWord ? roleNamed(config, roleWord) : null;
  if (!role) {
    const known = escapeMrkdwn(Object.keys(config.roles).join(', '));
    return ctx.ack(
      usage(roleWord ? mrkdwn`There is no role \`${escapeMrkdwn(roleWord.slice(0, 40))}\` (roles: ${known}).` : mrkdwn`Which role? (roles: ${known})`),
    );
  }
  const refusal = oncallCoverRefusal(config, ctx.command.user_id, role);
  if (refusal) return ctx.ack(buildRefusal(refusal));
  const roleName = escapeMrkdwn(config.roles[role]?.name ?? role);
  if (target.toLowerCase() === 'clear') {
    const ended = await endCover(ctx.deps, { role, by: ctx.command.user_id });
    if (!ended) return ctx.ack(buildNotice(mrkdwn`:information_source: Nobody covers the *${roleName}* now; nothing to clear.`));
    await ctx.ack(
      buildNotice(mrkdwn`:white_check_mark: Ended ${mention(ended.row.userId)}'s cover of the *${roleName}*. \`/ops oncall\` shows who holds it now.`),
    );
    await sendCoverDm(ctx.deps, ended.dm);
    return;
  }
  const until = parseUntil(rest, ctx.deps.clock.now(), config.timezone);
  if (!isMemberId(target) && !/^@\S/.test(target)) return ctx.ack(usage(mrkdwn`Name the person who covers (@mention), or \`clear\`.`));
  if ('problem' in until) return ctx.ack(usage(escapeMrkdwn(until.problem)));
  let say: Say = (m) => ctx.ack(m);
  if (!isMemberId(target)) {
    // A plain @name (commands are sent unescaped) is looked up in Slack after the ack.
    await ctx.ack(buildNotice(mrkdwn`:hourglass_flowing_sand: Looking up ${escapeMrkdwn(target.slice(0, 80))}…`));
    say = (m) => tellUser(ctx.deps, ctx.respond, m, { replace: true });
  }
  const userId = await personNamed(ctx.deps.slack, target);
  if (!userId)
    return say(buildNotice(mrkdwn`:warning: I know nobody called ${escapeMrkdwn(target.slice(0, 80))}. Mention them (\`@name\`) so Slack sends who they are.`));
  await applyCover(ctx, say, { role, roleName, userId, until: until.at });
}

type Say = (m: Message) => Promise<void>;

/** The cover stored, the answer, then its DMs. */
async function applyCover(ctx: OpsContext, say: Say, c: { role: string; roleName: Mrkdwn; userId: string; until: Date }): Promise<void> {
  const { config } = ctx.deps;
  const { role, roleName, userId } = c;
  const { replaced, after, dm, endedDm } = await setCover(ctx.deps, { role, userId, until: c.until, setBy: ctx.command.user_id });
  const untilText = handoffTime(c.until, config.timezone);
  if (dm === null)
    return say(buildNotice(mrkdwn`:information_source: ${mention(userId)} already covers the *${roleName}* until ${untilText}; nothing changed.`));
  const then = after.holder ? mrkdwn`${mention(after.holder.userId)} (rotation)` : mrkdwn`every member of the role`;
  const instead = replaced ? mrkdwn` It replaces ${mention(replaced.userId)}'s cover.` : mrkdwn``;
  const member = config.roles[role]?.members.includes(userId)
    ? mrkdwn``
    : mrkdwn` They are not a member of the role: paged for it, with only the rights of someone paged.`;
  const level = config.incidents.chain.some((l) => l.role === role) ? mrkdwn`` : mrkdwn` (The role is no escalation level, so no page goes to it.)`;
  await say(
    buildNotice(
      mrkdwn`:white_check_mark: ${mention(userId)} covers the *${roleName}* until ${untilText}; escalation pages them for it, then ${then}. I am sending them a DM about it.${instead}${member}${level}`,
    ),
  );
  await reportCoverDm(ctx, dm, userId);
  if (endedDm !== null) await sendCoverDm(ctx.deps, endedDm);
}

/** After the ack: the DM tried at once; the person who set the cover is told only when Slack did not take it. */
async function reportCoverDm(ctx: OpsContext, dm: number, userId: string): Promise<void> {
  const state = await sendCoverDm(ctx.deps, dm);
  if (!state || state.state === 'delivered') return;
  const told =
    state.state === 'failed'
      ? mrkdwn`:warning: The cover is set, but I could not send ${mention(userId)} the DM about it: ${adviceFromStored(state.reason, userId)} Tell them yourself.`
      : mrkdwn`:hourglass: The cover is set, but Slack has not taken the DM to ${mention(userId)} yet; I keep trying.`;
  await tellUser(ctx.deps, ctx.respond, buildNotice(told));
}

export async function handleOnCall(ctx: OpsContext): Promise<void> {
  const word = ctx.parsed.args[0]?.toLowerCase();
  if (!word) return show(ctx);
  if (word === 'cover') return cover(ctx);
  return ctx.ack(usage(mrkdwn`\`${escapeMrkdwn(word.slice(0, 40))}\` is not an oncall subcommand.`));
}

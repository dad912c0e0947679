import { escapeMrkdwn, mrkdwn } from '../blocks/format';
import { buildNotice, buildRefusal } from '../blocks/help';
import { buildScorecardMessage } from '../blocks/scorecard';
import { scorecardRefusal } from '../src/rights';
import { weekScorecard } from '../src/scorecard';
import { resolveWeekArg } from '../src/summary/week';
import type { OpsContext, OpsSubcommand } from './ops-context';
import { tellUser } from './respond';

const USAGE = 'scorecard [this|last|YYYY-Www]';

/** `/ops scorecard [this|last|2026-W09]`: the success metrics of a week, to the asker only. */
export async function handleOpsScorecard(ctx: OpsContext): Promise<void> {
  const { deps, parsed, command } = ctx;
  const refusal = scorecardRefusal(deps.config, command.user_id);
  if (refusal) return ctx.ack(buildRefusal(refusal));
  const now = deps.clock.now();
  const week = parsed.args.length <= 1 ? resolveWeekArg(parsed.args[0], now, deps.config.timezone) : null;
  if (!week)
    return ctx.ack(buildNotice(mrkdwn`:warning: Usage: \`/ops ${escapeMrkdwn(USAGE)}\` — e.g. \`/ops scorecard last\` or \`/ops scorecard 2026-W09\`.`));
  if (week.start > now) return ctx.ack(buildNotice(mrkdwn`:warning: Week ${escapeMrkdwn(week.key)} has not started yet.`));
  // The queries may outlast Slack's 3 seconds: ack first, answer through the response URL.
  await ctx.ack(buildNotice(mrkdwn`:hourglass_flowing_sand: Computing the scorecard of *${escapeMrkdwn(week.key)}*…`));
  const card = await weekScorecard(deps.db, deps.config, week, now);
  await tellUser(deps, ctx.respond, buildScorecardMessage(card), { replace: true });
}

export const scorecardSubcommand: OpsSubcommand = {
  usage: USAGE,
  description: "the guide's twelve success metrics against their targets (default: this week)",
  run: handleOpsScorecard,
};

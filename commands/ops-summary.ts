import { adviceFromStored } from '../src/slack/errors';
import { channelLink, escapeMrkdwn, mrkdwn, type Mrkdwn } from '../blocks/format';
import { buildNotice, buildRefusal } from '../blocks/help';
import { channelFor, type Deps } from '../src/deps';
import { writeWeeklySummary } from '../src/summary/flow';
import { resolveWeekArg } from '../src/summary/week';
import { summaryRefusal } from '../src/rights';
import type { OpsContext } from './ops-context';
import { tellUser } from './respond';

export const SUMMARY_USAGE = 'summary [this|last|YYYY-Www]';

function where(deps: Deps): Mrkdwn {
  return channelLink(channelFor(deps.config, deps.config.summary.channel));
}

/** `/ops summary [this|last|2026-W09]`: acks at once, then writes and posts the week's summary. */
export async function handleOpsSummary(ctx: OpsContext): Promise<void> {
  const { deps, parsed, command } = ctx;
  const refusal = summaryRefusal(deps.config, command.user_id);
  if (refusal) return ctx.ack(buildRefusal(refusal));
  const now = deps.clock.now();
  const week = parsed.args.length <= 1 ? resolveWeekArg(parsed.args[0], now, deps.config.timezone) : null;
  if (!week) {
    await ctx.ack(buildNotice(mrkdwn`:warning: Usage: \`/ops ${escapeMrkdwn(SUMMARY_USAGE)}\` — e.g. \`/ops summary last\` or \`/ops summary 2026-W09\`.`));
    return;
  }
  if (week.start > now) {
    await ctx.ack(buildNotice(mrkdwn`:warning: Week ${escapeMrkdwn(week.key)} has not started yet.`));
    return;
  }
  await ctx.ack(
    buildNotice(mrkdwn`:hourglass_flowing_sand: Writing the summary of *${escapeMrkdwn(week.key)}* (${escapeMrkdwn(week.label)}) for ${where(deps)}…`),
  );
  // Keyed by the request's trigger_id: Slack's retry of this same request claims nothing new.
  const outcome = await writeWeeklySummary(deps, { week, claimKey: `adhoc:${command.trigger_id}`, requestedBy: command.user_id });
  if (outcome.kind === 'already_claimed') {
    deps.logger.info({ trigger: command.trigger_id }, 'duplicate /ops summary request ignored');
    await tellUser(deps, ctx.respond, buildNotice(mrkdwn`:information_source: This request already wrote the summary of *${escapeMrkdwn(week.key)}*.`), {
      replace: true,
    });
    return;
  }
  const how = outcome.source === 'llm' ? mrkdwn`` : mrkdwn` (plain summary: the LLM write-up was not available)`;
  const what = outcome.messageTs
    ? mrkdwn`:white_check_mark: Summary of *${escapeMrkdwn(week.key)}* posted to ${where(deps)}${how}.`
    : outcome.slackRefused
      ? mrkdwn`:warning: Summary of *${escapeMrkdwn(week.key)}* is written but I could not post it to ${where(deps)}: ${adviceFromStored(outcome.slackRefused, outcome.channel)}`
      : mrkdwn`:hourglass: Summary of *${escapeMrkdwn(week.key)}* is written and queued for ${where(deps)}${how}: Slack has not taken it yet.`;
  await tellUser(deps, ctx.respond, buildNotice(what), { replace: true });
}

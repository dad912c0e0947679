import { buildNotice } from '../blocks/help';
import { channelFor, type Deps } from '../src/deps';
import { writeWeeklySummary } from '../src/summary/flow';
import { resolveWeekArg } from '../src/summary/week';
import { opsSubcommands, type OpsContext, type OpsSubcommand } from './ops';
import { escapeMrkdwn } from '../blocks/format';
import { tellUser } from './respond';

const USAGE = 'summary [this|last|YYYY-Www]';

function where(deps: Deps): string {
  const channel = channelFor(deps.config, deps.config.summary.channel);
  return /^[CG][A-Z0-9]+$/.test(channel) ? `<#${channel}>` : `#${channel}`;
}

/** `/ops summary [this|last|2026-W09]`: acks at once, then writes and posts the week's summary. */
export async function handleOpsSummary(ctx: OpsContext): Promise<void> {
  const { deps, parsed, command } = ctx;
  const now = deps.clock.now();
  const week = parsed.args.length <= 1 ? resolveWeekArg(parsed.args[0], now, deps.config.timezone) : null;
  if (!week) {
    await ctx.ack(buildNotice(`:warning: Usage: \`/ops ${USAGE}\` — e.g. \`/ops summary last\` or \`/ops summary 2026-W09\`.`));
    return;
  }
  if (week.start > now) {
    await ctx.ack(buildNotice(`:warning: Week ${week.key} has not started yet.`));
    return;
  }
  await ctx.ack(buildNotice(`:hourglass_flowing_sand: Writing the summary of *${week.key}* (${week.label}) for ${where(deps)}…`));
  // Keyed by the request's trigger_id: Slack's retry of this same request claims nothing new.
  const outcome = await writeWeeklySummary(deps, { week, claimKey: `adhoc:${command.trigger_id}`, requestedBy: command.user_id });
  if (outcome.kind === 'already_claimed') {
    deps.logger.info({ trigger: command.trigger_id }, 'duplicate /ops summary request ignored');
    await tellUser(deps, ctx.respond, buildNotice(`:information_source: This request already wrote the summary of *${week.key}*.`), { replace: true });
    return;
  }
  const how = outcome.source === 'llm' ? '' : ' (plain summary: the LLM write-up was not available)';
  const what = outcome.messageTs
    ? `:white_check_mark: Summary of *${week.key}* posted to ${where(deps)}${how}.`
    : outcome.slackRefused
      ? `:warning: Summary of *${week.key}* is written but I could not post it to ${where(deps)}: ${escapeMrkdwn(outcome.slackRefused.replace(/^[a-z_]+: /, ''))}`
      : `:hourglass: Summary of *${week.key}* is written and queued for ${where(deps)}${how}: Slack has not taken it yet.`;
  await tellUser(deps, ctx.respond, buildNotice(what), { replace: true });
}

export const summarySubcommand: OpsSubcommand = {
  usage: USAGE,
  description: "post the week's summary to leadership (default: this week)",
  run: handleOpsSummary,
};

/** Adds `summary` to `/ops`. */
export function registerOpsSummary(): void {
  opsSubcommands.set('summary', summarySubcommand);
}

import { escapeMrkdwn, mrkdwn, type Mrkdwn } from '../blocks/format';
import { capText } from '../src/user-text';
import type { RespondFn, SlashCommand } from '@slack/bolt';
import { buildNotice, buildUsageMessage, type HelpEntry, buildRefusal } from '../blocks/help';
import type { Message } from '../blocks/limits';
import { findChecklist } from '../src/checklists';
import { channelFor, type Deps } from '../src/deps';
import { postChecklist } from '../src/runs/flow';
import { checklistRefusal } from '../src/rights';
import type { OpsContext } from './ops-context';
import { OPS_SUBCOMMANDS } from './ops-subcommands';
import { parseCommand } from './parse';
import { reportError, tellUser } from './respond';
import { channelLabel, isPermanentSlackError, isSlackCallError, slackAdvice } from '../src/slack/errors';
import type { ListenerRoutes } from '../src/slack/listener-routes';

function helpEntries(deps: Deps): HelpEntry[] {
  const names = deps.config.checklists.map((c) => c.aliases[0] ?? c.id).join('|');
  return [
    { usage: `<checklist>`, description: `post a checklist now (${names})` },
    ...Object.values(OPS_SUBCOMMANDS).map((s) => ({ usage: s.usage, description: s.description })),
    { usage: 'help', description: 'show this help' },
  ];
}

async function postChecklistNow(ctx: OpsContext, name: string): Promise<boolean> {
  const def = findChecklist(ctx.deps.config.checklists, name);
  if (!def) return false;
  const refusal = checklistRefusal(ctx.deps.config, ctx.command.user_id);
  if (refusal) {
    await ctx.ack(buildRefusal(refusal));
    return true;
  }
  const channel = channelFor(ctx.deps.config, def.channel);
  const where = channelLabel(channel);
  const title = escapeMrkdwn(def.name);
  await ctx.ack(buildNotice(mrkdwn`:hourglass_flowing_sand: Posting *${title}* to ${where}…`));
  const answer = (text: Mrkdwn) => tellUser(ctx.deps, ctx.respond, buildNotice(text), { replace: true });
  let result: Awaited<ReturnType<typeof postChecklist>>;
  try {
    // Keyed by the request's trigger_id: Slack's retry of this same request claims nothing new.
    result = await postChecklist(ctx.deps, def, {
      kind: 'on_demand',
      periodKey: `adhoc:${ctx.command.trigger_id}`,
      requestedBy: ctx.command.user_id,
    });
  } catch (err) {
    // The run is stored either way; say whether it will still reach the channel.
    if (isPermanentSlackError(err))
      await answer(
        mrkdwn`:warning: *${title}* is saved, but I could not post it: ${slackAdvice(err, channel)} Then run \`/ops ${escapeMrkdwn(ctx.parsed.sub)}\` again.`,
      );
    else if (isSlackCallError(err))
      await answer(
        mrkdwn`:hourglass: *${title}* is saved, but Slack did not take it yet: ${slackAdvice(err, channel)} It will appear in ${where} when Slack answers.`,
      );
    else throw err;
    return true;
  }
  if (result.kind === 'already_claimed') {
    ctx.deps.logger.info({ trigger: ctx.command.trigger_id }, 'duplicate /ops request ignored');
    await answer(mrkdwn`:information_source: *${title}* was already posted for this request.`);
  } else {
    await answer(mrkdwn`:white_check_mark: Posted *${title}* to ${channelLabel(result.channel)}.`);
  }
  return true;
}

/** `/ops <sub> …`: parse, then dispatch; anything unknown gets the usage. */
export async function handleOps(deps: Deps, command: SlashCommand, ackRaw: OpsContext['ack'], respond: RespondFn, help: Message): Promise<void> {
  const parsed = parseCommand(command.text);
  let acked = false;
  const ack: OpsContext['ack'] = async (message) => {
    if (acked) return;
    acked = true;
    await ackRaw(message ? { response_type: 'ephemeral', ...message } : undefined);
  };
  const ctx: OpsContext = { deps, command, parsed, ack, respond };
  try {
    if (parsed.sub === '' || parsed.sub === 'help') {
      await ack(help);
      return;
    }
    const sub = Object.hasOwn(OPS_SUBCOMMANDS, parsed.sub) ? OPS_SUBCOMMANDS[parsed.sub] : undefined;
    if (sub) {
      await sub.run(ctx);
    } else if (!(await postChecklistNow(ctx, parsed.sub))) {
      await ack(buildUsageMessage('/ops', helpEntries(deps), mrkdwn`Unknown subcommand \`${escapeMrkdwn(capText(parsed.sub, 40))}\`.`));
    }
  } catch (err) {
    if (!acked) await ack(buildNotice(mrkdwn`:hourglass_flowing_sand: Working on it…`));
    await reportError(deps, err, respond, { command: '/ops', sub: parsed.sub, user: command.user_id }, { replace: true });
  } finally {
    if (!acked) await ack();
  }
}

export function registerOps(routes: ListenerRoutes, deps: Deps): void {
  // The configuration is fixed for the bot's life, and so is its usage: rendered once (escaping
  // each line was ~27 KiB of allocation per `/ops help`; BENCHMARKS.md, footprint, fifth pass).
  const help = buildUsageMessage('/ops', helpEntries(deps));
  routes.command('/ops', async ({ command, ack, respond }) => {
    await handleOps(deps, command, ack as OpsContext['ack'], respond, help);
  });
}

import { buildDrHistory, DR_PAGE_SIZE } from '../blocks/dr';
import { escapeMrkdwn, mrkdwn } from '../blocks/format';
import { buildNotice, buildRefusal } from '../blocks/help';
import { drHistoryPage } from '../src/dr/history';
import { drHistoryRefusal } from '../src/rights';
import type { OpsContext, OpsSubcommand } from './ops-context';
import { tellUser } from './respond';

const USAGE = 'dr [page]';

/** `/ops dr [page]`: the monthly and quarterly DR tests, newest first, to the asker only. */
export async function handleOpsDr(ctx: OpsContext): Promise<void> {
  const { deps, parsed, command } = ctx;
  const refusal = drHistoryRefusal(deps.config, command.user_id);
  if (refusal) return ctx.ack(buildRefusal(refusal));
  const arg = parsed.args[0];
  const page = arg === undefined ? 1 : /^\d{1,6}$/.test(arg) ? Number(arg) : 0;
  if (parsed.args.length > 1 || page < 1) {
    return ctx.ack(buildNotice(mrkdwn`:warning: Usage: \`/ops ${escapeMrkdwn(USAGE)}\` — e.g. \`/ops dr\` (the newest) or \`/ops dr 2\` (older ones).`));
  }
  await ctx.ack(buildNotice(mrkdwn`:hourglass_flowing_sand: Gathering the DR tests…`));
  const { total, pages, tests } = await drHistoryPage(deps, page, DR_PAGE_SIZE);
  await tellUser(deps, ctx.respond, buildDrHistory(tests, { number: page, pages, total }), { replace: true });
}

export const drSubcommand: OpsSubcommand = {
  usage: USAGE,
  description: 'the monthly and quarterly DR tests: recovery time and data loss against their targets, operator, verifier, evidence',
  run: handleOpsDr,
};

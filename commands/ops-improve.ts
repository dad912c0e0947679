import type { ViewSubmitAction } from '@slack/bolt';
import { channelLink, escapeMrkdwn, mention, mrkdwn, type Mrkdwn } from '../blocks/format';
import { buildNotice, buildRefusal } from '../blocks/help';
import { buildImproveModal, buildRankingMessage, ImproveIds, TITLE_MAX } from '../blocks/improve';
import { channelFor, type Deps } from '../src/deps';
import { describeError } from '../src/errors';
import { parseRice } from '../src/improve/rice';
import { addImprovement, closeImprovement, commitImprovement, getImprovement, rankedImprovements } from '../src/improve/store';
import { deliverOutbox, enqueue } from '../src/outbox';
import { improveCommitRefusal, improveRefusal } from '../src/rights';
import { toLocal, wallTimeToInstant } from '../src/schedule';
import type { ListenerRoutes } from '../src/slack/listener-routes';
import { userText } from '../src/user-text';
import type { OpsContext, OpsSubcommand } from './ops-context';
import { tellUser } from './respond';

const USAGE = 'improve [add <title>|list|review|commit <id> @owner <YYYY-MM-DD> <success criteria>|done <id> <measured result>]';
const usage = (problem: Mrkdwn) => buildNotice(mrkdwn`:warning: ${problem} Usage: \`/ops ${escapeMrkdwn(USAGE)}\``);
const ID = /^#?(\d{1,12})$/;
const USER = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$|^([UW][A-Z0-9]{2,})$/;

/** `2026-03-31` → 09:00 that day in the business time zone, or null. */
function parseDeadline(text: string, timeZone: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return null;
  return new Date(wallTimeToInstant({ year, month, day, hour: 9, minute: 0 }, timeZone));
}

async function list(ctx: OpsContext, heading: string) {
  await ctx.ack(buildNotice(mrkdwn`:hourglass_flowing_sand: Ranking the improvements…`));
  const rows = await rankedImprovements(ctx.deps.db);
  await tellUser(ctx.deps, ctx.respond, buildRankingMessage(rows, ctx.deps.config.timezone, heading), { replace: true });
}

async function add(ctx: OpsContext) {
  const title = userText(ctx.parsed.rest.replace(/^add\b\s*/i, ''), { slackEncoded: false, max: TITLE_MAX });
  try {
    await ctx.deps.slack.views.open({ trigger_id: ctx.command.trigger_id, view: buildImproveModal(title) });
    await ctx.ack();
  } catch (err) {
    ctx.deps.logger.warn({ err: describeError(err) }, 'could not open the improvement form');
    await ctx.ack(buildNotice(mrkdwn`:warning: I could not open the form (Slack refused it); nothing was saved. Try \`/ops improve add\` again.`));
  }
}

/** The monthly review's ranking, posted to the ops channel for everyone. */
async function review(ctx: OpsContext) {
  const channel = channelFor(ctx.deps.config, 'ops');
  await ctx.ack(buildNotice(mrkdwn`:hourglass_flowing_sand: Posting the improvement ranking to ${channelLink(channel)}…`));
  const now = ctx.deps.clock.now();
  const rows = await rankedImprovements(ctx.deps.db);
  const local = toLocal(now, ctx.deps.config.timezone);
  await ctx.deps.db.transaction((tx) =>
    enqueue(
      tx,
      {
        channel,
        ref: `improve-review:${ctx.command.trigger_id}`,
        ...buildRankingMessage(rows, ctx.deps.config.timezone, `Monthly improvement review — ${local.year}-${String(local.month).padStart(2, '0')}`),
      },
      now,
    ),
  );
  await deliverOutbox(ctx.deps, now);
  await tellUser(ctx.deps, ctx.respond, buildNotice(mrkdwn`:white_check_mark: Posted the ranking (${rows.length} open) to ${channelLink(channel)}.`), {
    replace: true,
  });
}

async function commit(ctx: OpsContext) {
  const [, idText = '', ownerText = '', dateText = '', ...rest] = ctx.parsed.args;
  const id = ID.exec(idText);
  const owner = USER.exec(ownerText);
  const deadline = parseDeadline(dateText, ctx.deps.config.timezone);
  const criteria = userText(rest.join(' '), { slackEncoded: false, max: 500 });
  if (!id || !owner || !deadline || !criteria)
    return ctx.ack(usage(mrkdwn`Give the improvement's id, its owner (@mention), a deadline (YYYY-MM-DD) and the success criteria.`));
  const now = ctx.deps.clock.now();
  if (deadline.getTime() <= now.getTime()) return ctx.ack(usage(mrkdwn`The deadline ${escapeMrkdwn(dateText)} has passed.`));
  const target = await getImprovement(ctx.deps.db, Number(id[1]));
  if (!target || target.state === 'done') return ctx.ack(buildNotice(mrkdwn`:warning: There is no open improvement #${escapeMrkdwn(id[1]!)}.`));
  const committed = (await rankedImprovements(ctx.deps.db)).filter((r) => r.state === 'committed' && r.id !== target.id);
  if (committed.length >= 3) {
    return ctx.ack(
      buildNotice(
        mrkdwn`:warning: Three improvements are already committed (${escapeMrkdwn(committed.map((r) => `#${r.id}`).join(', '))}): the guide implements the top three at a time. Close one with \`/ops improve done <id> <measured result>\` first.`,
      ),
    );
  }
  const ownerId = owner[1] ?? owner[2]!;
  const row = await commitImprovement(ctx.deps.db, { id: target.id, owner: ownerId, deadline, successCriteria: criteria, now });
  if (!row) return ctx.ack(buildNotice(mrkdwn`:warning: There is no open improvement #${target.id}.`));
  await ctx.ack(
    buildNotice(
      mrkdwn`:dart: Improvement #${row.id} *${escapeMrkdwn(row.title)}* is committed: owner ${mention(ownerId)}, deadline ${escapeMrkdwn(dateText)} (I remind them that morning), success when: _${escapeMrkdwn(criteria)}_.`,
    ),
  );
}

async function done(ctx: OpsContext) {
  const [, idText = '', ...rest] = ctx.parsed.args;
  const id = ID.exec(idText);
  const result = userText(rest.join(' '), { slackEncoded: false, max: 500 });
  if (!id || !result) return ctx.ack(usage(mrkdwn`Give the improvement's id and its measured result.`));
  const row = await closeImprovement(ctx.deps.db, { id: Number(id[1]), result, now: ctx.deps.clock.now() });
  if (!row)
    return ctx.ack(
      buildNotice(mrkdwn`:warning: Improvement #${escapeMrkdwn(id[1]!)} is not committed, so it cannot be closed (commit it first, or it is already done).`),
    );
  await ctx.ack(
    buildNotice(
      mrkdwn`:white_check_mark: Improvement #${row.id} *${escapeMrkdwn(row.title)}* is done. Measured result: _${escapeMrkdwn(result)}_ (success criteria were: _${escapeMrkdwn(row.successCriteria ?? '')}_).`,
    ),
  );
}

/** `/ops improve …`: the guide's monthly improvement review. */
export async function handleOpsImprove(ctx: OpsContext): Promise<void> {
  const verb = (ctx.parsed.args[0] ?? 'list').toLowerCase();
  const deciding = verb === 'commit' || verb === 'done' || verb === 'review';
  const refusal = deciding ? improveCommitRefusal(ctx.deps.config, ctx.command.user_id) : improveRefusal(ctx.deps.config, ctx.command.user_id);
  if (refusal) return ctx.ack(buildRefusal(refusal));
  if (verb === 'list') return list(ctx, 'Improvement opportunities by RICE score');
  if (verb === 'add') return add(ctx);
  if (verb === 'review') return review(ctx);
  if (verb === 'commit') return commit(ctx);
  if (verb === 'done') return done(ctx);
  return ctx.ack(usage(mrkdwn`Unknown \`improve\` action.`));
}

/** The RICE form's submit: checked again (the form is the user's), validated per field, stored once per form. */
function registerImproveModal(routes: ListenerRoutes, deps: Deps): void {
  routes.view<ViewSubmitAction>(ImproveIds.modal, async ({ ack, body, view }) => {
    const first = ImproveIds.field('title').block;
    const refusal = improveRefusal(deps.config, body.user.id);
    if (refusal) return void (await ack({ response_action: 'errors', errors: { [first]: refusal } }));
    const v = (f: 'title' | 'reach' | 'confidence' | 'effort') =>
      view.state.values[ImproveIds.field(f).block]?.[ImproveIds.field(f).action]?.value ?? undefined;
    const impact = view.state.values[ImproveIds.field('impact').block]?.[ImproveIds.field('impact').action]?.selected_option?.value ?? undefined;
    const title = userText(v('title'), { slackEncoded: false, max: TITLE_MAX });
    const parsed = parseRice({ reach: v('reach'), impact, confidence: v('confidence'), effort: v('effort') });
    const errors: Record<string, string> = {};
    if (!title) errors[first] = 'Say what the improvement is.';
    if (!parsed.ok) for (const [k, msg] of Object.entries(parsed.errors)) errors[ImproveIds.field(k as 'reach').block] = msg;
    if (Object.keys(errors).length || !parsed.ok) return void (await ack({ response_action: 'errors', errors }));
    const { row, created } = await addImprovement(deps.db, {
      ...parsed.value,
      title,
      createdBy: body.user.id,
      dedupeKey: `view:${view.id}`,
      now: deps.clock.now(),
    });
    await ack();
    if (!created) return;
    const ranked = await rankedImprovements(deps.db, 1000);
    const rank = ranked.findIndex((r) => r.id === row.id) + 1;
    const text = mrkdwn`:bulb: Improvement #${row.id} *${escapeMrkdwn(row.title)}* added: RICE score *${escapeMrkdwn(row.score)}*, ranked ${rank} of ${ranked.length}. \`/ops improve\` shows the ranking.`;
    await deps.slack.chat
      .postMessage({ channel: body.user.id, ...buildNotice(text) })
      .catch((err: unknown) => deps.logger.warn({ err: describeError(err) }, 'could not confirm the improvement by DM'));
  });
}

export const improveSubcommand: OpsSubcommand = {
  usage: USAGE,
  description: 'improvement opportunities, RICE-scored and ranked; the monthly review commits the top three',
  run: handleOpsImprove,
};

/** The form of `/ops improve add` (the subcommand itself is a row of commands/ops-subcommands.ts). */
export function registerOpsImprove(routes: ListenerRoutes, deps: Deps): void {
  registerImproveModal(routes, deps);
}

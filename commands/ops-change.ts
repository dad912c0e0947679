import { channelLink, escapeMrkdwn, joinMrkdwn, mention, mrkdwn } from '../blocks/format';
import { buildNotice, buildRefusal } from '../blocks/help';
import { channelFor } from '../src/deps';
import { findRunbook } from '../src/changes/runbooks';
import { startChange } from '../src/changes/flow';
import { CHANGE_PROBE_LINK_KIND, probeLinksOf, recentChanges } from '../src/changes/store';
import { failChange, formatHours } from '../src/changes/failure';
import { changeRefusal } from '../src/rights';
import { userText } from '../src/user-text';
import type { OpsContext, OpsSubcommand } from './ops-context';
import { tellUser } from './respond';

const USAGE = 'change <kind> <what is changing> | change failed <id> <what happened>';

/** `/ops change <kind> <what>`: records the change and posts its runbook to the changes channel. */
export async function handleOpsChange(ctx: OpsContext): Promise<void> {
  const { deps, parsed, command } = ctx;
  const refusal = changeRefusal(deps.config, command.user_id);
  if (refusal) return ctx.ack(buildRefusal(refusal));
  if (parsed.args[0]?.toLowerCase() === 'failed') return handleFailed(ctx);
  const kinds = deps.config.changes.runbooks.map((r) => r.id).join(', ');
  const rb = parsed.args[0] ? findRunbook(deps.config.changes, parsed.args[0]) : undefined;
  const what = userText(parsed.rest.replace(/^\S+\s*/, ''), { slackEncoded: false, max: 150 });
  if (!rb || !what) {
    const problem =
      parsed.args[0] && !rb
        ? mrkdwn`Unknown change kind \`${escapeMrkdwn(parsed.args[0].slice(0, 40))}\`.`
        : mrkdwn`Say which kind of change and what is changing.`;
    return ctx.ack(buildNotice(mrkdwn`:warning: ${problem} Usage: \`/ops ${escapeMrkdwn(USAGE)}\` — kinds: ${escapeMrkdwn(kinds)}.`));
  }
  const channel = channelFor(deps.config, deps.config.changes.channel);
  await ctx.ack(
    buildNotice(mrkdwn`:hourglass_flowing_sand: Recording the change and posting the *${escapeMrkdwn(rb.name)}* runbook to ${channelLink(channel)}…`),
  );
  // Keyed by the request's trigger_id: Slack's retry of this request records nothing new.
  const outcome = await startChange(deps, rb, what, command.user_id, command.trigger_id);
  const answer =
    outcome.kind === 'already'
      ? mrkdwn`:information_source: This request already recorded the change.`
      : outcome.posted
        ? mrkdwn`:white_check_mark: Change #${outcome.run.id} recorded; its ${rb.steps.length} steps are in ${channelLink(channel)}. Rollback plan: ${escapeMrkdwn(rb.rollback.join('; ') || 'none in the runbook')}.`
        : mrkdwn`:hourglass: Change #${outcome.run.id} is recorded, but Slack did not take the runbook yet; it will appear in ${channelLink(channel)} when Slack answers.`;
  await tellUser(deps, ctx.respond, buildNotice(answer), { replace: true });
}

/** `/ops change failed <id> <what happened>`: an incident linked to the change, and the rollback deadline as a timer. */
async function handleFailed(ctx: OpsContext): Promise<void> {
  const id = /^#?(\d{1,12})$/.exec(ctx.parsed.args[1] ?? '');
  const what = userText(ctx.parsed.args.slice(2).join(' '), { slackEncoded: false, max: 150 });
  if (!id || !what) return ctx.ack(buildNotice(mrkdwn`:warning: Usage: \`/ops change failed <id> <what happened>\` — the id is in \`/ops changes\`.`));
  await ctx.ack(buildNotice(mrkdwn`:hourglass_flowing_sand: Marking change #${escapeMrkdwn(id[1]!)} failed…`));
  const out = await failChange(ctx.deps, { runId: Number(id[1]), what, userId: ctx.command.user_id });
  const answer =
    out.kind === 'not_found'
      ? mrkdwn`:warning: There is no change #${escapeMrkdwn(id[1]!)}.`
      : mrkdwn`:rotating_light: Change #${out.run.id} is marked failed: incident #${out.incident.incident.id}${out.incident.kind === 'duplicate' ? mrkdwn` (already declared)` : mrkdwn``} follows it on the incident engine; roll back within ${escapeMrkdwn(formatHours(out.hours))}.`;
  await tellUser(ctx.deps, ctx.respond, buildNotice(answer), { replace: true });
}

/** `/ops changes`: the recent changes with their progress. */
export async function handleOpsChanges(ctx: OpsContext): Promise<void> {
  await ctx.ack(buildNotice(mrkdwn`:hourglass_flowing_sand: Listing recent changes…`));
  const rows = await recentChanges(ctx.deps.db, 10);
  const links = await probeLinksOf(
    ctx.deps.db,
    CHANGE_PROBE_LINK_KIND,
    rows.map((r) => r.run.id),
  );
  const lines = rows.map(({ run, signed, total }) => {
    const name = (run.definition as { name?: string }).name ?? run.checklistId;
    const state = run.state === 'complete' ? mrkdwn`:white_check_mark: done` : mrkdwn`${signed}/${total} steps signed`;
    // Failed probes linked to the change (during its monitoring window), one line each.
    const linked = links
      .filter((l) => l.runId === run.id)
      .map(
        (l) =>
          mrkdwn`    :link: \`${escapeMrkdwn(l.probe)}\` ${escapeMrkdwn(l.status)} during its monitoring window — ${escapeMrkdwn(l.summary.slice(0, 120))}`,
      );
    return mrkdwn`• #${run.id} ${escapeMrkdwn(name)} — ${state}${run.requestedBy ? mrkdwn` · by ${mention(run.requestedBy)}` : mrkdwn``}${linked.length ? mrkdwn`\n${joinMrkdwn(linked)}` : mrkdwn``}`;
  });
  const text = lines.length
    ? mrkdwn`*Recent changes*\n${joinMrkdwn(lines)}`
    : mrkdwn`_No change is recorded. Record one with \`/ops ${escapeMrkdwn(USAGE)}\`._`;
  await tellUser(ctx.deps, ctx.respond, buildNotice(text), { replace: true });
}

export const changeSubcommand: OpsSubcommand = {
  usage: USAGE,
  description: "record a change and post the guide's runbook for it (mobile-minor, ghl-workflow, aws…)",
  run: handleOpsChange,
};
export const changesSubcommand: OpsSubcommand = { usage: 'changes', description: 'recent changes and their progress', run: handleOpsChanges };

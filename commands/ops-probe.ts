import { clipMrkdwn, escapeMrkdwn, joinMrkdwn, mrkdwn, type Mrkdwn } from '../blocks/format';
import type { Message } from '../blocks/limits';
import { capText } from '../src/user-text';
import { buildProbeResults } from '../blocks/probe';
import { buildNotice, buildUsageMessage, buildRefusal } from '../blocks/help';
import { PROBE_NAMES, type ProbeName } from '../src/probes';
import { afterProbeResults, recordProbeResults, runNamedProbes } from '../src/runs/probes';
import { formatEvidence } from '../src/runs/view';
import { probeRefusal } from '../src/rights';
import type { OpsContext } from './ops-context';

export const PROBE_USAGE = `probe <${PROBE_NAMES.join('|')}|all> [here]`;

/** `/ops probe <name>|all [here]`: ack at once, run, answer ephemerally (or in the channel with `here`). */
export async function runProbeCommand(ctx: OpsContext): Promise<void> {
  const refusal = probeRefusal(ctx.deps.config, ctx.command.user_id);
  if (refusal) return ctx.ack(buildRefusal(refusal));
  const [target, where, ...extra] = ctx.parsed.args.map((a) => a.toLowerCase());
  const names: ProbeName[] | null = target === 'all' ? [...PROBE_NAMES] : PROBE_NAMES.includes(target as ProbeName) ? [target as ProbeName] : null;
  if (!names || (where !== undefined && where !== 'here') || extra.length > 0) {
    const problem = target ? mrkdwn`Unknown probe \`${escapeMrkdwn(capText(target, 30))}\`.` : mrkdwn`Which probe?`;
    await ctx.ack(buildUsageMessage('/ops', [{ usage: PROBE_USAGE, description: 'run probes now; "here" posts the result in the channel' }], problem));
    return;
  }
  await ctx.ack(
    buildNotice(
      mrkdwn`:hourglass_flowing_sand: Running ${names.length === 1 ? mrkdwn`the \`${escapeMrkdwn(names[0]!)}\` probe` : mrkdwn`${names.length} probes`}…`,
    ),
  );
  const results = await runNamedProbes(ctx.deps, names);
  await recordProbeResults(ctx.deps.db, results);
  // A failure during a change's monitoring window is linked to the change: said here too.
  const links = await afterProbeResults(ctx.deps, results);
  const message = withLinks(
    buildProbeResults(
      results.map((r) => ({ probe: r.probe, status: r.status, summary: r.summary, evidence: formatEvidence(r.evidence, 8), durationMs: r.durationMs })),
      ctx.command.user_id,
    ),
    links,
  );
  if (where !== 'here') {
    // The results take the place of the "Running…" placeholder.
    await ctx.respond({ response_type: 'ephemeral', replace_original: true, ...message });
    return;
  }
  await ctx.respond({ response_type: 'in_channel', replace_original: false, ...message });
  await ctx.respond({ response_type: 'ephemeral', replace_original: true, ...buildNotice(mrkdwn`:white_check_mark: The results are posted in this channel.`) });
}

/** The probe results with a line per change a failure was linked to. */
function withLinks(message: Message, links: readonly Mrkdwn[]): Message {
  if (links.length === 0) return message;
  return { ...message, blocks: [...(message.blocks ?? []), { type: 'section', text: { type: 'mrkdwn', text: clipMrkdwn(joinMrkdwn(links), 3000) } }] };
}

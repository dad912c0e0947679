import { adviceFromStored } from '../src/slack/errors';
import { escapeMrkdwn, mrkdwn } from '../blocks/format';
import { buildScheduleList, buildStatus, type StatusLine } from '../blocks/calendar';
import { drTestText } from '../blocks/dr';
import { latestDrTest } from '../src/dr/history';
import { drHistoryRefusal } from '../src/rights';
import { channelFor } from '../src/deps';
import { describeSchedule, nextOccurrence, parseCron, toLocal, wallTimeToInstant } from '../src/schedule';
import { loadDayRuns } from '../src/runs/day';
import { formatInZone } from '../src/runs/view';
import { FAILURE_WINDOW_MS, recentSlackFailures, type SlackFailure } from '../src/slack/failures';
import type { OpsContext } from './ops-context';

const when = (at: Date, tz: string) =>
  formatInZone(at, tz, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hour12: false });

export async function handleList(ctx: OpsContext): Promise<void> {
  const { config } = ctx.deps;
  const now = ctx.deps.clock.now();
  const lines = config.checklists.map((c) => ({
    id: c.id,
    name: c.name,
    alias: c.aliases[0] ?? c.id,
    when: describeSchedule(c.schedule),
    nextText: when(nextOccurrence(parseCron(c.schedule), config.timezone, now), config.timezone),
    durationMinutes: c.durationMinutes,
    channel: channelFor(config, c.channel),
  }));
  await ctx.ack(buildScheduleList(lines, config.timezone));
}

/** Midnight to midnight of the business day that contains `now`. */
export function businessDay(now: Date, tz: string): { start: Date; end: Date } {
  const l = toLocal(now, tz);
  const start = new Date(wallTimeToInstant({ year: l.year, month: l.month, day: l.day, hour: 0, minute: 0 }, tz));
  const next = new Date(Date.UTC(l.year, l.month - 1, l.day + 1));
  const end = new Date(wallTimeToInstant({ year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate(), hour: 0, minute: 0 }, tz));
  return { start, end };
}

export async function handleStatus(ctx: OpsContext): Promise<void> {
  const { deps } = ctx;
  const tz = deps.config.timezone;
  // The ack first: the query and Slack's permalinks come after it.
  await ctx.ack({ text: mrkdwn`:hourglass_flowing_sand: Gathering today…` });
  const { start, end } = businessDay(deps.clock.now(), tz);
  const runs = await loadDayRuns(deps.db, start, end);
  const links = await Promise.all(runs.map((r) => (r.messageTs ? deps.permalinks.of(r.channel, r.messageTs) : Promise.resolve(undefined))));
  const lines: StatusLine[] = runs.map((r, i) => ({
    name: r.name,
    timeText: formatInZone(new Date(r.at), tz, { hour: '2-digit', minute: '2-digit', hour12: false }),
    state: r.state,
    late: r.late,
    onDemand: r.kind === 'on_demand',
    signed: r.signed,
    total: r.total,
    problems: r.problems,
    ...(links[i] ? { link: links[i] } : {}),
  }));
  const failures = await recentSlackFailures(deps.db, new Date(deps.clock.now().getTime() - FAILURE_WINDOW_MS), 10);
  const refused = failures.map(
    (f) =>
      mrkdwn`:x: ${escapeMrkdwn(failureSubject(f))}, ${escapeMrkdwn(formatInZone(f.at, tz, { hour: '2-digit', minute: '2-digit', hour12: false }))}: ${adviceFromStored(`${f.error}: ${f.reason}`, f.channel)}`,
  );
  const status = buildStatus(formatInZone(start, tz, { weekday: 'long', day: 'numeric', month: 'long' }), lines, refused);
  // The newest DR test and its result, whatever day it ran (the guide's tests are monthly).
  // Only for whoever may read the DR history (`rights.drHistory`), as `/ops dr`.
  const dr = drHistoryRefusal(deps.config, ctx.command.user_id) ? undefined : await latestDrTest(deps);
  if (dr) status.blocks?.push({ type: 'section', text: { type: 'mrkdwn', text: mrkdwn`*Latest DR test:* ${drTestText(dr, 'short')}` } });
  // Replaces the "Gathering today…" placeholder.
  await ctx.respond({ response_type: 'ephemeral', replace_original: true, ...status });
}

function failureSubject(f: SlackFailure): string {
  if (f.owner === 'run') return `Checklist run ${Number(f.refId)}`;
  if (f.owner === 'incident') return `Announcement of incident #${Number(f.refId)}`;
  if (f.owner === 'incident-channel') return `Dedicated channel of incident #${Number(f.refId)}`;
  return `Message ${Number(f.refId)} (page or timeline entry)`;
}

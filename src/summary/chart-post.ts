import type { Deps } from '../deps';
import { describeError } from '../errors';
import { conversationId } from '../slack/send-once';
import { chartAltText, gatherChartWeeks, renderChart } from './chart';
import type { IncidentFactsSource } from './incident-facts';
import type { IsoWeek } from './week';

/**
 * Adds the leadership chart (8 weeks of checklist completion, incidents by severity, time to
 * acknowledge against the SLA) in the summary's thread. Best effort: the summary is already
 * posted, so a chart that cannot be drawn or uploaded is logged, and the summary stands alone.
 */
export async function postSummaryChart(
  deps: Deps,
  week: IsoWeek,
  channel: string,
  threadTs: string,
  incidents?: IncidentFactsSource,
): Promise<{ fileId?: string } | { error: string }> {
  try {
    const started = performance.now();
    const weeks = await gatherChartWeeks(deps.db, deps.config, week, deps.clock.now(), incidents ? { incidents } : {});
    const png = renderChart(weeks);
    const channelId = await conversationId(deps, channel);
    if (!channelId) throw new Error(`no channel id for ${channel}`);
    const res = (await deps.slack.files.uploadV2({
      channel_id: channelId,
      thread_ts: threadTs,
      file: png,
      filename: `drainpro-${week.key}.png`,
      title: `Last 8 weeks to ${week.key}`,
      alt_text: chartAltText(weeks),
    })) as { files?: { files?: { id?: string }[] }[] };
    const fileId = res.files?.[0]?.files?.[0]?.id;
    deps.logger.info({ week: week.key, bytes: png.length, ms: Math.round(performance.now() - started) }, 'weekly summary chart posted');
    return fileId ? { fileId } : {};
  } catch (err) {
    deps.logger.warn({ week: week.key, err: describeError(err) }, 'weekly summary posted without its chart: the chart could not be drawn or uploaded');
    return { error: describeError(err) };
  }
}

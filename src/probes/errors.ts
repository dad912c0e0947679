import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { raceAbort } from './abort';
import { AWS_REQUIRED, createCloudWatchClient, loadCloudWatchSdk } from './aws';
import { missingVars, secretValues, type ProbeEnv } from './env';
import { probeTargets } from './hints';
import { errorOutcome, MalformedResponseError } from './errors-map';
import { outcome, skipped } from './outcome';
import type { ProbeSettings } from './settings';
import type { Probe, ProbeContext, ProbeOutcome } from './types';

/** Hourly buckets: 24 datapoints a day stays far below the API's 1440-point limit. */
const PERIOD_SECONDS = 3600;

/** Morning checklist item 2 ("Error count should be < 10"): sum of the error metric over the window. */
export function createErrorsProbe(env: ProbeEnv, settings: ProbeSettings, deps: { client?: CloudWatchClient } = {}): Probe {
  const secrets = secretValues(env);
  const cfg = settings.errors;
  let client = deps.client;
  return {
    name: 'errors',
    async run(ctx: ProbeContext): Promise<ProbeOutcome> {
      const missing = missingVars(env, AWS_REQUIRED);
      if (missing.length > 0) return skipped(missing);
      client ??= await createCloudWatchClient(env, settings.timeoutMs);
      const { GetMetricStatisticsCommand } = await loadCloudWatchSdk();
      const end = ctx.now;
      const start = new Date(end.getTime() - cfg.windowHours * 3_600_000);
      try {
        const cmd = new GetMetricStatisticsCommand({
          Namespace: cfg.namespace,
          MetricName: cfg.metricName,
          Dimensions: cfg.dimensions,
          StartTime: start,
          EndTime: end,
          Period: PERIOD_SECONDS,
          Statistics: ['Sum'],
        });
        const res = await raceAbort(client.send(cmd, { abortSignal: ctx.signal }), ctx.signal);
        if (!Array.isArray(res.Datapoints)) throw new MalformedResponseError('CloudWatch', 'no Datapoints');
        const sum = res.Datapoints.reduce((acc, d) => acc + (d.Sum ?? 0), 0);
        return judgeErrors(sum, res.Datapoints.length, settings);
      } catch (err) {
        return errorOutcome('CloudWatch', err, secrets, settings.timeoutMs, probeTargets.cloudwatch(env));
      }
    },
  };
}

export function judgeErrors(sum: number, datapoints: number, settings: ProbeSettings): ProbeOutcome {
  const { threshold, warnRatio, windowHours, namespace, metricName } = settings.errors;
  const evidence = { sum, datapoints, threshold, metric: `${namespace}/${metricName}`, windowHours };
  const label = `${sum} error${sum === 1 ? '' : 's'} in ${windowHours} h`;
  if (sum >= threshold) return outcome('fail', `${label} (limit: under ${threshold})`, evidence);
  if (sum >= threshold * warnRatio && sum > 0) return outcome('warn', `${label}, close to the limit of ${threshold}`, evidence);
  if (datapoints === 0) return outcome('ok', `no errors recorded in ${windowHours} h (metric had no datapoints)`, evidence);
  return outcome('ok', `${label} (limit: under ${threshold})`, evidence);
}

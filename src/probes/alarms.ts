import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { raceAbort } from './abort';
import { AWS_REQUIRED, createCloudWatchClient, loadCloudWatchSdk } from './aws';
import { missingVars, secretValues, type ProbeEnv } from './env';
import { probeTargets } from './hints';
import { errorOutcome, MalformedResponseError } from './errors-map';
import { cap, outcome, skipped } from './outcome';
import type { ProbeSettings } from './settings';
import type { Probe, ProbeContext, ProbeOutcome } from './types';

const MAX_PAGES = 20;

interface FiringAlarm {
  name: string;
  reason: string;
  since?: string;
  kind: 'metric' | 'composite';
}

/** Morning checklist item 3: any CloudWatch alarm in ALARM state fails the check. */
export function createAlarmsProbe(env: ProbeEnv, settings: ProbeSettings, deps: { client?: CloudWatchClient } = {}): Probe {
  const secrets = secretValues(env);
  let client = deps.client;
  return {
    name: 'alarms',
    async run(ctx: ProbeContext): Promise<ProbeOutcome> {
      const missing = missingVars(env, AWS_REQUIRED);
      if (missing.length > 0) return skipped(missing);
      client ??= await createCloudWatchClient(env, settings.timeoutMs);
      try {
        const firing = await listFiring(client, settings.alarms.namePrefix, ctx.signal);
        return judgeAlarms(firing, settings.alarms.maxListed);
      } catch (err) {
        return errorOutcome('CloudWatch', err, secrets, settings.timeoutMs, probeTargets.cloudwatch(env));
      }
    },
  };
}

async function listFiring(client: CloudWatchClient, prefix: string | undefined, signal: AbortSignal): Promise<FiringAlarm[]> {
  const { DescribeAlarmsCommand } = await loadCloudWatchSdk();
  const firing: FiringAlarm[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const cmd = new DescribeAlarmsCommand({
      StateValue: 'ALARM',
      AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
      ...(prefix ? { AlarmNamePrefix: prefix } : {}),
      ...(nextToken ? { NextToken: nextToken } : {}),
    });
    const res = await raceAbort(client.send(cmd, { abortSignal: signal }), signal);
    // CloudWatch always lists the alarm types asked for (empty when none fire): an answer without
    // either list (an empty body, a proxy's page) must not read as "no alarms".
    if (!Array.isArray(res?.MetricAlarms) && !Array.isArray(res?.CompositeAlarms))
      throw new MalformedResponseError('CloudWatch', 'no alarm lists in the answer');
    for (const a of res.MetricAlarms ?? []) {
      firing.push({ name: a.AlarmName ?? '(unnamed)', reason: a.StateReason ?? '', since: a.StateUpdatedTimestamp?.toISOString(), kind: 'metric' });
    }
    for (const a of res.CompositeAlarms ?? []) {
      firing.push({ name: a.AlarmName ?? '(unnamed)', reason: a.StateReason ?? '', since: a.StateUpdatedTimestamp?.toISOString(), kind: 'composite' });
    }
    nextToken = res.NextToken;
    if (!nextToken) break;
  }
  return firing;
}

export function judgeAlarms(firing: readonly FiringAlarm[], maxListed: number): ProbeOutcome {
  if (firing.length === 0) return outcome('ok', 'no CloudWatch alarms firing', { count: 0, alarms: [] });
  const { items, truncated } = cap(firing, maxListed);
  const names = items.map((a) => a.name);
  const shown = names.slice(0, 3).join(', ');
  const more = firing.length > 3 ? ` and ${firing.length - 3} more` : '';
  return outcome('fail', `${firing.length} alarm${firing.length === 1 ? '' : 's'} firing: ${shown}${more}`, {
    count: firing.length,
    alarms: items.map((a) => ({ ...a, reason: a.reason.slice(0, 300) })),
    truncated,
  });
}

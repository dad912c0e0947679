import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { raceAbort } from './abort';
import { AWS_REQUIRED, createCloudWatchClient, loadCloudWatchSdk } from './aws';
import { missingVars, secretValues, type ProbeEnv } from './env';
import { probeTargets } from './hints';
import { errorOutcome, MalformedResponseError } from './errors-map';
import { fetchJson } from './health-fetch';
import { outcome, skipped, worst } from './outcome';
import type { ProbeSettings } from './settings';
import type { Probe, ProbeContext, ProbeOutcome, ProbeStatus } from './types';

/** States that mean the agent itself broke, not merely that it is paused. */
const BROKEN = new Set(['failed', 'error', 'crashed', 'stopped']);
const PERIOD_SECONDS = 300;

interface AgentInfo {
  status?: string;
  lastRun?: string;
}

/**
 * Morning checklist item 5: the Monitor Agent must have run within `monitorMaxGapMinutes`
 * (guide: every 15–60 min) and every agent should be "active". Policy: a monitor gap or an
 * agent in a broken state (failed/error/crashed/stopped) is `fail`; any other non-active
 * state (idle, paused…) is `warn`. The Diagnostic and Optimizing agents run only when needed,
 * so only the monitor's last run is checked for age. With source 'cloudwatch' only the
 * monitor's run metric is available, so agent states are not judged.
 */
export function createAgentsProbe(env: ProbeEnv, settings: ProbeSettings, deps: { client?: CloudWatchClient } = {}): Probe {
  const secrets = secretValues(env);
  const cfg = settings.agents;
  let client = deps.client;
  return {
    name: 'agents',
    async run(ctx: ProbeContext): Promise<ProbeOutcome> {
      if (cfg.source === 'health') {
        const missing = missingVars(env, ['HEALTH_URL']);
        if (missing.length > 0 || !env.HEALTH_URL) return skipped(missing);
        try {
          const { body } = await fetchJson(env.HEALTH_URL, ctx.signal, settings.timeoutMs, 'health endpoint');
          return judgeAgents(parseAgents(body), ctx.now, cfg.monitorMaxGapMinutes);
        } catch (err) {
          return errorOutcome('health endpoint', err, secrets, settings.timeoutMs, probeTargets.health(env));
        }
      }
      const missing = missingVars(env, AWS_REQUIRED);
      if (missing.length > 0) return skipped(missing);
      try {
        const cw = (client ??= await createCloudWatchClient(env, settings.timeoutMs));
        const lastRun = await lastMonitorRun(cw, settings, ctx);
        return judgeAgents({ [cfg.cloudwatch.monitorAgent]: { status: 'active', lastRun } }, ctx.now, cfg.monitorMaxGapMinutes, cfg.cloudwatch.monitorAgent);
      } catch (err) {
        return errorOutcome('CloudWatch', err, secrets, settings.timeoutMs, probeTargets.cloudwatch(env));
      }
    },
  };
}

function parseAgents(body: Record<string, unknown>): Record<string, AgentInfo> {
  const raw = body.agents;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new MalformedResponseError('health endpoint', 'no "agents" section');
  }
  const out: Record<string, AgentInfo> = {};
  for (const [name, v] of Object.entries(raw as Record<string, unknown>)) {
    const a = (typeof v === 'object' && v !== null ? v : {}) as Record<string, unknown>;
    out[name] = {
      ...(typeof a.status === 'string' ? { status: a.status } : {}),
      ...(typeof a.last_run === 'string' ? { lastRun: a.last_run } : {}),
    };
  }
  return out;
}

/** End of the newest 5-minute bucket in the last day that recorded a monitor run. */
async function lastMonitorRun(cw: CloudWatchClient, settings: ProbeSettings, ctx: ProbeContext): Promise<string | undefined> {
  const c = settings.agents.cloudwatch;
  const { GetMetricStatisticsCommand } = await loadCloudWatchSdk();
  const cmd = new GetMetricStatisticsCommand({
    Namespace: c.namespace,
    MetricName: c.metricName,
    Dimensions: [{ Name: c.agentDimension, Value: c.monitorAgent }],
    StartTime: new Date(ctx.now.getTime() - 86_400_000),
    EndTime: ctx.now,
    Period: PERIOD_SECONDS,
    Statistics: ['Sum'],
  });
  const res = await raceAbort(cw.send(cmd, { abortSignal: ctx.signal }), ctx.signal);
  const times = (res.Datapoints ?? [])
    .filter((d) => (d.Sum ?? 0) > 0 && d.Timestamp instanceof Date)
    .map((d) => (d.Timestamp as Date).getTime() + PERIOD_SECONDS * 1000);
  return times.length > 0 ? new Date(Math.min(Math.max(...times), ctx.now.getTime())).toISOString() : undefined;
}

export function judgeAgents(agents: Record<string, AgentInfo>, now: Date, maxGapMinutes: number, monitorName = 'monitor'): ProbeOutcome {
  const findings: { status: ProbeStatus; text: string }[] = [];
  const monitor = agents[monitorName];
  let gapMinutes: number | undefined;
  if (!monitor) {
    findings.push({ status: 'fail', text: `${monitorName} agent not reported` });
  } else {
    const last = monitor.lastRun ? Date.parse(monitor.lastRun) : Number.NaN;
    if (Number.isNaN(last)) {
      findings.push({ status: 'fail', text: `${monitorName} agent has no recorded run` });
    } else {
      gapMinutes = Math.round((now.getTime() - last) / 60_000);
      if (gapMinutes > maxGapMinutes) findings.push({ status: 'fail', text: `${monitorName} agent last ran ${gapMinutes} min ago (max ${maxGapMinutes})` });
    }
  }
  for (const [name, a] of Object.entries(agents)) {
    if (a.status === 'active') continue;
    const state = a.status ?? 'unreported';
    findings.push({ status: BROKEN.has(state) ? 'fail' : 'warn', text: `${name} agent ${state}` });
  }
  const evidence = { agents, monitorGapMinutes: gapMinutes, maxGapMinutes };
  if (findings.length === 0) {
    const names = Object.keys(agents);
    return outcome('ok', `${names.length} agent${names.length === 1 ? '' : 's'} active; ${monitorName} ran ${gapMinutes} min ago`, evidence);
  }
  return outcome(worst(findings.map((f) => f.status)), findings.map((f) => f.text).join('; '), evidence);
}

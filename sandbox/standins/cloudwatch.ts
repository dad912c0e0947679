import { json, sigV4AccessKey, startStandin, type RecordedRequest, type Reply, type Standin, type StandinHooks } from './server';

/**
 * CloudWatch over AWS JSON 1.0, the protocol @aws-sdk/client-cloudwatch 3.11xx speaks:
 * POST / with `x-amz-target: GraniteServiceVersion20100801.<Operation>` and
 * `content-type: application/x-amz-json-1.0`; timestamps are epoch seconds; errors carry
 * `__type` plus the `x-amzn-query-error` header (the service is "awsQueryCompatible").
 */
const TARGET_PREFIX = 'GraniteServiceVersion20100801.';

export interface StandinAlarm {
  AlarmName: string;
  StateValue?: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
  StateReason?: string;
  StateUpdatedTimestamp?: Date;
  Composite?: boolean;
}

export interface StandinDatapoint {
  Timestamp: Date;
  Sum: number;
}

export interface StandinMetric {
  Namespace: string;
  MetricName: string;
  /** Matched exactly against the request's dimensions (order-insensitive). */
  Dimensions?: { Name: string; Value: string }[];
  Datapoints: StandinDatapoint[];
}

export interface CloudWatchState {
  alarms?: StandinAlarm[];
  metrics?: StandinMetric[];
  /** DescribeAlarms page size (the real default is 50). */
  pageSize?: number;
  /** When set, requests signed with another access key get 403 InvalidClientTokenId. */
  accessKeyId?: string;
}

export interface CloudWatchStandin extends Standin {
  state: CloudWatchState;
  /** Operation names (DescribeAlarms, GetMetricStatistics…) in request order. */
  operations(): string[];
}

const epoch = (d: Date): number => d.getTime() / 1000;

function awsError(status: number, code: string, message: string): Reply {
  return json(
    status,
    { __type: `com.amazonaws.cloudwatch#${code}`, message },
    {
      'content-type': 'application/x-amz-json-1.0',
      'x-amzn-query-error': `${code};${status >= 500 ? 'Receiver' : 'Sender'}`,
    },
  );
}

function operationOf(req: RecordedRequest): string {
  const target = req.headers['x-amz-target'];
  return typeof target === 'string' && target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
}

function toDate(v: unknown): Date {
  return typeof v === 'number' ? new Date(v * 1000) : new Date(String(v));
}

function describeAlarms(state: CloudWatchState, input: Record<string, unknown>): Reply {
  const pageSize = state.pageSize ?? 50;
  const types = (input.AlarmTypes as string[] | undefined) ?? ['MetricAlarm'];
  const matching = (state.alarms ?? []).filter(
    (a) =>
      (!input.StateValue || (a.StateValue ?? 'OK') === input.StateValue) &&
      (!input.AlarmNamePrefix || a.AlarmName.startsWith(String(input.AlarmNamePrefix))) &&
      types.includes(a.Composite ? 'CompositeAlarm' : 'MetricAlarm'),
  );
  const start = input.NextToken ? Number(String(input.NextToken).replace('token-', '')) : 0;
  const page = matching.slice(start, start + pageSize);
  const next = start + pageSize < matching.length ? `token-${start + pageSize}` : undefined;
  const render = (a: StandinAlarm) => ({
    AlarmName: a.AlarmName,
    AlarmArn: `arn:aws:cloudwatch:us-east-1:123456789012:alarm:${a.AlarmName}`,
    StateValue: a.StateValue ?? 'OK',
    StateReason: a.StateReason ?? '',
    StateUpdatedTimestamp: epoch(a.StateUpdatedTimestamp ?? new Date()),
  });
  return json(
    200,
    {
      MetricAlarms: page.filter((a) => !a.Composite).map(render),
      CompositeAlarms: page.filter((a) => a.Composite).map(render),
      ...(next ? { NextToken: next } : {}),
    },
    { 'content-type': 'application/x-amz-json-1.0' },
  );
}

function sameDimensions(a: { Name: string; Value: string }[] = [], b: { Name: string; Value: string }[] = []): boolean {
  const key = (d: { Name: string; Value: string }[]) =>
    d
      .map((x) => `${x.Name}=${x.Value}`)
      .sort()
      .join('&');
  return key(a) === key(b);
}

function getMetricStatistics(state: CloudWatchState, input: Record<string, unknown>): Reply {
  const start = toDate(input.StartTime).getTime();
  const end = toDate(input.EndTime).getTime();
  const metric = (state.metrics ?? []).find(
    (m) =>
      m.Namespace === input.Namespace &&
      m.MetricName === input.MetricName &&
      sameDimensions(m.Dimensions, input.Dimensions as { Name: string; Value: string }[] | undefined),
  );
  const points = (metric?.Datapoints ?? []).filter((d) => d.Timestamp.getTime() >= start && d.Timestamp.getTime() < end);
  return json(
    200,
    { Label: String(input.MetricName ?? ''), Datapoints: points.map((d) => ({ Timestamp: epoch(d.Timestamp), Sum: d.Sum, Unit: 'Count' })) },
    { 'content-type': 'application/x-amz-json-1.0' },
  );
}

/** Request handling without a server, so one endpoint can serve several AWS services (see aws.ts). */
export function cloudWatchHooks(state: CloudWatchState): StandinHooks {
  return {
    handle(req) {
      if (state.accessKeyId && sigV4AccessKey(req.headers) !== state.accessKeyId) {
        return awsError(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.');
      }
      const input = req.body ? (JSON.parse(req.body) as Record<string, unknown>) : {};
      switch (operationOf(req)) {
        case 'DescribeAlarms':
          return describeAlarms(state, input);
        case 'GetMetricStatistics':
          return getMetricStatistics(state, input);
        default:
          return awsError(400, 'InvalidAction', `stand-in does not implement ${String(req.headers['x-amz-target'])}`);
      }
    },
    errorReply: (status) =>
      status === 401 || status === 403
        ? awsError(status, 'InvalidClientTokenId', 'The security token included in the request is invalid.')
        : awsError(status, 'InternalServiceFault', 'Internal service error'),
    malformedReply: () => ({ status: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: '{"MetricAlarms": [ {"AlarmName": ' }),
  };
}

export function isCloudWatchRequest(req: RecordedRequest): boolean {
  return operationOf(req) !== '';
}

export async function startCloudWatchStandin(state: CloudWatchState = {}): Promise<CloudWatchStandin> {
  const base = await startStandin(cloudWatchHooks(state));
  return { ...base, state, operations: () => base.requests.map(operationOf) };
}

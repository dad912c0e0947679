import { cloudWatchHooks, isCloudWatchRequest, type CloudWatchState } from './cloudwatch';
import { s3Hooks, type S3State } from './s3';
import { startStandin, type RecordedRequest, type Standin, type StandinHooks } from './server';

/**
 * One endpoint for CloudWatch and S3, like LocalStack: the app has a single AWS_ENDPOINT_URL.
 * Requests carrying `x-amz-target: GraniteServiceVersion20100801.*` go to CloudWatch, the rest to S3.
 */
export interface AwsStandin extends Standin {
  cloudwatch: CloudWatchState;
  s3: S3State;
}

export async function startAwsStandin(state: { cloudwatch?: CloudWatchState; s3?: S3State } = {}): Promise<AwsStandin> {
  const cloudwatch = state.cloudwatch ?? {};
  const s3 = state.s3 ?? {};
  const cw = cloudWatchHooks(cloudwatch);
  const s3h = s3Hooks(s3);
  const pick = (req: RecordedRequest): StandinHooks => (isCloudWatchRequest(req) ? cw : s3h);
  const base = await startStandin({
    handle: (req) => pick(req).handle(req),
    errorReply: (status, req) => pick(req).errorReply(status, req),
    malformedReply: (req) => pick(req).malformedReply(req),
  });
  return { ...base, cloudwatch, s3 };
}

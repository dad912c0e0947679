/** Local HTTP stand-ins of the outside APIs the probes read; reusable by a demo sandbox. */
export { startStandin, type Fault, type RecordedRequest, type Reply, type Standin, type StandinHooks } from './server';
export { startHealthStandin, GUIDE_HEALTH_BODY, type HealthStandin, type HealthState } from './health';
export { startCloudWatchStandin, cloudWatchHooks, type CloudWatchStandin, type CloudWatchState, type StandinAlarm, type StandinMetric } from './cloudwatch';
export { startS3Standin, s3Hooks, type S3Standin, type S3State, type StandinObject } from './s3';
export { startAwsStandin, type AwsStandin } from './aws';
export { startStripeStandin, type StripeStandin, type StripeState, type StandinCharge } from './stripe';
export { startTwilioStandin, type TwilioStandin, type TwilioState, type StandinCall, type CallStatus } from './twilio';

import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { S3Client } from '@aws-sdk/client-s3';
import type { ProbeEnv } from './env';

export type CloudWatchSdk = typeof import('@aws-sdk/client-cloudwatch');
export type S3Sdk = typeof import('@aws-sdk/client-s3');

// Each SDK is loaded by the first probe that runs with credentials (tens of MB and ~0.5 s of
// start-up that a bot without AWS never needs); the promise is kept so it loads once.
let cloudWatchSdk: Promise<CloudWatchSdk> | undefined;
let s3Sdk: Promise<S3Sdk> | undefined;
export const loadCloudWatchSdk = (): Promise<CloudWatchSdk> => (cloudWatchSdk ??= import('@aws-sdk/client-cloudwatch'));
export const loadS3Sdk = (): Promise<S3Sdk> => (s3Sdk ??= import('@aws-sdk/client-s3'));

/** Shared AWS client options: one attempt, bounded sockets, explicit endpoint/credentials when given. */
function baseConfig(env: ProbeEnv, timeoutMs: number) {
  return {
    region: env.AWS_REGION ?? 'us-east-1',
    ...(env.AWS_ENDPOINT_URL ? { endpoint: env.AWS_ENDPOINT_URL } : {}),
    ...(env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
      ? { credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY } }
      : {}),
    // A probe reports what it sees now; SDK retries would only stretch a failing check past its budget.
    maxAttempts: 1,
    // This smithy version only logs when requestTimeout passes unless throwOnRequestTimeout is set.
    // No keep-alive: a probe makes a few requests every few hours, and a pooled connection the
    // server closes as idle (Node's default keep-alive timeout is 5 s) at the moment a later run
    // reuses it fails that run with ECONNRESET, which the SDK calls a TimeoutError and, with one
    // attempt, nothing retries: the intermittent "S3: timed out after 5000 ms" of human-paced runs.
    requestHandler: {
      requestTimeout: timeoutMs,
      connectionTimeout: Math.min(timeoutMs, 3000),
      throwOnRequestTimeout: true,
      httpAgent: { keepAlive: false },
      httpsAgent: { keepAlive: false },
    },
  };
}

export async function createCloudWatchClient(env: ProbeEnv, timeoutMs: number): Promise<CloudWatchClient> {
  const { CloudWatchClient } = await loadCloudWatchSdk();
  return new CloudWatchClient(baseConfig(env, timeoutMs));
}

export async function createS3Client(env: ProbeEnv, timeoutMs: number): Promise<S3Client> {
  const { S3Client } = await loadS3Sdk();
  return new S3Client({
    ...baseConfig(env, timeoutMs),
    // Local endpoints (stand-ins, MinIO, LocalStack) cannot serve virtual-hosted bucket names.
    forcePathStyle: Boolean(env.AWS_ENDPOINT_URL),
    // Checksums only when the API demands them: stand-ins and S3-compatibles don't all send them.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** Probes need AWS_REGION; credentials may come from the default chain, so they're not required here. */
export const AWS_REQUIRED = ['AWS_REGION'] as const;

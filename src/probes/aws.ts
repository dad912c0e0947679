import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { S3Client } from '@aws-sdk/client-s3';
import type { ProbeEnv } from './env';

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
    requestHandler: { requestTimeout: timeoutMs, connectionTimeout: Math.min(timeoutMs, 3000), throwOnRequestTimeout: true },
  };
}

export function createCloudWatchClient(env: ProbeEnv, timeoutMs: number): CloudWatchClient {
  return new CloudWatchClient(baseConfig(env, timeoutMs));
}

export function createS3Client(env: ProbeEnv, timeoutMs: number): S3Client {
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

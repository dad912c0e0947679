import type { ProbeEnv } from './env';

/**
 * Where a probe looked and which settings to check when it could not look: a probe error names
 * the system, the URL (or bucket) it called and the variables a person should check, instead of
 * "fetch failed" or "malformed response".
 */
export interface ProbeTarget {
  /** The URL, host or bucket called (no query string: it may carry a token). */
  where: string;
  /** Variables that say where it is. */
  endpointVars: string;
  /** Variables holding the credentials, when there are any. */
  credentialVars?: string;
}

/** `https://host/path` without query, fragment or user info; the raw text when it is no URL. */
export function safeUrl(url: string | undefined, fallback: string): string {
  if (!url) return fallback;
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return url.split('?')[0]!.slice(0, 200);
  }
}

const AWS_CREDENTIALS = 'the AWS credentials (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or the instance role)';

export const probeTargets = {
  health: (env: ProbeEnv): ProbeTarget => ({ where: safeUrl(env.HEALTH_URL, 'HEALTH_URL'), endpointVars: 'HEALTH_URL' }),
  stripe: (env: ProbeEnv): ProbeTarget => ({
    where: safeUrl(env.STRIPE_API_URL, 'https://api.stripe.com'),
    endpointVars: 'STRIPE_API_URL',
    credentialVars: 'STRIPE_SECRET_KEY',
  }),
  twilio: (env: ProbeEnv): ProbeTarget => ({
    where: safeUrl(env.TWILIO_API_URL, 'https://api.twilio.com'),
    endpointVars: 'TWILIO_API_URL',
    credentialVars: 'TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN',
  }),
  cloudwatch: (env: ProbeEnv): ProbeTarget => ({
    where: safeUrl(env.AWS_ENDPOINT_URL, `monitoring.${env.AWS_REGION ?? 'us-east-1'}.amazonaws.com`),
    endpointVars: 'AWS_REGION and AWS_ENDPOINT_URL',
    credentialVars: AWS_CREDENTIALS,
  }),
  s3: (env: ProbeEnv): ProbeTarget => ({
    where: `s3://${env.BACKUP_BUCKET ?? 'BACKUP_BUCKET'}${env.AWS_ENDPOINT_URL ? ` at ${safeUrl(env.AWS_ENDPOINT_URL, '')}` : ''}`,
    endpointVars: 'BACKUP_BUCKET, AWS_REGION and AWS_ENDPOINT_URL',
    credentialVars: AWS_CREDENTIALS,
  }),
};

/** What to check, by kind of failure. */
export function checkAdvice(target: ProbeTarget, kind: 'credentials' | 'timeout' | 'http' | 'malformed' | 'connect' | 'other'): string {
  switch (kind) {
    case 'credentials':
      return target.credentialVars ? `check ${target.credentialVars}` : `check that ${target.endpointVars} needs no credentials`;
    case 'timeout':
    case 'connect':
      return `check ${target.endpointVars} and that the service is up`;
    case 'http':
      return `check ${target.endpointVars} and the service's own status`;
    case 'malformed':
      return `check ${target.endpointVars}: the answer is not what this API sends`;
    default:
      return `check ${target.endpointVars}${target.credentialVars ? ` and ${target.credentialVars}` : ''}`;
  }
}

/**
 * The slice of the environment the probes read. The app validates process.env once
 * and hands this plain object in; probes never read process.env themselves, so tests
 * and the demo sandbox can point each probe at a local stand-in.
 */
export interface ProbeEnv {
  HEALTH_URL?: string;
  AWS_REGION?: string;
  AWS_ENDPOINT_URL?: string;
  BACKUP_BUCKET?: string;
  STRIPE_SECRET_KEY?: string;
  STRIPE_API_URL?: string;
  TWILIO_ACCOUNT_SID?: string;
  TWILIO_AUTH_TOKEN?: string;
  TWILIO_API_URL?: string;
  AWS_ACCESS_KEY_ID?: string;
  AWS_SECRET_ACCESS_KEY?: string;
}

/** Values that must never appear in a summary or evidence. */
export function secretValues(env: ProbeEnv): string[] {
  return [env.STRIPE_SECRET_KEY, env.TWILIO_AUTH_TOKEN, env.AWS_SECRET_ACCESS_KEY, env.AWS_ACCESS_KEY_ID].filter(
    (v): v is string => typeof v === 'string' && v.length >= 4,
  );
}

/** Names of the variables in `names` that are unset or blank. */
export function missingVars(env: ProbeEnv, names: readonly (keyof ProbeEnv)[]): (keyof ProbeEnv)[] {
  return names.filter((n) => !env[n] || env[n]?.trim() === '');
}

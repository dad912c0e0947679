import { randomBytes } from 'node:crypto';

/** A short reference shown to the user and logged with the error, to find one in the other. */
export function newRef(): string {
  return randomBytes(4).toString('hex');
}

/**
 * One line saying what went wrong, whatever was thrown: SDK errors built from an answer without
 * the usual fields (Twilio's `503 {"error":"Service Unavailable"}`) have no message at all, and
 * callers store and slice this string.
 */
export function describeError(err: unknown): string {
  if (typeof err === 'string') return err || 'unknown error';
  if (typeof err !== 'object' || err === null) return String(err);
  const e = err as { message?: unknown; status?: unknown; statusCode?: unknown; code?: unknown; name?: unknown };
  if (typeof e.message === 'string' && e.message.trim() !== '') return e.message;
  const status = typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : undefined;
  const parts = [
    typeof e.name === 'string' && e.name ? e.name : (err.constructor?.name ?? 'Error'),
    status !== undefined ? `HTTP ${status}` : undefined,
    typeof e.code === 'string' || typeof e.code === 'number' ? `code ${e.code}` : undefined,
  ].filter(Boolean);
  return `${parts.join(', ')} (no error message)`;
}

/** postgres.js connection failures and PostgreSQL's "shutting down / cannot connect now" classes. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
]);

/**
 * Whether an error (or one of its causes: drizzle wraps driver errors) means the database could
 * not be reached, as opposed to a bug or a bad query: the user is told to try again later.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  let e: unknown = err;
  for (let depth = 0; depth < 5 && e instanceof Error; depth += 1) {
    const code = String((e as { code?: unknown }).code ?? '');
    if (UNAVAILABLE_CODES.has(code) || /^(08|57P)/.test(code)) return true;
    if (/PGlite is closed|database ping timed out/.test(e.message)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

import { randomBytes } from 'node:crypto';

/** An error whose message is meant for the person who triggered it (shown ephemerally). */
export class UserError extends Error {
  readonly code = 'drainpro_user_error';
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

export function isUserError(err: unknown): err is UserError {
  return err instanceof UserError;
}

/** A short reference shown to the user and logged with the error, to find one in the other. */
export function newRef(): string {
  return randomBytes(4).toString('hex');
}

export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/** postgres.js connection failures and PostgreSQL's "shutting down / cannot connect now" classes. */
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'CONNECT_TIMEOUT', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED']);

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

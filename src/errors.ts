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

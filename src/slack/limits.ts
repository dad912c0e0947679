import { messageSchema, modalSchema } from '../../blocks/limits';

/**
 * The bot's own check of what it sends against Block Kit's limits (the schemas in
 * blocks/limits.ts): a builder bug becomes a logged error with the reason rather than Slack's
 * opaque `invalid_blocks`.
 */

/** Explains why a message breaks Block Kit's limits, or returns null when it is within them. */
export function messageProblems(message: unknown): string | null {
  const r = messageSchema.safeParse(message);
  return r.success ? null : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
}

export function modalProblems(view: unknown): string | null {
  const r = modalSchema.safeParse(view);
  return r.success ? null : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
}

import { AsyncLocalStorage } from 'node:async_hooks';

/** Who a request came from and whether it is a replay, for code deep in a listener's work. */
export interface RequestScope {
  /** The Slack user who sent the request (a payload's `user_id` or `user.id`), when there is one. */
  userId?: string;
  /** Replayed from the intake after a crash: its ack went long ago, its response_url may have expired. */
  replay: boolean;
}

/**
 * The scope of the request being processed. Set by the dispatch around a listener's whole run;
 * read where a reply must find the person another way (commands/respond.ts).
 */
export const requestScope = new AsyncLocalStorage<RequestScope>();

const USER_ID = /^[UW][A-Z0-9]{2,}$/;

export function scopeOf(body: Record<string, unknown>, replay: boolean): RequestScope {
  const user = body.user as { id?: unknown } | null | undefined;
  const id = typeof body.user_id === 'string' ? body.user_id : typeof user?.id === 'string' ? user.id : undefined;
  return { replay, ...(id && USER_ID.test(id) ? { userId: id } : {}) };
}

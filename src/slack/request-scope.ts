import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Who sent a request replayed from the intake after a crash (its ack went long ago, its
 * response_url may have expired), for code deep in the listener's work. Only replays have one.
 */
export interface RequestScope {
  /** The Slack user who sent the request (a payload's `user_id` or `user.id`), when there is one. */
  userId?: string;
}

const USER_ID = /^[UW][A-Z0-9]{2,}$/;
const storage = new AsyncLocalStorage<RequestScope>();
let replaying = 0;

function scopeOf(body: Record<string, unknown>): RequestScope {
  const user = body.user as { id?: unknown } | null | undefined;
  const id = typeof body.user_id === 'string' ? body.user_id : typeof user?.id === 'string' ? user.id : undefined;
  return id && USER_ID.test(id) ? { userId: id } : {};
}

/**
 * Runs a replayed request's processing (set by the dispatch around a listener's whole run) in a
 * scope that code deep in its work can read: a reply whose response_url has expired then finds
 * the person by DM instead (commands/respond.ts).
 *
 * Only replays get a scope. While any AsyncLocalStorage is active, Node runs a hook on every
 * promise the process makes, and a live request makes hundreds: the hook was an eighth of what an
 * `/ops help` allocated (BENCHMARKS.md, footprint, sixth pass). A live request has no need of it: its
 * response_url is minutes old at most. So the storage is enabled for replays only, and disabled
 * again (Node then drops the hook) when the last one finishes.
 */
export async function asReplay<T>(body: Record<string, unknown>, fn: () => Promise<T>): Promise<T> {
  replaying += 1;
  try {
    return await storage.run(scopeOf(body), fn);
  } finally {
    replaying -= 1;
    if (replaying === 0) storage.disable();
  }
}

/** The scope of the replayed request whose work is running; undefined in a live request's. */
export function replayScope(): RequestScope | undefined {
  return storage.getStore();
}

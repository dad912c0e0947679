import { desc, gte } from 'drizzle-orm';
import type { Db, Tx } from '../db';
import { slackFailures } from '../db/schema';
import type { Deps } from '../deps';
import { describeError } from '../errors';
import { failureReason, slackErrorCode } from './errors';

/** How long a permanent failure keeps `/healthz` degraded and shows in `/ops status`. */
export const FAILURE_WINDOW_MS = 24 * 60 * 60_000;

export type FailureOwner = 'outbox' | 'run' | 'incident' | 'incident-channel';

export interface SlackFailure {
  owner: string;
  refId: string;
  channel: string;
  error: string;
  reason: string;
  at: Date;
}

/**
 * Records that Slack refused `owner`/`refId` for good, with an ERROR log line: nothing retries it,
 * so a person has to act. Returns the stored reason ("not_in_channel: I am not in #ops…").
 */
export async function recordSlackFailure(
  deps: Deps,
  db: Tx,
  f: { owner: FailureOwner; refId: string | number; channel: string; err: unknown; at: Date; log?: Record<string, unknown> },
): Promise<string> {
  const error = slackErrorCode(f.err) ?? 'error';
  const reason = failureReason(f.err, f.channel);
  deps.logger.error(
    { ...f.log, owner: f.owner, refId: String(f.refId), channel: f.channel, slackError: error, err: describeError(f.err) },
    `Slack refused it for good; not retried: ${reason}`,
  );
  await db
    .insert(slackFailures)
    .values({ owner: f.owner, refId: String(f.refId), channel: f.channel, error, reason, at: f.at })
    .onConflictDoUpdate({ target: [slackFailures.owner, slackFailures.refId], set: { error, reason, at: f.at, channel: f.channel } });
  return reason;
}

/** Permanent failures since `since`, newest first. */
export async function recentSlackFailures(db: Db, since: Date, limit = 20): Promise<SlackFailure[]> {
  return db.select().from(slackFailures).where(gte(slackFailures.at, since)).orderBy(desc(slackFailures.at)).limit(limit);
}

/**
 * What `/healthz` reports: one reason per distinct Slack error and channel in the window, e.g.
 * "slack: not_in_channel: I am not in #ops…". Empty when everything reached Slack.
 */
export async function degradedReasons(db: Db, now: Date): Promise<string[]> {
  const rows = await recentSlackFailures(db, new Date(now.getTime() - FAILURE_WINDOW_MS), 50);
  return [...new Set(rows.map((r) => `slack: ${r.reason}`))].slice(0, 10);
}

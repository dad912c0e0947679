import type { Message } from '../../blocks/limits';
import { slackSends } from '../db/schema';
import type { Deps } from '../deps';
import { describeError } from '../errors';
import { postMessage } from './slack-io';

/**
 * Exactly-once posting on top of a Web API that takes no idempotency key.
 *
 * Every durable message (outbox rows, incident announcements and channel intros, checklist main
 * messages and thread parts) has a key. Its first attempt is written to `slack_sends` before
 * Slack is called, and the message carries the key in its `metadata`. A later attempt finds the
 * key already written: an earlier one may have reached Slack before its result was saved (the
 * process was killed, the reply timed out). It then reads the conversation (history, or the
 * thread's replies) for a message with that key and adopts it instead of posting a second copy.
 *
 * The caller holds the lease of whatever owns the message, so attempts never overlap. The look-up
 * runs only on a repeat attempt: the usual post costs one insert. Where the look-up cannot answer
 * (no history scope, the conversation cannot be resolved, Slack refuses), the message is posted
 * again: a duplicate is better than a lost page.
 */
const SEND_EVENT_TYPE = 'drainpro_send';
/** Pages of 200 messages searched, newest first (a thread: oldest first). */
const LOOKUP_PAGES = 5;
const LIST_PAGES = 20;

export interface Sent {
  channel: string;
  ts: string;
}

/**
 * The key of one send: what owns it (`outbox`, `run`, `incident`), its id, its creation time (which
 * keeps two installs posting into one workspace apart), and which of its messages.
 */
export const sendKey = (owner: string, row: { id: number }, createdAt: Date, what = '') => `${owner}:${row.id}:${createdAt.getTime()}${what ? `:${what}` : ''}`;

/** Records that the send `key` is starting; false when an earlier attempt already started it. */
export async function firstAttempt(deps: Deps, key: string): Promise<boolean> {
  const rows = await deps.db.insert(slackSends).values({ key, firstAt: deps.clock.now() }).onConflictDoNothing().returning({ key: slackSends.key });
  return rows.length === 1;
}

const sendMetadata = (key: string) => ({ event_type: SEND_EVENT_TYPE, event_payload: { key } });

/** Posts `message` once per `key`, across crashes, timeouts and takeovers by another replica. */
export async function postOnce(deps: Deps, key: string, message: Message & { channel: string; thread_ts?: string }): Promise<Sent> {
  if (!(await firstAttempt(deps, key))) {
    const found = await findSent(deps, message.channel, message.thread_ts, key);
    if (found) {
      deps.logger.info({ key, channel: found.channel, ts: found.ts }, 'message already in Slack from an earlier attempt; not posted again');
      return found;
    }
  }
  return postMessage(deps, { ...message, metadata: sendMetadata(key) });
}

/** The message an earlier attempt posted with `key`, if Slack shows one (undefined when it cannot tell). */
async function findSent(deps: Deps, channel: string, threadTs: string | undefined, key: string): Promise<Sent | undefined> {
  try {
    const id = await conversationId(deps, channel);
    if (!id) {
      deps.logger.warn({ key, channel }, 'cannot resolve the conversation to look for an earlier attempt; posting again');
      return undefined;
    }
    let cursor: string | undefined;
    for (let page = 0; page < LOOKUP_PAGES; page += 1) {
      const args = { channel: id, include_all_metadata: true, limit: 200, ...(cursor ? { cursor } : {}) };
      const res = threadTs ? await deps.slack.conversations.replies({ ...args, ts: threadTs }) : await deps.slack.conversations.history(args);
      const hit = res.messages?.find(
        (m) => m.metadata?.event_type === SEND_EVENT_TYPE && (m.metadata.event_payload as Record<string, unknown> | undefined)?.key === key,
      );
      if (hit?.ts) return { channel: id, ts: hit.ts };
      cursor = res.response_metadata?.next_cursor || undefined;
      if (!cursor) break;
    }
    return undefined;
  } catch (err) {
    deps.logger.warn({ key, channel, err: describeError(err) }, 'could not look for an earlier attempt in Slack; posting again');
    return undefined;
  }
}

/**
 * The conversation id behind what the bot posts to: an id as is, a person's id (a DM) through
 * `conversations.open`, a channel name through `conversations.list`.
 */
export async function conversationId(deps: Deps, channel: string): Promise<string | undefined> {
  const c = channel.replace(/^#/, '');
  if (/^[CGD][A-Z0-9]{2,}$/.test(c)) return c;
  if (/^[UW][A-Z0-9]{2,}$/.test(c)) return (await deps.slack.conversations.open({ users: c })).channel?.id;
  let cursor: string | undefined;
  for (let page = 0; page < LIST_PAGES; page += 1) {
    const res = await deps.slack.conversations.list({
      types: 'public_channel,private_channel',
      exclude_archived: true,
      limit: 1000,
      ...(cursor ? { cursor } : {}),
    });
    const hit = res.channels?.find((ch) => ch.name === c);
    if (hit?.id) return hit.id;
    cursor = res.response_metadata?.next_cursor || undefined;
    if (!cursor) break;
  }
  return undefined;
}

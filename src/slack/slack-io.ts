import type { Message } from '../../blocks/limits';
import { messageProblems } from './limits';
import type { Deps } from '../deps';

/**
 * Every message goes through here: it is checked against Block Kit's limits first, so a builder
 * bug is a logged error with the reason rather than Slack's opaque `invalid_blocks`.
 */
function checked<T extends Message & { channel: string }>(deps: Deps, message: T): T {
  const problems = messageProblems(message);
  if (problems) {
    deps.logger.error({ channel: message.channel, problems }, 'message breaks Block Kit limits');
    throw new Error(`message breaks Block Kit limits: ${problems}`);
  }
  return message;
}

export interface SendMetadata {
  event_type: string;
  event_payload: Record<string, string>;
}

export async function postMessage(deps: Deps, message: Message & { channel: string; thread_ts?: string; metadata?: SendMetadata }) {
  const res = await deps.slack.chat.postMessage({ ...checked(deps, message), unfurl_links: false, unfurl_media: false });
  if (!res.ts || !res.channel) throw new Error('chat.postMessage returned no ts/channel');
  return { channel: res.channel, ts: res.ts };
}

export async function updateMessage(deps: Deps, message: Message & { channel: string; ts: string }) {
  await deps.slack.chat.update({ ...checked(deps, message), blocks: message.blocks ?? [] });
}

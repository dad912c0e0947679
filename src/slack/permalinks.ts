import type { WebClient } from '@slack/web-api';

/** Permalinks never change, so each is asked of Slack once per client (bounded, oldest out). */
const MAX_ENTRIES = 2000;
const caches = new WeakMap<WebClient, Map<string, string>>();

/**
 * The permalink of a message, or undefined when Slack will not say. `/ops status` shows one per
 * run of the day; without the cache every status request cost a Slack call per run, and a burst
 * of requests kept the bot busy with those calls (bench: p99 of later acks in seconds).
 */
export async function permalinkOf(slack: WebClient, channel: string, ts: string): Promise<string | undefined> {
  let cache = caches.get(slack);
  if (!cache) caches.set(slack, (cache = new Map()));
  const key = `${channel}:${ts}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const link = await slack.chat.getPermalink({ channel, message_ts: ts }).then(
    (r) => r.permalink,
    () => undefined,
  );
  if (link) {
    if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
    cache.set(key, link);
  }
  return link;
}

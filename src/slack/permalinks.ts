import type { WebClient } from '@slack/web-api';

/** Permalinks never change, so each is asked of Slack once (bounded, oldest out). */
const MAX_ENTRIES = 2000;

/**
 * The permalinks of messages, one cache per bot (`deps.permalinks`). `/ops status` shows one per
 * run of the day; without the cache every status request cost a Slack call per run, and a burst
 * of requests kept the bot busy with those calls (bench: p99 of later acks in seconds).
 */
export class Permalinks {
  private readonly cache = new Map<string, string>();

  constructor(private readonly slack: WebClient) {}

  /** The permalink of a message, or undefined when Slack will not say. */
  async of(channel: string, ts: string): Promise<string | undefined> {
    const key = `${channel}:${ts}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const link = await this.slack.chat.getPermalink({ channel, message_ts: ts }).then(
      (r) => r.permalink,
      () => undefined,
    );
    if (link) {
      if (this.cache.size >= MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(key, link);
    }
    return link;
  }
}

import type { WebClient } from '@slack/web-api';

/** A member id as Slack sends a mention (`<@U123>`, `<@U123|name>`) or as typed (`U123`). */
const MENTION = /^<@([UW][A-Z0-9]{2,20})(?:\|[^>]*)?>$|^([UW][A-Z0-9]{2,20})$/;

/** True when `word` names a person without asking Slack (a mention or a member id). */
export const isMemberId = (word: string): boolean => MENTION.test(word);

/**
 * The member a word names: a mention or member id as is, or `@name` (the text as typed: the
 * manifest's commands are sent unescaped) looked up by handle, display name or real name.
 * Null: nobody by that name.
 */
export async function personNamed(slack: WebClient, word: string): Promise<string | null> {
  const m = MENTION.exec(word);
  if (m) return (m[1] ?? m[2])!;
  const name = word.replace(/^@/, '').toLowerCase();
  if (!name) return null;
  let cursor: string | undefined;
  // Bounded: ten pages of 200 people.
  for (let page = 0; page < 10; page += 1) {
    const res = await slack.users.list({ limit: 200, ...(cursor ? { cursor } : {}) });
    const hit = res.members?.find((u) => !u.deleted && [u.name, u.profile?.display_name, u.real_name].some((n) => n?.toLowerCase() === name));
    if (hit?.id) return hit.id;
    cursor = res.response_metadata?.next_cursor || undefined;
    if (!cursor) break;
  }
  return null;
}

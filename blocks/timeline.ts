import { clipMrkdwn, escapeMrkdwn, joinMrkdwn, mrkdwn, type Mrkdwn } from './format';
import { eventText, timelineLine, type TimelineEvent } from './incident';
import type { Block, Message } from './limits';

/** Sections per thread post: far below Slack's 50 blocks, so a burst of any size splits into whole posts. */
const SECTIONS_PER_POST = 20;
const SECTION_CHARS = 2900;

/**
 * A burst of timeline entries as thread posts: one line each, packed into sections of at most
 * 2,900 characters, 20 sections a post (a burst that big is several posts, never a refused one).
 * The fallback text lists the entries as `kind: text`, for notifications and screen readers.
 */
export function buildTimelineBatch(events: readonly TimelineEvent[]): Message[] {
  const posts: Message[] = [];
  let sections: Mrkdwn[] = [];
  let current: Mrkdwn[] = [];
  let inPost: TimelineEvent[] = [];
  const flushSection = () => {
    if (current.length) sections.push(joinMrkdwn(current));
    current = [];
  };
  const flushPost = () => {
    flushSection();
    if (!sections.length) return;
    const blocks: Block[] = sections.map((text) => ({ type: 'section', text: { type: 'mrkdwn', text } }));
    const fallback = joinMrkdwn(inPost.map((e) => mrkdwn`${escapeMrkdwn(e.kind)}: ${eventText(e)}`));
    posts.push({ text: clipMrkdwn(fallback, 3000), blocks });
    sections = [];
    inPost = [];
  };
  for (const e of events) {
    const line = timelineLine(e);
    if (current.length && joinMrkdwn([...current, line]).length > SECTION_CHARS) {
      flushSection();
      if (sections.length >= SECTIONS_PER_POST) flushPost();
    }
    current.push(line);
    inPost.push(e);
  }
  flushPost();
  return posts;
}

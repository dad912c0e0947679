import { formatDuration, mrkdwn, slackDate, type Mrkdwn } from './format';

/**
 * The SLA countdown. Slack has no live clock in a message: a `<!date^…>` token renders a fixed
 * instant in each reader's own time zone (`{date_short_pretty} {time}`), and its one relative
 * token, `{ago}`, is documented for the past only ("3 minutes ago"). So the deadline itself is a
 * date token (always right, whenever it is read), a breach says how long ago with `{ago}` (live,
 * no refresh), and the time left is text the bot writes, rounded UP to a step that grows with the
 * time left: the text stays true until the next step, and the bot re-renders exactly when the
 * text would change (src/incidents/countdown.ts), not every minute.
 *
 * Steps: 1 min in the last 15 min, 5 min up to 2 h, 15 min beyond. An incident with a 4 h SLA
 * costs ~8 re-renders in its first 2 h, ~21 in the next 1¾ h and 15 in the last quarter hour —
 * one `chat.update` each (Tier 3, ~50 a minute per workspace), per message it shows on.
 */
const MIN = 60_000;

export function countdownStepMs(leftMs: number): number {
  if (leftMs <= 15 * MIN) return MIN;
  if (leftMs <= 120 * MIN) return 5 * MIN;
  return 15 * MIN;
}

/** Time left rounded up to its step: what the countdown shows, true until the next step. */
export function countdownLeftMs(leftMs: number): number {
  const step = countdownStepMs(leftMs);
  return Math.max(step, Math.ceil(leftMs / step) * step);
}

/** "≤ 25 min left" */
export function timeLeft(leftMs: number): Mrkdwn {
  return mrkdwn`≤ ${formatDuration(countdownLeftMs(leftMs))} left`;
}

/** "due 5 minutes ago", live in every client (`{ago}`), with a UTC fallback. */
export function dueAgo(due: Date): Mrkdwn {
  return slackDate(due, 'due {ago}', `due ${due.toISOString().slice(0, 16).replace('T', ' ')} UTC`);
}

type Clock = { state: 'running'; left: number } | { state: string };

/** What the countdown shows now, as a key: the announcement, control message and Home change exactly when it does. */
export function countdownKey(sla: { response: Clock; resolution: Clock }): string {
  const one = (c: Clock) => ('left' in c ? `running:${countdownLeftMs(c.left)}` : c.state);
  return `${one(sla.response)}|${one(sla.resolution)}`;
}

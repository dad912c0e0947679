import { escapeMrkdwn, joinMrkdwn, mrkdwn, type Mrkdwn } from '../../blocks/format';
import type { Deps } from '../deps';
import { deliverNow, outboxStates } from '../outbox';
import { adviceFromStored, channelLabel, slackAdvice, slackErrorCode } from '../slack/errors';
import type { PagePlan } from './steps';

/**
 * What a flow achieved in Slack, in words for the person who asked: the reply says what happened
 * (announced or not and why, who was paged, who could not be), never what was merely intended.
 */

export type Announcement =
  | { state: 'posted' | 'already'; channel: string }
  | { state: 'failed'; channel: string; advice: Mrkdwn; permanent: boolean }
  | { state: 'pending'; channel: string };

export interface PageOutcome {
  name: string;
  role: string;
  delivered: Mrkdwn[];
  queued: Mrkdwn[];
  failed: { who: Mrkdwn; reason: Mrkdwn }[];
}

/** The announcement's outcome from publishIncident's answer or its error. */
export function announcementOf(channel: string, result: 'posted' | 'already' | 'busy' | { err: unknown }): Announcement {
  if (result === 'busy') return { state: 'pending', channel };
  if (typeof result === 'string') return { state: result, channel };
  return { state: 'failed', channel, advice: slackAdvice(result.err, channel), permanent: slackErrorCode(result.err) !== undefined };
}

/**
 * Gives the pages just queued one delivery attempt (oldest first per channel, as the outbox job
 * would), then reads back what became of each: delivered, refused (with the reason), or still queued.
 */
export async function sendPages(deps: Deps, plans: readonly PagePlan[]): Promise<PageOutcome[]> {
  const ids = plans.flatMap((p) => p.sends.map((s) => s.outboxId));
  await deliverNow(deps, ids, deps.clock.now());
  const states = await outboxStates(deps.db, ids);
  return plans.map((p) => {
    const out: PageOutcome = { name: p.name, role: p.role, delivered: [], queued: [], failed: [] };
    for (const s of p.sends) {
      const st = states.get(s.outboxId);
      if (st?.state === 'delivered') out.delivered.push(s.who);
      // The stored reason starts with Slack's code (`user_not_found: …`): its advice, rendered for this reply.
      else if (st?.state === 'failed') out.failed.push({ who: s.who, reason: adviceFromStored(st.reason, st.channel) });
      else out.queued.push(s.who);
    }
    return out;
  });
}

const list = (who: Mrkdwn[]) => joinMrkdwn(who, ', ');

/** One sentence per level: "Paged Technical Lead (<@U1>)." / "Nobody is configured for CTO: set `roles.cto.members`." */
export function describePages(pages: readonly PageOutcome[]): Mrkdwn[] {
  return pages.map((p) => {
    const name = escapeMrkdwn(p.name);
    if (!p.delivered.length && !p.queued.length && !p.failed.length)
      return mrkdwn`Nobody is configured for ${name}: set \`roles.${escapeMrkdwn(p.role)}.members\` in the config.`;
    const parts: Mrkdwn[] = [];
    // The sentence's first clause starts with a capital.
    const add = (upper: Mrkdwn, lower: Mrkdwn) => parts.push(parts.length ? lower : upper);
    if (p.delivered.length) add(mrkdwn`Paged ${name} (${list(p.delivered)})`, mrkdwn`paged ${name} (${list(p.delivered)})`);
    if (p.queued.length)
      add(
        mrkdwn`The page to ${name} (${list(p.queued)}) is queued: Slack has not taken it yet, I keep trying`,
        mrkdwn`the page to ${name} (${list(p.queued)}) is queued: Slack has not taken it yet, I keep trying`,
      );
    for (const f of p.failed) add(mrkdwn`Could not page ${f.who} (${name}): ${f.reason}`, mrkdwn`could not page ${f.who} (${name}): ${f.reason}`);
    const text = joinMrkdwn(parts, '; ');
    return text.endsWith('.') ? text : mrkdwn`${text}.`;
  });
}

/** "Announced in #incidents." or why not. */
export function describeAnnouncement(a: Announcement): Mrkdwn {
  const where = channelLabel(a.channel);
  switch (a.state) {
    case 'posted':
    case 'already':
      return mrkdwn`Announced in ${where}.`;
    case 'pending':
      return mrkdwn`The announcement in ${where} is on its way.`;
    case 'failed':
      return a.permanent ? mrkdwn`I could not announce it in ${where}: ${a.advice}` : mrkdwn`I could not announce it in ${where} yet: ${a.advice}`;
  }
}

/** Whether everything reached Slack (the reply's icon). */
export function allDelivered(a: Announcement | null, pages: readonly PageOutcome[]): boolean {
  return (
    (a === null || a.state === 'posted' || a.state === 'already') &&
    pages.every((p) => p.failed.length === 0 && p.queued.length === 0 && p.delivered.length > 0)
  );
}

import { escapeMrkdwn } from '../../blocks/format';
import type { Deps } from '../deps';
import { deliverNow, outboxStates } from '../outbox';
import { channelLabel, slackAdvice, slackErrorCode } from '../slack/errors';
import type { PagePlan } from './steps';

/**
 * What a flow achieved in Slack, in words for the person who asked: the reply says what happened
 * (announced or not and why, who was paged, who could not be), never what was merely intended.
 */

export type Announcement = { state: 'posted' | 'already'; channel: string } | { state: 'failed'; channel: string; advice: string; permanent: boolean } | { state: 'pending'; channel: string };

export interface PageOutcome {
  name: string;
  role: string;
  delivered: string[];
  queued: string[];
  failed: { who: string; reason: string }[];
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
      // The stored reason starts with Slack's code (`user_not_found: …`); the advice is enough here.
      else if (st?.state === 'failed') out.failed.push({ who: s.who, reason: (st.reason ?? 'Slack refused it').replace(/^[a-z_]+: /, '') });
      else out.queued.push(s.who);
    }
    return out;
  });
}

const list = (who: string[]) => who.join(', ');

/** One sentence per level: "Paged Technical Lead (<@U1>)." / "Nobody is configured for CTO: set `roles.cto.members`." */
export function describePages(pages: readonly PageOutcome[]): string[] {
  return pages.map((p) => {
    const name = escapeMrkdwn(p.name);
    if (!p.delivered.length && !p.queued.length && !p.failed.length) return `Nobody is configured for ${name}: set \`roles.${escapeMrkdwn(p.role)}.members\` in the config.`;
    const parts: string[] = [];
    if (p.delivered.length) parts.push(`paged ${name} (${list(p.delivered)})`);
    if (p.queued.length) parts.push(`the page to ${name} (${list(p.queued)}) is queued: Slack has not taken it yet, I keep trying`);
    for (const f of p.failed) parts.push(`could not page ${f.who} (${name}): ${escapeMrkdwn(f.reason)}`);
    const text = parts.join('; ');
    return `${text[0]!.toUpperCase()}${text.slice(1)}.`;
  });
}

/** "Announced in #incidents." or why not. */
export function describeAnnouncement(a: Announcement): string {
  const where = channelLabel(a.channel);
  switch (a.state) {
    case 'posted':
    case 'already':
      return `Announced in ${where}.`;
    case 'pending':
      return `The announcement in ${where} is on its way.`;
    case 'failed':
      return a.permanent ? `I could not announce it in ${where}: ${a.advice}` : `I could not announce it in ${where} yet: ${a.advice}`;
  }
}

/** Whether everything reached Slack (the reply's icon). */
export function allDelivered(a: Announcement | null, pages: readonly PageOutcome[]): boolean {
  return (a === null || a.state === 'posted' || a.state === 'already') && pages.every((p) => p.failed.length === 0 && p.queued.length === 0 && p.delivered.length > 0);
}

import { clipMrkdwn, escapeMrkdwn, joinMrkdwn, mention, mrkdwn, slackDate, userGroupMention, type Mrkdwn } from './format';
import { clip, type Block, type Message } from './limits';
import type { RoleOnCall } from '../src/oncall/holders';

/** One escalation level as `/ops oncall` and the Home tab show it. */
export interface OnCallLevel {
  id: string;
  name: string;
  members: string[];
  groups: string[];
  /** Who holds its role now and next (absent: every member is paged). */
  onCall?: RoleOnCall | undefined;
}

/** A hand-off time: each reader's own time zone in Slack, the business zone in the plain fallback. */
export function handoffTime(at: Date, timeZone: string): Mrkdwn {
  let fallback: string;
  try {
    // `Mon 2026-03-09 09:00 EDT`: unambiguous whatever the reader's locale.
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    }).formatToParts(at);
    const p = (type: Intl.DateTimeFormatPartTypes) => parts.find((x) => x.type === type)?.value ?? '';
    fallback = `${p('weekday')} ${p('year')}-${p('month')}-${p('day')} ${p('hour')}:${p('minute')} ${p('timeZoneName')}`;
  } catch {
    fallback = `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  }
  return slackDate(at, '{date_short_pretty} {time}', fallback);
}

const isGroup = (g: string) => /^S[A-Z0-9]{2,20}$/.test(g);

function nextPart(o: RoleOnCall, timeZone: string): Mrkdwn {
  if (!o.next) return mrkdwn``;
  const who = o.next.userId ? mention(o.next.userId) : mrkdwn`every member`;
  return mrkdwn` · next ${who} from ${handoffTime(o.next.at, timeZone)}`;
}

/** `*Technical Lead*: @Bea (rotation) · next @Carl from Mon 09:00`; a level without a holder lists everyone it pages. */
export function onCallLine(l: OnCallLevel, timeZone: string): Mrkdwn {
  const name = mrkdwn`*${escapeMrkdwn(l.name)}*`;
  const o = l.onCall;
  if (o?.holder) {
    const how =
      o.holder.source === 'override' && o.override
        ? mrkdwn`covering until ${handoffTime(o.override.endsAt, timeZone)} (set by ${mention(o.override.setBy)})`
        : mrkdwn`on call (rotation)`;
    return mrkdwn`${name}: ${mention(o.holder.userId)} ${how}${nextPart(o, timeZone)}`;
  }
  const people = [...l.members.map(mention), ...l.groups.filter(isGroup).map(userGroupMention)];
  return mrkdwn`${name}: ${people.length ? joinMrkdwn(people.slice(0, 20), ' ') : mrkdwn`_nobody configured_`}`;
}

const section = (text: Mrkdwn): Block => ({ type: 'section', text: { type: 'mrkdwn', text: clipMrkdwn(text, 2900) } });

export const COVER_USAGE = 'oncall [cover <role> @person <YYYY-MM-DD [HH:MM]> | cover <role> clear]';

/** `/ops oncall`: who holds each level now and next, and the cover in force. */
export function buildOnCallMessage(levels: readonly OnCallLevel[], covers: readonly { roleName: string; onCall: RoleOnCall }[], timeZone: string): Message {
  const blocks: Block[] = [{ type: 'header', text: { type: 'plain_text', text: clip('On call now', 150) } }];
  blocks.push(section(joinMrkdwn(levels.slice(0, 40).map((l) => onCallLine(l, timeZone)))));
  if (covers.length) {
    const lines = covers
      .filter((c) => c.onCall.override)
      .slice(0, 20)
      .map((c) => {
        const o = c.onCall.override!;
        return mrkdwn`• ${mention(o.userId)} covers *${escapeMrkdwn(c.roleName)}* until ${handoffTime(o.endsAt, timeZone)}, set by ${mention(o.setBy)}`;
      });
    blocks.push(section(mrkdwn`*Cover in force*\n${joinMrkdwn(lines)}`));
  }
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: mrkdwn`Escalation pages the lowest level first. A level whose role has a rotation or cover pages its holder only; the others page every member. Set cover: \`/ops oncall cover &lt;role&gt; @person &lt;YYYY-MM-DD [HH:MM]&gt;\`, end it: \`/ops oncall cover &lt;role&gt; clear\`.`,
      },
    ],
  });
  return { text: mrkdwn`On call now: ${levels.length} escalation levels`, blocks };
}

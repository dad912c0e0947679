import { clipMrkdwn, escapeMrkdwn, joinMrkdwn, link, mrkdwn, type Mrkdwn } from './format';
import { clip, type Block, type Message } from './limits';

export interface ScheduleLine {
  id: string;
  name: string;
  alias: string;
  when: string;
  nextText: string;
  durationMinutes: number;
  channel: string;
}

/** Lines into as few sections as fit the 3000-character limit. */
function sections(lines: readonly Mrkdwn[]): Block[] {
  const blocks: Block[] = [];
  let current = mrkdwn``;
  for (const line of lines) {
    const l = clipMrkdwn(line, 2900);
    if (current && current.length + l.length + 1 > 2900) {
      blocks.push({ type: 'section', text: { type: 'mrkdwn', text: current } });
      current = mrkdwn``;
    }
    current = current ? joinMrkdwn([current, l]) : l;
  }
  if (current) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: current } });
  return blocks.slice(0, 45);
}

/** `/ops list`: every checklist, its schedule in words and its next run in the business time zone. */
export function buildScheduleList(lines: readonly ScheduleLine[], timezone: string): Message {
  return {
    text: mrkdwn`${lines.length} checklists`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: 'Maintenance calendar' } },
      ...sections(
        lines.map(
          (l) =>
            mrkdwn`*${escapeMrkdwn(l.name)}* (\`/ops ${escapeMrkdwn(l.alias)}\`) — ${escapeMrkdwn(l.when)}, ${l.durationMinutes} min, #${escapeMrkdwn(l.channel)}\n      next: ${escapeMrkdwn(l.nextText)}`,
        ),
      ),
      { type: 'context', elements: [{ type: 'mrkdwn', text: mrkdwn`Times in ${escapeMrkdwn(clip(timezone, 100))}` }] },
    ],
  };
}

export interface StatusLine {
  name: string;
  timeText: string;
  state: 'open' | 'complete' | 'missed';
  late: boolean;
  onDemand: boolean;
  signed: number;
  total: number;
  problems: number;
  link?: string;
}

/** `/ops status`: today's runs with progress, late/missed marks and links to the messages. */
/** `slackProblems`: what Slack refused for good lately (rendered lines), shown first. */
export function buildStatus(dayText: string, lines: readonly StatusLine[], slackProblems: readonly Mrkdwn[] = []): Message {
  const icon = (l: StatusLine) =>
    l.state === 'missed'
      ? mrkdwn`:no_entry:`
      : l.state === 'complete'
        ? mrkdwn`:white_check_mark:`
        : l.signed > 0
          ? mrkdwn`:large_blue_circle:`
          : mrkdwn`:white_circle:`;
  const body = lines.map((l) => {
    const tags = [l.late ? 'late' : '', l.onDemand ? 'on demand' : '', l.problems ? `${l.problems} problem${l.problems > 1 ? 's' : ''}` : ''].filter(Boolean);
    const progress = l.state === 'missed' ? mrkdwn`missed (bot was down)` : mrkdwn`${l.signed}/${l.total} signed`;
    const name = l.link ? link(l.link, l.name) : mrkdwn`*${escapeMrkdwn(l.name)}*`;
    return mrkdwn`${icon(l)} ${escapeMrkdwn(l.timeText)} ${name} — ${progress}${tags.length ? mrkdwn` (${escapeMrkdwn(tags.join(', '))})` : mrkdwn``}`;
  });
  const complete = lines.filter((l) => l.state === 'complete').length;
  return {
    text: mrkdwn`Today: ${complete}/${lines.length} checklists complete${slackProblems.length ? mrkdwn`; Slack refused ${slackProblems.length} message${slackProblems.length > 1 ? mrkdwn`s` : mrkdwn``}` : mrkdwn``}`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: clip(`Today — ${dayText}`, 150) } },
      ...(slackProblems.length ? sections([mrkdwn`:rotating_light: *Slack refused these; they are not retried until someone acts:*`, ...slackProblems]) : []),
      ...(body.length
        ? sections(body)
        : [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: mrkdwn`No checklist has run today yet. \`/ops list\` shows what is coming.` } }]),
    ],
  };
}

import { escapeMrkdwn } from './format';
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
function sections(lines: readonly string[]): Block[] {
  const blocks: Block[] = [];
  let current = '';
  for (const line of lines) {
    const l = clip(line, 2900);
    if (current && current.length + l.length + 1 > 2900) {
      blocks.push({ type: 'section', text: { type: 'mrkdwn', text: current } });
      current = '';
    }
    current = current ? `${current}\n${l}` : l;
  }
  if (current) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: current } });
  return blocks.slice(0, 45);
}

/** `/ops list`: every checklist, its schedule in words and its next run in the business time zone. */
export function buildScheduleList(lines: readonly ScheduleLine[], timezone: string): Message {
  return {
    text: `${lines.length} checklists`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: 'Maintenance calendar' } },
      ...sections(
        lines.map((l) => `*${escapeMrkdwn(l.name)}* (\`/ops ${escapeMrkdwn(l.alias)}\`) — ${escapeMrkdwn(l.when)}, ${l.durationMinutes} min, #${escapeMrkdwn(l.channel)}\n      next: ${escapeMrkdwn(l.nextText)}`),
      ),
      { type: 'context', elements: [{ type: 'mrkdwn', text: `Times in ${escapeMrkdwn(timezone)}` }] },
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
/** `slackProblems`: what Slack refused for good lately (already escaped mrkdwn lines), shown first. */
export function buildStatus(dayText: string, lines: readonly StatusLine[], slackProblems: readonly string[] = []): Message {
  const icon = (l: StatusLine) => (l.state === 'missed' ? ':no_entry:' : l.state === 'complete' ? ':white_check_mark:' : l.signed > 0 ? ':large_blue_circle:' : ':white_circle:');
  const body = lines.map((l) => {
    const tags = [l.late ? 'late' : '', l.onDemand ? 'on demand' : '', l.problems ? `${l.problems} problem${l.problems > 1 ? 's' : ''}` : ''].filter(Boolean);
    const progress = l.state === 'missed' ? 'missed (bot was down)' : `${l.signed}/${l.total} signed`;
    const name = l.link ? `<${l.link}|${escapeMrkdwn(l.name)}>` : `*${escapeMrkdwn(l.name)}*`;
    return `${icon(l)} ${l.timeText} ${name} — ${progress}${tags.length ? ` (${tags.join(', ')})` : ''}`;
  });
  const complete = lines.filter((l) => l.state === 'complete').length;
  return {
    text: `Today: ${complete}/${lines.length} checklists complete${slackProblems.length ? `; Slack refused ${slackProblems.length} message${slackProblems.length > 1 ? 's' : ''}` : ''}`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: clip(`Today — ${dayText}`, 150) } },
      ...(slackProblems.length ? sections([':rotating_light: *Slack refused these; they are not retried until someone acts:*', ...slackProblems]) : []),
      ...(body.length ? sections(body) : [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: 'No checklist has run today yet. `/ops list` shows what is coming.' } }]),
    ],
  };
}

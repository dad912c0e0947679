import { escapeMrkdwn, formatDuration, mention, slackDate } from './format';
import { IncidentIds, incidentRef } from './ids';
import { clip, type Block, type Message } from './limits';

export type SlaView = { state: 'met'; at: Date } | { state: 'breached'; by: number; done: boolean } | { state: 'running'; left: number } | { state: 'none' };

/** What the announcement and the list show of one incident (built by the incidents flow). */
export interface IncidentView {
  id: number;
  severity: string;
  severityName: string;
  summary: string;
  systemLabel: string;
  declaredBy: string;
  state: 'open' | 'acknowledged' | 'resolved';
  level: number;
  levelName: string;
  nextLevelName: string | null;
  escalateTo: string;
  paged: string[];
  declaredAt: Date;
  responseDueAt: Date;
  resolutionDueAt: Date | null;
  sla: { response: SlaView; resolution: SlaView };
  acknowledgedBy: string | null;
  acknowledgedAt: Date | null;
  resolvedBy: string | null;
  resolvedAt: Date | null;
  resolutionNote: string | null;
  incidentChannel: string | null;
  origin: string | null;
}

const SEV_EMOJI: Record<string, string> = { p0: ':rotating_light:', p1: ':red_circle:', p2: ':large_orange_circle:', p3: ':large_blue_circle:' };
const STATE_LABEL = { open: ':bell: Open — not acknowledged', acknowledged: ':eyes: Acknowledged', resolved: ':white_check_mark: Resolved' } as const;

const when = (d: Date) => slackDate(d, '{date_short_pretty} {time}', d.toISOString().slice(0, 16).replace('T', ' ') + ' UTC');

function slaLine(label: string, due: Date | null, s: SlaView): string {
  if (!due) return `*${label}:* next release`;
  const base = `*${label}:* by ${when(due)}`;
  switch (s.state) {
    case 'running':
      return `${base} — :hourglass_flowing_sand: ${formatDuration(s.left)} left`;
    case 'met':
      return `${base} — :white_check_mark: met`;
    case 'breached':
      return `${base} — :warning: *breached*${s.done ? '' : ` (${formatDuration(s.by)} over)`}`;
    default:
      return base;
  }
}

export function incidentTitle(v: Pick<IncidentView, 'id' | 'severity' | 'severityName' | 'summary'>): string {
  return `${v.severity.toUpperCase()} ${v.severityName} — incident #${v.id}: ${v.summary}`;
}

/** The announcement in the incidents channel; re-rendered in place on every change. */
export function buildIncidentAnnouncement(v: IncidentView): Message {
  const fields = [
    `*Status:*\n${STATE_LABEL[v.state]}`,
    `*Declared by:*\n${mention(v.declaredBy)} at ${when(v.declaredAt)}`,
    `*System:*\n${escapeMrkdwn(v.systemLabel)}`,
    `*Escalates to:*\n${escapeMrkdwn(v.escalateTo)}${v.state === 'resolved' ? '' : ` — now at *${escapeMrkdwn(v.levelName)}*${v.nextLevelName ? `, next ${escapeMrkdwn(v.nextLevelName)}` : ''}`}`,
  ];
  const blocks: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(`${v.severity.toUpperCase()} · ${v.severityName} · #${v.id}: ${v.summary}`, 150) } },
    { type: 'section', text: { type: 'mrkdwn', text: clip(`${SEV_EMOJI[v.severity] ?? ''} *${escapeMrkdwn(v.summary)}*`, 3000) } },
    { type: 'section', fields: fields.map((text) => ({ type: 'mrkdwn' as const, text: clip(text, 2000) })) },
    {
      type: 'section',
      text: { type: 'mrkdwn', text: `${slaLine('Response', v.responseDueAt, v.sla.response)}\n${slaLine('Resolution', v.resolutionDueAt, v.sla.resolution)}` },
    },
  ];
  const ctx: string[] = [];
  if (v.paged.length) ctx.push(`Paged: ${v.paged.slice(0, 20).map(mention).join(' ')}`);
  if (v.acknowledgedBy && v.acknowledgedAt) ctx.push(`Acknowledged by ${mention(v.acknowledgedBy)} at ${when(v.acknowledgedAt)}`);
  if (v.resolvedBy && v.resolvedAt) ctx.push(`Resolved by ${mention(v.resolvedBy)} at ${when(v.resolvedAt)}${v.resolutionNote ? `: ${escapeMrkdwn(v.resolutionNote)}` : ''}`);
  if (v.incidentChannel) ctx.push(`Channel: <#${v.incidentChannel}>`);
  if (v.origin) ctx.push(escapeMrkdwn(v.origin));
  if (ctx.length) blocks.push({ type: 'context', elements: ctx.slice(0, 10).map((text) => ({ type: 'mrkdwn' as const, text: clip(text, 3000) })) });
  if (v.state !== 'resolved') {
    const value = incidentRef(v.id, v.level);
    blocks.push({
      type: 'actions',
      block_id: IncidentIds.actionsBlock(v.id),
      elements: [
        ...(v.state === 'open' ? [{ type: 'button' as const, action_id: IncidentIds.ack, text: { type: 'plain_text' as const, text: 'Acknowledge' }, style: 'primary' as const, value }] : []),
        { type: 'button', action_id: IncidentIds.resolve, text: { type: 'plain_text', text: 'Resolve' }, value },
        ...(v.nextLevelName
          ? [
              {
                type: 'button' as const,
                action_id: IncidentIds.escalate,
                text: { type: 'plain_text' as const, text: 'Escalate now' },
                style: 'danger' as const,
                value,
                confirm: {
                  title: { type: 'plain_text' as const, text: 'Escalate now?' },
                  text: { type: 'plain_text' as const, text: clip(`This pages ${v.nextLevelName} at once.`, 300) },
                  confirm: { type: 'plain_text' as const, text: 'Escalate' },
                  deny: { type: 'plain_text' as const, text: 'Cancel' },
                },
              },
            ]
          : []),
      ],
    });
  }
  return { text: clip(`${SEV_EMOJI[v.severity] ?? ''} ${incidentTitle(v)} (${v.state})`, 3000), blocks };
}

/** The page a person receives (DM) or a user group sees (mention in the incidents channel). */
export function buildPage(v: Pick<IncidentView, 'id' | 'severity' | 'severityName' | 'summary'>, to: string, levelName: string, reason: string): Message {
  const text = `:rotating_light: ${to} — you are paged (${escapeMrkdwn(levelName)}) for ${escapeMrkdwn(incidentTitle(v))}. ${escapeMrkdwn(reason)}`;
  return {
    text: clip(text, 3000),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: clip(text, 3000) } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `Acknowledge with the button on the announcement or \`/incident ack ${v.id}\`.` }] },
    ],
  };
}

/** One line of the timeline thread. */
export function buildTimelineEntry(e: { kind: string; text: string; at: Date; userId: string | null }): Message {
  const who = e.userId ? ` — ${mention(e.userId)}` : '';
  const text = clip(`${when(e.at)} *${e.kind}*${who}: ${e.text}`, 3000);
  return { text: clip(`${e.kind}: ${e.text}`, 3000), blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

export function slaShort(s: SlaView): string {
  switch (s.state) {
    case 'running':
      return `${formatDuration(s.left)} left`;
    case 'met':
      return 'met';
    case 'breached':
      return 'breached';
    default:
      return '—';
  }
}

/** `/incident list`: open incidents, age and SLA state. */
export function buildIncidentList(items: { v: IncidentView; ageMs: number }[]): Message {
  if (items.length === 0) return { text: 'No open incidents.', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: ':white_check_mark: No open incidents.' } }] };
  const lines = items.map(({ v, ageMs }) => {
    const slaName = v.state === 'open' ? 'response' : 'resolution';
    const sla = v.state === 'open' ? v.sla.response : v.sla.resolution;
    return clip(`${SEV_EMOJI[v.severity] ?? ''} *#${v.id}* ${v.severity.toUpperCase()} ${escapeMrkdwn(clip(v.summary, 120))} — ${v.state}, ${formatDuration(ageMs)} old, ${slaName} SLA ${slaShort(sla)}, at ${escapeMrkdwn(v.levelName)}`, 400);
  });
  const blocks: Block[] = [{ type: 'header', text: { type: 'plain_text', text: `Open incidents (${items.length})` } }];
  // Lines are packed into sections within a budget, so a long list never breaks the message size.
  let shown = 0;
  let budget = 10_000;
  let chunk: string[] = [];
  const flush = () => {
    if (chunk.length) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: chunk.join('\n') } });
    chunk = [];
  };
  for (const line of lines) {
    if (budget - line.length < 0 || blocks.length >= 45) break;
    if (chunk.join('\n').length + line.length + 1 > 2900) flush();
    chunk.push(line);
    budget -= line.length + 20;
    shown += 1;
  }
  flush();
  if (shown < items.length) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `…and ${items.length - shown} more` }] });
  return { text: `${items.length} open incident(s)`, blocks };
}

/** `/incident show <id>`: the announcement plus the timeline. */
export function buildIncidentDetail(v: IncidentView, events: { kind: string; text: string; at: Date; userId: string | null }[]): Message {
  const base = buildIncidentAnnouncement(v);
  const blocks = (base.blocks ?? []).filter((b) => b.type !== 'actions');
  const lines = events.slice(-30).map((e) => buildTimelineEntry(e).blocks![0]!).map((b) => (b.type === 'section' && b.text ? b.text.text : ''));
  blocks.push({ type: 'divider' }, { type: 'section', text: { type: 'mrkdwn', text: clip(`*Timeline*\n${lines.join('\n')}`, 3000) } });
  return { text: base.text, blocks };
}

export function buildIncidentChannelIntro(v: IncidentView, permalink: string | null): Message {
  const link = permalink ? `<${permalink}|the announcement>` : 'the announcement in the incidents channel';
  const text = `${SEV_EMOJI[v.severity] ?? ''} ${escapeMrkdwn(incidentTitle(v))}\nWork the incident here; acknowledge, resolve and escalate from ${link}. The timeline is kept in its thread.`;
  return { text: clip(text, 3000), blocks: [{ type: 'section', text: { type: 'mrkdwn', text: clip(text, 3000) } }] };
}

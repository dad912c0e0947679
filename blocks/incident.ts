import { channelLink, clipMrkdwn, escapeMrkdwn, formatDuration, joinMrkdwn, link, mention, mrkdwn, slackDate, type Mrkdwn } from './format';
import { IncidentIds, incidentRef } from './ids';
import { dueAgo, timeLeft } from './countdown';
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
  /** What the frozen policy pages (src/incidents/policy.ts `describeEscalation`). */
  escalateTo: string;
  /** False: a notify-only severity (nobody paged, no climb), so no "now at" level is shown. */
  autoEscalates?: boolean;
  paged: string[];
  declaredAt: Date;
  responseDueAt: Date;
  resolutionDueAt: Date | null;
  sla: { response: SlaView; resolution: SlaView };
  acknowledgedBy: string | null;
  acknowledgedAt: Date | null;
  resolvedBy: string | null;
  /** The incident lead (`/incident lead`), when someone took it. */
  lead?: string | null;
  /** The latest status update (`/incident update`). */
  lastUpdate?: { text: string; at: Date; by: string } | null;
  resolvedAt: Date | null;
  resolutionNote: string | null;
  incidentChannel: string | null;
  origin: string | null;
  /** The permalink of the message it was declared from (the message shortcut), asked of Slack. */
  sourceLink?: string | null;
}

const SEV_EMOJI: Record<string, Mrkdwn> = {
  p0: mrkdwn`:rotating_light:`,
  p1: mrkdwn`:red_circle:`,
  p2: mrkdwn`:large_orange_circle:`,
  p3: mrkdwn`:large_blue_circle:`,
};
const STATE_LABEL = {
  open: mrkdwn`:bell: Open — not acknowledged`,
  acknowledged: mrkdwn`:eyes: Acknowledged`,
  resolved: mrkdwn`:white_check_mark: Resolved`,
} as const;

const when = (d: Date) => slackDate(d, '{date_short_pretty} {time}', `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`);

export function slaLine(label: 'Response' | 'Resolution', due: Date | null, s: SlaView): Mrkdwn {
  if (!due) return mrkdwn`*${escapeMrkdwn(label)}:* next release`;
  const base = mrkdwn`*${escapeMrkdwn(label)}:* by ${when(due)}`;
  switch (s.state) {
    case 'running':
      return mrkdwn`${base} — :hourglass_flowing_sand: ${timeLeft(s.left)}`;
    case 'met':
      return mrkdwn`${base} — :white_check_mark: met`;
    case 'breached':
      return s.done ? mrkdwn`${base} — :warning: *breached*` : mrkdwn`${base} — :warning: *breached* (${dueAgo(due)})`;
    default:
      return base;
  }
}

/** Plain text (for plain_text fields); escape it for mrkdwn. */
export function incidentTitle(v: Pick<IncidentView, 'id' | 'severity' | 'severityName' | 'summary'>): string {
  return `${v.severity.toUpperCase()} ${v.severityName} — incident #${v.id}: ${v.summary}`;
}

const emoji = (severity: string): Mrkdwn => SEV_EMOJI[severity] ?? mrkdwn``;

/** The announcement in the incidents channel; re-rendered in place on every change. */
export function buildIncidentAnnouncement(v: IncidentView): Message {
  const level = v.nextLevelName
    ? mrkdwn` — now at *${escapeMrkdwn(v.levelName)}*, next ${escapeMrkdwn(v.nextLevelName)}`
    : mrkdwn` — now at *${escapeMrkdwn(v.levelName)}*`;
  const fields = [
    mrkdwn`*Status:*\n${STATE_LABEL[v.state]}`,
    mrkdwn`*Declared by:*\n${mention(v.declaredBy)} at ${when(v.declaredAt)}`,
    mrkdwn`*System:*\n${escapeMrkdwn(v.systemLabel)}`,
    mrkdwn`*Lead:*\n${v.lead ? mention(v.lead) : mrkdwn`nobody yet`}`,
    mrkdwn`*Escalates to:*\n${escapeMrkdwn(v.escalateTo)}${v.state === 'resolved' || v.autoEscalates === false ? mrkdwn`` : level}`,
  ];
  const blocks: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(`${v.severity.toUpperCase()} · ${v.severityName} · #${v.id}: ${v.summary}`, 150) } },
    { type: 'section', text: { type: 'mrkdwn', text: clipMrkdwn(mrkdwn`${emoji(v.severity)} *${escapeMrkdwn(clip(v.summary, 1000))}*`, 3000) } },
    { type: 'section', fields: fields.map((text) => ({ type: 'mrkdwn' as const, text: clipMrkdwn(text, 500) })) },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: mrkdwn`${slaLine('Response', v.responseDueAt, v.sla.response)}\n${slaLine('Resolution', v.resolutionDueAt, v.sla.resolution)}`,
      },
    },
  ];
  if (v.lastUpdate) {
    const u = v.lastUpdate;
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: clipMrkdwn(mrkdwn`:mega: *Latest update* (${when(u.at)}, ${mention(u.by)}): ${escapeMrkdwn(clip(u.text, 1500))}`, 3000) },
    });
  }
  const ctx: Mrkdwn[] = [];
  if (v.paged.length) ctx.push(mrkdwn`Paged: ${joinMrkdwn(v.paged.slice(0, 20).map(mention), ' ')}`);
  if (v.acknowledgedBy && v.acknowledgedAt) ctx.push(mrkdwn`Acknowledged by ${mention(v.acknowledgedBy)} at ${when(v.acknowledgedAt)}`);
  if (v.resolvedBy && v.resolvedAt) {
    const note = v.resolutionNote ? mrkdwn`: ${escapeMrkdwn(v.resolutionNote)}` : mrkdwn``;
    ctx.push(mrkdwn`Resolved by ${mention(v.resolvedBy)} at ${when(v.resolvedAt)}${note}`);
  }
  if (v.incidentChannel) ctx.push(mrkdwn`Channel: ${channelLink(v.incidentChannel)}`);
  if (v.origin) ctx.push(escapeMrkdwn(v.origin));
  if (v.sourceLink) ctx.push(mrkdwn`Declared from ${link(v.sourceLink, 'this message')}`);
  if (ctx.length) blocks.push({ type: 'context', elements: ctx.slice(0, 10).map((text) => ({ type: 'mrkdwn' as const, text: clipMrkdwn(text, 600) })) });
  if (v.state !== 'resolved') {
    blocks.push({
      type: 'actions',
      block_id: IncidentIds.actionsBlock(v.id),
      elements: incidentButtons(v, { lead: true }),
    });
  }
  return { text: clipMrkdwn(mrkdwn`${emoji(v.severity)} ${escapeMrkdwn(incidentTitle(v))} (${escapeMrkdwn(v.state)})`, 3000), blocks };
}

/** The page a person receives (DM) or a user group sees (mention in the incidents channel). */
export function buildPage(
  v: Pick<IncidentView, 'id' | 'severity' | 'severityName' | 'summary'>,
  to: Mrkdwn,
  levelName: string,
  reason: Mrkdwn,
  level?: number,
): Message {
  const text = clipMrkdwn(mrkdwn`:rotating_light: ${to} — you are paged (${escapeMrkdwn(levelName)}) for ${escapeMrkdwn(incidentTitle(v))}. ${reason}`, 3000);
  const blocks: Block[] = [{ type: 'section', text: { type: 'mrkdwn', text } }];
  // The page carries the buttons itself: the person acts where they were reached.
  if (level !== undefined) {
    const value = incidentRef(v.id, level);
    blocks.push({
      type: 'actions',
      block_id: `page_${IncidentIds.actionsBlock(v.id)}`,
      elements: [
        { type: 'button', action_id: IncidentIds.ack, text: { type: 'plain_text', text: 'Acknowledge' }, style: 'primary', value },
        { type: 'button', action_id: IncidentIds.resolve, text: { type: 'plain_text', text: 'Resolve' }, value },
      ],
    });
  }
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: mrkdwn`Or \`/incident ack ${v.id}\`, or the buttons on the announcement.` }] });
  return { text, blocks };
}

/** A status update (`/incident update`), posted in the incident's channel. */
export function buildStatusUpdate(v: Pick<IncidentView, 'id' | 'severity' | 'severityName' | 'summary'>, by: string, update: string): Message {
  const text = clipMrkdwn(mrkdwn`:mega: *Status update* on ${escapeMrkdwn(incidentTitle(v))} from ${mention(by)}:\n${escapeMrkdwn(clip(update, 2000))}`, 3000);
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

/**
 * Timeline kinds whose stored text is the bot's own mrkdwn (the people paged, the channel link),
 * composed with the renderers by src/incidents/steps.ts; every other kind stores plain text.
 */
export const MARKUP_EVENT_KINDS = ['paged', 'channel', 'lead', 'control', 'source'] as const;
export type MarkupEventKind = (typeof MARKUP_EVENT_KINDS)[number];
export type TimelineEvent = { kind: string; text: string; at: Date; userId: string | null };

export function eventText(e: Pick<TimelineEvent, 'kind' | 'text'>): Mrkdwn {
  return (MARKUP_EVENT_KINDS as readonly string[]).includes(e.kind) ? (e.text as Mrkdwn) : escapeMrkdwn(e.text);
}

export function timelineLine(e: TimelineEvent): Mrkdwn {
  const who = e.userId ? mrkdwn` — ${mention(e.userId)}` : mrkdwn``;
  return clipMrkdwn(mrkdwn`${when(e.at)} *${escapeMrkdwn(e.kind)}*${who}: ${eventText(e)}`, 3000);
}

/** One line of the timeline thread. */
export function buildTimelineEntry(e: TimelineEvent): Message {
  return {
    text: clipMrkdwn(mrkdwn`${escapeMrkdwn(e.kind)}: ${eventText(e)}`, 3000),
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: timelineLine(e) } }],
  };
}

export function slaShort(s: SlaView): Mrkdwn {
  switch (s.state) {
    case 'running':
      return timeLeft(s.left);
    case 'met':
      return mrkdwn`met`;
    case 'breached':
      return mrkdwn`breached`;
    default:
      return mrkdwn`—`;
  }
}

/** `/incident list`: open incidents, age and SLA state. */
export function buildIncidentList(items: { v: IncidentView; ageMs: number }[]): Message {
  if (items.length === 0)
    return { text: mrkdwn`No open incidents.`, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: mrkdwn`:white_check_mark: No open incidents.` } }] };
  const lines = items.map(({ v, ageMs }) => {
    const slaName = escapeMrkdwn(v.state === 'open' ? 'response' : 'resolution');
    const sla = v.state === 'open' ? v.sla.response : v.sla.resolution;
    return clipMrkdwn(
      mrkdwn`${emoji(v.severity)} *#${v.id}* ${escapeMrkdwn(v.severity.toUpperCase())} ${escapeMrkdwn(clip(v.summary, 120))} — ${escapeMrkdwn(v.state)}, ${formatDuration(ageMs)} old, ${slaName} SLA ${slaShort(sla)}, at ${escapeMrkdwn(v.levelName)}`,
      400,
    );
  });
  const blocks: Block[] = [{ type: 'header', text: { type: 'plain_text', text: `Open incidents (${items.length})` } }];
  // Lines are packed into sections within a budget, so a long list never breaks the message size.
  let shown = 0;
  let budget = 10_000;
  let chunk: Mrkdwn[] = [];
  const flush = () => {
    if (chunk.length) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: joinMrkdwn(chunk) } });
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
  if (shown < items.length) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: mrkdwn`…and ${items.length - shown} more` }] });
  return { text: mrkdwn`${items.length} open incident(s)`, blocks };
}

/** `/incident show <id>`: the announcement plus the timeline. */
export function buildIncidentDetail(v: IncidentView, events: TimelineEvent[]): Message {
  const base = buildIncidentAnnouncement(v);
  const blocks = (base.blocks ?? []).filter((b) => b.type !== 'actions');
  const lines = events.slice(-30).map(timelineLine);
  blocks.push({ type: 'divider' }, { type: 'section', text: { type: 'mrkdwn', text: clipMrkdwn(mrkdwn`*Timeline*\n${joinMrkdwn(lines)}`, 3000) } });
  return { text: base.text, blocks };
}

export function buildIncidentChannelIntro(v: IncidentView, permalink: string | null): Message {
  const where = permalink ? link(permalink, 'the announcement') : mrkdwn`the announcement in the incidents channel`;
  const text = clipMrkdwn(
    mrkdwn`${emoji(v.severity)} ${escapeMrkdwn(incidentTitle(v))}\nWork the incident here: the pinned message has its state and buttons. It was announced in ${where}; the timeline is kept in that message's thread.`,
    3000,
  );
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

/**
 * The buttons of an open incident (announcement and Home): Acknowledge while open, I'll lead while
 * it has none (`lead`), Resolve, and Escalate now with a confirmation while a level is above it.
 */
export function incidentButtons(v: Pick<IncidentView, 'id' | 'level' | 'state' | 'lead' | 'nextLevelName'>, opts: { lead: boolean }) {
  const value = incidentRef(v.id, v.level);
  return [
    ...(v.state === 'open'
      ? [{ type: 'button' as const, action_id: IncidentIds.ack, text: { type: 'plain_text' as const, text: 'Acknowledge' }, style: 'primary' as const, value }]
      : []),
    ...(opts.lead && !v.lead
      ? [{ type: 'button' as const, action_id: IncidentIds.lead, text: { type: 'plain_text' as const, text: "I'll lead" }, value }]
      : []),
    { type: 'button' as const, action_id: IncidentIds.resolve, text: { type: 'plain_text' as const, text: 'Resolve' }, value },
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
  ];
}

import { clipMrkdwn, escapeMrkdwn, mention, mrkdwn, type Mrkdwn } from './format';
import { IncidentIds } from './ids';
import { incidentButtons, incidentTitle, slaLine, type IncidentView } from './incident';
import { clip, type Block, type Message } from './limits';

const STATE: Record<IncidentView['state'], Mrkdwn> = {
  open: mrkdwn`:bell: *Open* — not acknowledged`,
  acknowledged: mrkdwn`:eyes: *Acknowledged*`,
  resolved: mrkdwn`:white_check_mark: *Resolved*`,
};

/**
 * The control message pinned in the incident's own channel: state, severity, lead, the SLA
 * countdown and the buttons (the one builder the announcement and Home use), re-rendered in place
 * on every change. Once resolved it keeps the facts and loses the buttons.
 */
export function buildIncidentControl(v: IncidentView): Message {
  const who = [
    mrkdwn`*Severity:* ${escapeMrkdwn(v.severity.toUpperCase())} ${escapeMrkdwn(v.severityName)}`,
    mrkdwn`*Lead:* ${v.lead ? mention(v.lead) : mrkdwn`nobody yet`}`,
    ...(v.acknowledgedBy ? [mrkdwn`*Acknowledged by:* ${mention(v.acknowledgedBy)}`] : []),
    ...(v.resolvedBy ? [mrkdwn`*Resolved by:* ${mention(v.resolvedBy)}`] : []),
  ];
  const blocks: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(`Incident #${v.id} · control`, 150) } },
    { type: 'section', text: { type: 'mrkdwn', text: clipMrkdwn(mrkdwn`${STATE[v.state]} · ${escapeMrkdwn(clip(v.summary, 500))}`, 3000) } },
    { type: 'section', fields: who.map((text) => ({ type: 'mrkdwn' as const, text: clipMrkdwn(text, 500) })) },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: mrkdwn`${slaLine('Response', v.responseDueAt, v.sla.response)}\n${slaLine('Resolution', v.resolutionDueAt, v.sla.resolution)}`,
      },
    },
  ];
  if (v.state !== 'resolved')
    blocks.push({ type: 'actions', block_id: `control_${IncidentIds.actionsBlock(v.id)}`, elements: incidentButtons(v, { lead: true }) });
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: mrkdwn`Kept up to date by the bot. \`/incident update ${v.id} …\` posts a status update; \`/incident show ${v.id}\` the timeline.`,
      },
    ],
  });
  return { text: clipMrkdwn(mrkdwn`Control: ${escapeMrkdwn(incidentTitle(v))} (${escapeMrkdwn(v.state)})`, 3000), blocks };
}

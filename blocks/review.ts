// The post-incident review draft and the follow-up messages. The narrative is LLM text and every
// fact string may hold what someone typed in Slack: all of it is escaped here, so none of it can
// ping, mention or link.
import type { ReviewFacts } from '../src/review/facts';
import { clipMrkdwn, escapeMrkdwn, joinMrkdwn, mention, mrkdwn, type Mrkdwn } from './format';
import { MARKUP_EVENT_KINDS } from './incident';
import { clip, type Block, type Message } from './limits';

export const ReviewIds = {
  followupDone: 'incident_followup_done',
} as const;

export interface ReviewView {
  facts: ReviewFacts;
  /** The LLM's narrative (plain text), or null for the plain draft. */
  narrative: string | null;
  model: string | null;
  /** Why there is no narrative, in words. */
  plainBecause: string | null;
}

// Caps that keep the whole draft well inside a message's 13,000 characters at its largest.
const section = (text: Mrkdwn, max = 2500): Block => ({ type: 'section', text: { type: 'mrkdwn', text: clipMrkdwn(text, max) } });
const context = (text: Mrkdwn): Block => ({ type: 'context', elements: [{ type: 'mrkdwn', text: clipMrkdwn(text, 2000) }] });

/** "12 min (SLA 15 min, met)" */
function against(minutes: number | null, sla: number | null, met: boolean | null, what: string): Mrkdwn {
  const took = minutes === null ? mrkdwn`not ${escapeMrkdwn(what)}` : mrkdwn`${minutes} min`;
  if (sla === null) return mrkdwn`${took} (no SLA)`;
  const verdict = met === null ? mrkdwn`` : met ? mrkdwn`, met` : mrkdwn`, *breached*`;
  return mrkdwn`${took} (SLA ${sla} min${verdict})`;
}

function timelineLine(e: ReviewFacts['timeline'][number]): Mrkdwn {
  const text = (MARKUP_EVENT_KINDS as readonly string[]).includes(e.kind) ? (e.text as Mrkdwn) : escapeMrkdwn(clip(e.text, 200));
  const who = e.userId ? mrkdwn` — ${mention(e.userId)}` : mrkdwn``;
  return mrkdwn`\`${escapeMrkdwn(e.time)}\` *${escapeMrkdwn(e.kind)}*${who}: ${text}`;
}

function windowLines(f: ReviewFacts): Mrkdwn[] {
  const runs = f.checklists.map(
    (c) =>
      mrkdwn`:clipboard: ${escapeMrkdwn(c.name)} — ${escapeMrkdwn(c.state)}, ${c.done} of ${c.items} done${c.problems ? mrkdwn`, *${c.problems} signed Problem*` : mrkdwn``}`,
  );
  const probes = f.probes.map(
    (p) =>
      mrkdwn`${p.status === 'fail' ? mrkdwn`:red_circle:` : mrkdwn`:white_circle:`} \`${escapeMrkdwn(p.time)}\` ${escapeMrkdwn(p.probe)}: ${escapeMrkdwn(p.status)} — ${escapeMrkdwn(clip(p.summary, 150))}`,
  );
  return [...runs, ...probes];
}

/** The review draft: what kind of draft it is, the narrative if any, then the facts it came from. */
export function buildReviewMessage(v: ReviewView): Message {
  const f = v.facts;
  const i = f.incident;
  const title = `Post-incident review draft — incident #${i.id} (${i.severity} · ${i.severityName})`;
  const kind = v.narrative
    ? mrkdwn`:robot_face: Narrative written by ${escapeMrkdwn(v.model ?? 'the LLM')} from the facts below; every number and name in it was checked against them. Edit before sharing.`
    : mrkdwn`:page_facing_up: Plain draft from the facts${v.plainBecause ? mrkdwn` (${escapeMrkdwn(v.plainBecause)})` : mrkdwn``}.`;
  const blocks: Block[] = [{ type: 'header', text: { type: 'plain_text', text: clip(title, 150) } }, context(kind)];
  blocks.push(
    section(
      mrkdwn`*${escapeMrkdwn(clip(i.summary, 200))}*\nSystem: ${escapeMrkdwn(i.system)} · declared ${escapeMrkdwn(i.declared)} · resolved ${escapeMrkdwn(i.resolved)} (${escapeMrkdwn(i.timeZone)})${i.resolutionNote ? mrkdwn`\nResolution: ${escapeMrkdwn(clip(i.resolutionNote, 400))}` : mrkdwn``}`,
      1000,
    ),
  );
  if (v.narrative) blocks.push(section(mrkdwn`*Narrative*\n${escapeMrkdwn(clip(v.narrative, 1500))}`, 1600));
  blocks.push({
    type: 'section',
    fields: [
      { type: 'mrkdwn', text: mrkdwn`*Time to acknowledge*\n${against(f.acknowledge.minutes, f.acknowledge.slaMinutes, f.acknowledge.met, 'acknowledged')}` },
      { type: 'mrkdwn', text: mrkdwn`*Time to resolve*\n${against(f.resolve.minutes, f.resolve.slaMinutes, f.resolve.met, 'resolved')}` },
    ],
  });
  const esc = f.escalations.map((e) => mrkdwn`\`${escapeMrkdwn(e.time)}\` to ${escapeMrkdwn(e.level)} (${escapeMrkdwn(e.how)})`);
  blocks.push(
    section(mrkdwn`*Escalations (${f.escalations.length})*\n${esc.length ? joinMrkdwn(esc) : mrkdwn`None: it was acknowledged at the level it started.`}`, 600),
  );
  const lines = f.timeline.map(timelineLine);
  const omitted = f.timelineOmitted ? mrkdwn`\n_${f.timelineOmitted} more entries: \`/incident show ${i.id}\`_` : mrkdwn``;
  blocks.push(section(mrkdwn`*Timeline*\n${joinMrkdwn(lines)}${omitted}`, 2000));
  const during = windowLines(f);
  blocks.push(
    section(
      mrkdwn`*Checklists and probes during the incident* (${f.probeFailures} probe ${f.probeFailures === 1 ? mrkdwn`failure` : mrkdwn`failures`})\n${during.length ? joinMrkdwn(during) : mrkdwn`No checklist ran and no probe was checked in the window.`}`,
      1200,
    ),
  );
  blocks.push(
    context(
      mrkdwn`Next: \`/incident followup ${i.id} &lt;what&gt; [@owner] [YYYY-MM-DD]\` for each action item · \`/incident review ${i.id}\` shows this again.`,
    ),
  );
  const text = clipMrkdwn(mrkdwn`Post-incident review draft for incident #${i.id}: ${escapeMrkdwn(clip(i.summary, 200))}`, 3000);
  return { text, blocks };
}

export interface FollowupLine {
  id: number;
  incidentId: number;
  text: string;
  owner: string;
  dueOn: string | null;
  overdue: boolean;
}

/** A "Done" button for one follow-up (value: its id). */
export function followupDoneButton(id: number): Block {
  return {
    type: 'actions',
    elements: [{ type: 'button', action_id: ReviewIds.followupDone, text: { type: 'plain_text', text: 'Done' }, value: String(id), style: 'primary' }],
  };
}

export function followupLine(f: FollowupLine): Mrkdwn {
  const due = f.dueOn ? mrkdwn`, due ${escapeMrkdwn(f.dueOn)}${f.overdue ? mrkdwn` *(overdue)*` : mrkdwn``}` : mrkdwn``;
  return mrkdwn`*${f.id}* · incident #${f.incidentId} · ${mention(f.owner)}${due}: ${escapeMrkdwn(clip(f.text, 300))}`;
}

/** `/incident followups [id]`: open follow-ups, newest first. */
export function buildFollowupList(items: FollowupLine[], total: number, incidentId: number | null): Message {
  const scope = incidentId === null ? mrkdwn`` : mrkdwn` of incident #${incidentId}`;
  if (items.length === 0) {
    const text = mrkdwn`:white_check_mark: No open follow-ups${scope}.`;
    return { text, blocks: [section(text)] };
  }
  const head = mrkdwn`:spiral_note_pad: *Open follow-ups${scope}* (${total}, newest first)`;
  const more = total > items.length ? mrkdwn`\n_${total - items.length} older ones not shown._` : mrkdwn``;
  const text = clipMrkdwn(mrkdwn`${head}\n${joinMrkdwn(items.map(followupLine))}${more}`, 2900);
  return {
    text,
    blocks: [
      section(text),
      context(mrkdwn`Mark one done: \`/incident followup done &lt;follow-up id&gt;\` (its owner, the incident's lead, or who may resolve it).`),
    ],
  };
}

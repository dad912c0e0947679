import { channelLink, clipMrkdwn, escapeMrkdwn, formatDuration, joinMrkdwn, link, mention, mrkdwn, slackDate, type Mrkdwn } from './format';
import { IncidentIds } from './ids';
import { incidentButtons, slaShort } from './incident';
import { clip, type Block } from './limits';
import { onCallLine } from './oncall';
import type { HomeLevel, HomeModel, HomeRun } from '../src/home/read-model';
import type { Scorecard } from '../src/scorecard';
import { metricLine, scorecardHeadline } from './scorecard';

/** Slack's cap on the blocks of a Home tab; the builder never goes past it. */
export const HOME_MAX_BLOCKS = 100;

export interface HomeView {
  type: 'home';
  callback_id: string;
  blocks: Block[];
}

export const HOME_CALLBACK_ID = 'ops_home';

const SEV: Record<string, Mrkdwn> = {
  p0: mrkdwn`:rotating_light:`,
  p1: mrkdwn`:red_circle:`,
  p2: mrkdwn`:large_orange_circle:`,
  p3: mrkdwn`:large_blue_circle:`,
};
const at = (d: Date, format: string) => slackDate(d, format, `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`);
const header = (text: string): Block => ({ type: 'header', text: { type: 'plain_text', text: clip(text, 150) } });
const context = (text: Mrkdwn): Block => ({ type: 'context', elements: [{ type: 'mrkdwn', text: clipMrkdwn(text, 2000) }] });

/** Lines packed into as few sections as the 3000-character limit allows (at most `max`). */
function sections(lines: readonly Mrkdwn[], max: number): Block[] {
  const out: Block[] = [];
  let current = mrkdwn``;
  for (const raw of lines) {
    const line = clipMrkdwn(raw, 1000);
    if (current && current.length + line.length + 1 > 2900) {
      out.push({ type: 'section', text: { type: 'mrkdwn', text: current } });
      current = mrkdwn``;
    }
    current = current ? joinMrkdwn([current, line]) : line;
  }
  if (current) out.push({ type: 'section', text: { type: 'mrkdwn', text: current } });
  return out.slice(0, max);
}

const more = (shown: number, total: number, where: Mrkdwn): Block[] => (total > shown ? [context(mrkdwn`…and ${total - shown} more: ${where}`)] : []);

function runLine(r: HomeRun): Mrkdwn {
  const icon =
    r.state === 'missed'
      ? mrkdwn`:no_entry:`
      : r.state === 'complete'
        ? mrkdwn`:white_check_mark:`
        : r.signed > 0
          ? mrkdwn`:large_blue_circle:`
          : mrkdwn`:white_circle:`;
  const name = r.link ? link(r.link, r.name) : mrkdwn`*${escapeMrkdwn(r.name)}*`;
  const progress = r.state === 'missed' ? mrkdwn`missed (the bot was down)` : mrkdwn`${r.signed}/${r.total} signed`;
  const tags = [r.late ? 'late' : '', r.problems ? `${r.problems} problem${r.problems > 1 ? 's' : ''}` : ''].filter(Boolean);
  return mrkdwn`${icon} ${at(r.at, '{time}')} ${name} — ${progress}${tags.length ? mrkdwn` (${escapeMrkdwn(tags.join(', '))})` : mrkdwn``}`;
}

function incidentBlocks(m: HomeModel): Block[] {
  const blocks: Block[] = [header(`Open incidents (${m.incidentsTotal})`)];
  if (!m.incidents.length) return [...blocks, { type: 'section', text: { type: 'mrkdwn', text: mrkdwn`:white_check_mark: No open incidents.` } }];
  for (const { view: v, ageMs } of m.incidents) {
    const sla = v.state === 'open' ? mrkdwn`response ${slaShort(v.sla.response)}` : mrkdwn`resolution ${slaShort(v.sla.resolution)}`;
    const lead = v.lead ? mrkdwn` · lead ${mention(v.lead)}` : mrkdwn` · no lead`;
    const where = v.incidentChannel ? mrkdwn` · ${channelLink(v.incidentChannel)}` : mrkdwn``;
    const text = mrkdwn`${SEV[v.severity] ?? mrkdwn``} *#${v.id} ${escapeMrkdwn(v.severity.toUpperCase())}* ${escapeMrkdwn(clip(v.summary, 200))}\n${escapeMrkdwn(v.state)} · ${formatDuration(ageMs)} old · ${sla} · at ${escapeMrkdwn(v.levelName)}${lead}${where}`;
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clipMrkdwn(text, 2900) } });
    const buttons: Block = {
      type: 'actions',
      block_id: `home_${IncidentIds.actionsBlock(v.id)}`,
      elements: incidentButtons(v, { lead: false }),
    };
    blocks.push(buttons);
  }
  return [...blocks, ...more(m.incidents.length, m.incidentsTotal, mrkdwn`\`/incident list\``)];
}

/** One line per escalation level, lowest first: its holder now and next (rotation, cover), or everyone it pages. */
export function onCallLines(levels: readonly HomeLevel[], timeZone: string): Mrkdwn[] {
  return levels.map((l) => onCallLine(l, timeZone));
}

/** The Home tab of one person: what needs them, what is on fire, who is on call, what comes next. */
export function buildHomeView(m: HomeModel): HomeView {
  const who = m.roles.length
    ? mrkdwn`You are ${escapeMrkdwn(m.roles.join(', '))}.`
    : mrkdwn`You hold no role in the ops config, so nothing is assigned to you; anyone may declare an incident (\`/incident\`) and follow the day here.`;
  const blocks: Block[] = [header('DrainPro Ops'), context(mrkdwn`${who} Updated ${at(m.now, '{date_short_pretty} {time}')}.`)];

  blocks.push({ type: 'divider' }, header(`Waiting for you (${m.waitingTotal})`));
  if (m.waiting.length) {
    blocks.push(
      ...sections(
        m.waiting.map((w) => mrkdwn`:ballot_box_with_check: ${escapeMrkdwn(w.item)} — ${w.link ? link(w.link, w.checklist) : escapeMrkdwn(w.checklist)}`),
        3,
      ),
    );
    blocks.push(...more(m.waiting.length, m.waitingTotal, mrkdwn`open today's checklists below`));
  } else {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: m.roles.length ? mrkdwn`Nothing waits for you today.` : mrkdwn`Nothing is assigned to you: items are assigned by role.` },
    });
  }

  if (m.followups.length) {
    blocks.push(header(`Your follow-ups (${m.followups.length}${m.followups.length >= 10 ? '+' : ''})`));
    blocks.push(
      ...sections(
        m.followups.map(
          (f) =>
            mrkdwn`:spiral_note_pad: ${escapeMrkdwn(clip(f.text, 300))} — follow-up ${f.id} of incident #${f.incidentId}${f.dueOn ? mrkdwn`, due ${escapeMrkdwn(f.dueOn)}` : mrkdwn``}`,
        ),
        2,
      ),
      context(mrkdwn`Done with one? \`/incident followup done &lt;follow-up id&gt;\` · all open ones: \`/incident followups\``),
    );
  }

  blocks.push({ type: 'divider' }, ...incidentBlocks(m));

  blocks.push({ type: 'divider' }, header(`Today's checklists (${m.todayTotal})`));
  if (m.today.length) blocks.push(...sections(m.today.map(runLine), 3), ...more(m.today.length, m.todayTotal, mrkdwn`\`/ops status\``));
  else blocks.push({ type: 'section', text: { type: 'mrkdwn', text: mrkdwn`No checklist has run today yet.` } });

  blocks.push({ type: 'divider' }, header('On call now'), ...sections(onCallLines(m.levels, m.timezone), 2));

  blocks.push({ type: 'divider' }, header('Next checklists'));
  const next = m.upcoming.map((u) => mrkdwn`:calendar: ${at(u.at, '{date_short_pretty} {time}')} *${escapeMrkdwn(u.name)}* in #${escapeMrkdwn(u.channel)}`);
  blocks.push(
    ...(next.length ? sections(next, 2) : [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: mrkdwn`No checklist is scheduled.` } }]),
  );
  if (m.scorecard) blocks.push({ type: 'divider' }, header('Scorecard this week'), ...scorecardBlocks(m.scorecard));
  // The caps above keep this far below Slack's limit; the slice is the last guard, never the plan.
  return { type: 'home', callback_id: HOME_CALLBACK_ID, blocks: blocks.slice(0, HOME_MAX_BLOCKS) };
}

/** The headline and the metrics off target (all twelve are one `/ops scorecard` away). */
function scorecardBlocks(card: Scorecard): Block[] {
  const missed = card.metrics.filter((x) => x.status === 'missed').map((x) => metricLine(x, card.previousKey));
  const head = mrkdwn`${scorecardHeadline(card)} (${escapeMrkdwn(card.period.key)}, targets from the guide's SUCCESS METRICS) — all twelve: \`/ops scorecard\``;
  return [{ type: 'section', text: { type: 'mrkdwn', text: clipMrkdwn(head, 3000) } }, ...(missed.length ? sections(missed, 2) : [])];
}

import type { SummaryProse } from '../src/summary/prose';
import type { FigureFact, WeekFacts } from '../src/summary/types';
import { clipMrkdwn, escapeMrkdwn, joinMrkdwn, mrkdwn, type Mrkdwn } from './format';
import { scorecardHeadline, scorecardSections } from './scorecard';
import { clip, LIMITS, type Block, type Message } from './limits';

export interface SummaryView {
  facts: WeekFacts;
  /** Plain text (LLM output cleaned by src/summary/validate.ts sanitizeProse, or built from the facts); escaped here. */
  prose: SummaryProse;
  source: 'llm' | 'fallback';
  model?: string;
  /** Why the plain summary was used, in words (fallback only). */
  fallbackReason?: string;
}

const intFmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const decFmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const moneyFmt = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 2, minimumFractionDigits: 0 });

/** A figure's value as leadership reads it: $1,234.5 / 27.5% / 1,234 / 12 min. */
export function formatFigure(unit: FigureFact['unit'], value: number): string {
  switch (unit) {
    case 'money':
      return moneyFmt.format(value);
    case 'percent':
      return `${decFmt.format(value)}%`;
    case 'count':
      return Number.isInteger(value) ? intFmt.format(value) : decFmt.format(value);
    case 'minutes':
      return `${decFmt.format(value)} min`;
    case 'seconds':
      return `${decFmt.format(value)} s`;
    case 'ms':
      return `${decFmt.format(value)} ms`;
    default:
      return decFmt.format(value);
  }
}

const SPARKS = '▁▂▃▄▅▆▇█';

/** The last 8 weeks as a sparkline, oldest first ("·" where no figure was entered). */
export function sparkline(values: readonly (number | null)[]): string {
  const nums = values.filter((v): v is number => v !== null);
  if (nums.length < 2) return '';
  const [min, max] = [Math.min(...nums), Math.max(...nums)];
  return values.map((v) => (v === null ? '·' : max === min ? '▄' : SPARKS[Math.round(((v - min) / (max - min)) * 7)]!)).join('');
}

/** "4 wk ago 22% · last year –" and the trend: the guide's other comparisons. */
function longerView(f: FigureFact): Mrkdwn {
  const parts: string[] = [];
  if (f.monthAgo !== undefined) parts.push(`4 wk ago ${f.monthAgo === null ? '–' : formatFigure(f.unit, f.monthAgo)}`);
  if (f.yearAgo !== undefined) parts.push(`last year ${f.yearAgo === null ? '–' : formatFigure(f.unit, f.yearAgo)}`);
  const spark = f.trend ? sparkline(f.trend) : '';
  if (spark) parts.push(`8 wk ${spark}`);
  return parts.length ? mrkdwn`\n${escapeMrkdwn(parts.join(' · '))}` : mrkdwn``;
}

function changeText(f: FigureFact): Mrkdwn {
  if (f.previous === null) return mrkdwn`no figure last week`;
  if (f.change === 0) return mrkdwn`same as last week`;
  const arrow = (f.change ?? 0) > 0 ? mrkdwn`:arrow_up_small:` : mrkdwn`:arrow_down_small:`;
  // A rate compares in points (20% → 26.5% is +6.5 pts), anything else in percent.
  const pct = f.unit === 'percent' ? ` ${decFmt.format(Math.abs(f.change ?? 0))} pts` : f.changePct === null ? '' : ` ${decFmt.format(Math.abs(f.changePct))}%`;
  return mrkdwn`${arrow}${escapeMrkdwn(pct)} vs ${escapeMrkdwn(formatFigure(f.unit, f.previous))}`;
}

const section = (text: Mrkdwn): Block => ({ type: 'section', text: { type: 'mrkdwn', text: clipMrkdwn(text, LIMITS.sectionText) } });
/** Prose is plain text: each item is escaped. */
const bullets = (items: readonly string[], empty: string) =>
  items.length ? joinMrkdwn(items.map((i) => mrkdwn`• ${escapeMrkdwn(i)}`)) : mrkdwn`_${escapeMrkdwn(empty)}_`;
const mins = (m: number | null) => escapeMrkdwn(m === null ? '–' : `${decFmt.format(m)} min`);

/** How much of each list is shown; the builder steps down until the message fits. */
interface Budget {
  rows: number;
  problems: number;
  noteChars: number;
  figures: number;
}
const BUDGETS: Budget[] = [
  { rows: 15, problems: 8, noteChars: 160, figures: 20 },
  { rows: 8, problems: 5, noteChars: 80, figures: 12 },
  { rows: 4, problems: 3, noteChars: 0, figures: 6 },
];

function checklistLines(facts: WeekFacts, b: Budget): Mrkdwn {
  const t = facts.checklists.totals;
  if (t.posted === 0 && t.missed === 0) return mrkdwn`*Checklists*\n_No checklist was posted this week._`;
  const rows = facts.checklists.byChecklist
    .slice(0, b.rows)
    .map(
      (c) =>
        mrkdwn`• ${escapeMrkdwn(clip(c.name, 100))}: ${c.posted} posted, ${c.onTime} on time, ${c.late} late${c.open ? mrkdwn`, ${c.open} still open` : mrkdwn``}${c.missed ? mrkdwn` · ${c.missed} not posted (missed)` : mrkdwn``}`,
    );
  const more = facts.checklists.byChecklist.length > b.rows ? mrkdwn`\n_…and ${facts.checklists.byChecklist.length - b.rows} more_` : mrkdwn``;
  return mrkdwn`*Checklists* — ${t.posted} posted · ${t.onTime} on time · ${t.late} late · ${t.open} still open · ${t.missed} not posted (missed)\n${joinMrkdwn(rows)}${more}`;
}

function problemsAndProbes(facts: WeekFacts, b: Budget): Mrkdwn {
  const p = facts.problems;
  const items = p.items
    .slice(0, b.problems)
    .map(
      (i) =>
        mrkdwn`• ${escapeMrkdwn(clip(i.itemTitle, 100))}${i.note && b.noteChars ? mrkdwn` — _${escapeMrkdwn(clip(i.note.replace(/\s+/g, ' '), b.noteChars))}_` : mrkdwn``}`,
    );
  const lines = [mrkdwn`*Items signed Problem* — ${p.count}`, ...items];
  if (p.count > items.length) lines.push(mrkdwn`_…and ${p.count - items.length} more_`);
  // Skipped runs (probe not configured) checked nothing, so they are shown apart, never as checks.
  const skipped = facts.probes.skipped ? mrkdwn` (${facts.probes.skipped} skipped: not configured)` : mrkdwn``;
  lines.push(mrkdwn`*Probe failures* — ${facts.probes.failures} of ${facts.probes.checks} checks${skipped}`);
  if (facts.probes.checks === 0) lines.push(facts.probes.skipped ? mrkdwn`_No probe checked anything this week._` : mrkdwn`_No probe results this week._`);
  else
    lines.push(
      ...facts.probes.bySystem
        .filter((s) => s.checks > 0)
        .slice(0, b.rows)
        .map(
          (s) => mrkdwn`• ${escapeMrkdwn(clip(s.probe, 60))}: ${s.failures} failed of ${s.checks}${s.warnings ? mrkdwn` (${s.warnings} warnings)` : mrkdwn``}`,
        ),
    );
  return joinMrkdwn(lines);
}

function incidentLines(facts: WeekFacts): Mrkdwn {
  const inc = facts.incidents;
  if (inc.source === 'unavailable') return mrkdwn`*Incidents*\n_Incident data is not available yet._`;
  if (inc.total === 0) return mrkdwn`*Incidents* — none this week · ${inc.escalations} escalations`;
  const rows = inc.bySeverity
    .filter((s) => s.count > 0)
    .map(
      (s) =>
        mrkdwn`• ${escapeMrkdwn(s.severity.toUpperCase())}: ${s.count} · ack mean ${mins(s.meanAckMinutes)} (max ${mins(s.maxAckMinutes)}) · resolve mean ${mins(s.meanResolveMinutes)} (max ${mins(s.maxResolveMinutes)}) · ${s.slaBreaches} SLA breaches`,
    );
  return mrkdwn`*Incidents* — ${inc.total} · ${inc.escalations} escalations\n${joinMrkdwn(rows)}`;
}

/** Target, recovery point and the second person, when the facts have them. */
function drRecord(d: WeekFacts['drTests'][number]): Mrkdwn {
  const parts: Mrkdwn[] = [];
  if (d.targetMinutes !== undefined && d.metTarget !== undefined && d.metTarget !== null) {
    parts.push(d.metTarget ? mrkdwn`within the ${d.targetMinutes} min target` : mrkdwn`:warning: over the ${d.targetMinutes} min target`);
  }
  if (d.dataLossMinutes !== undefined && d.dataLossMinutes !== null) parts.push(mrkdwn`data loss ${mins(d.dataLossMinutes)}`);
  if (d.verifiedBySecondPerson !== undefined)
    parts.push(d.verifiedBySecondPerson ? mrkdwn`verified by a second person` : mrkdwn`not verified by a second person`);
  return parts.length ? mrkdwn` · ${joinMrkdwn(parts, ' · ')}` : mrkdwn``;
}

function drLines(facts: WeekFacts): Mrkdwn | null {
  if (facts.drTests.length === 0) return null;
  const rows = facts.drTests
    .slice(0, 5)
    .map(
      (d) =>
        mrkdwn`• ${escapeMrkdwn(clip(d.name, 100))}: ${escapeMrkdwn(d.state)}${d.restoreMinutes !== null ? mrkdwn` · restore ${mins(d.restoreMinutes)}` : mrkdwn``}${d.totalRecoveryMinutes !== null ? mrkdwn` · full recovery ${mins(d.totalRecoveryMinutes)}` : mrkdwn``}${drRecord(d)}`,
    );
  return mrkdwn`*DR tests*\n${joinMrkdwn(rows)}`;
}

/**
 * The weekly summary for #leadership: numbers rendered from the facts, prose beside them. Long
 * lists are shortened (with "…and N more") until the message fits Block Kit's size limit.
 */
export function buildSummaryMessage(view: SummaryView): Message {
  let message: Message | undefined;
  for (const budget of BUDGETS) {
    message = build(view, budget);
    if (JSON.stringify(message.blocks).length <= LIMITS.messageJson) break;
  }
  return message!;
}

function build(view: SummaryView, b: Budget): Message {
  const { facts, prose } = view;
  const marker =
    view.source === 'llm'
      ? mrkdwn`:robot_face: Written by ${escapeMrkdwn(clip(view.model ?? 'an LLM', 100))} from the facts below; every number shown comes from the DrainPro Ops database.`
      : mrkdwn`:page_facing_up: Plain summary built from the facts (automatic write-up unavailable${view.fallbackReason ? mrkdwn`: ${escapeMrkdwn(clip(view.fallbackReason, 300))}` : mrkdwn``}).`;
  const blocks: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(`Weekly summary — ${facts.week.key} (${facts.week.label})`, LIMITS.headerText) } },
    { type: 'context', elements: [{ type: 'mrkdwn', text: marker }] },
    section(mrkdwn`*Executive summary*\n${escapeMrkdwn(prose.executiveSummary)}`),
  ];
  if (facts.figures.length) {
    const fields = facts.figures.slice(0, b.figures).map((f) => ({
      type: 'mrkdwn' as const,
      text: clipMrkdwn(
        mrkdwn`*${escapeMrkdwn(clip(f.label, 80))}*\n${escapeMrkdwn(formatFigure(f.unit, f.value))} (${changeText(f)})${longerView(f)}`,
        LIMITS.fieldText,
      ),
    }));
    blocks.push(section(mrkdwn`*Key metrics* (week over week)`));
    for (let i = 0; i < fields.length; i += LIMITS.sectionFields) blocks.push({ type: 'section', fields: fields.slice(i, i + LIMITS.sectionFields) });
  } else {
    blocks.push(section(mrkdwn`*Key metrics*\n_No figures were entered this week._`));
  }
  blocks.push({ type: 'divider' }, section(checklistLines(facts, b)), section(problemsAndProbes(facts, b)), section(incidentLines(facts)));
  const dr = drLines(facts);
  if (dr) blocks.push(section(dr));
  const c = facts.changes;
  if (c && c.started + c.incidentsLinked + (c.failed ?? 0) + (c.probesLinked ?? 0) > 0) {
    const probes = c.probesLinked ? mrkdwn` · ${c.probesLinked} failed probes during a monitoring window` : mrkdwn``;
    blocks.push(
      section(
        mrkdwn`*Changes* — ${c.started} recorded · ${c.completed} completed · ${c.failed ?? 0} failed · ${c.incidentsLinked} incidents linked to a change (failed, or during its monitoring window)${probes}`,
      ),
    );
  }
  if (facts.scorecard) {
    blocks.push(section(mrkdwn`*Scorecard* (success metrics) — ${scorecardHeadline(facts.scorecard)}`), ...scorecardSections(facts.scorecard).map(section));
  }
  blocks.push(
    { type: 'divider' },
    section(mrkdwn`*Wins*\n${bullets(prose.wins, 'none noted')}`),
    section(mrkdwn`*Challenges*\n${bullets(prose.challenges, 'none noted')}`),
    section(mrkdwn`*Plan for next week*\n${bullets(prose.planNextWeek, 'nothing planned yet')}`),
  );
  const t = facts.checklists.totals;
  const text = `Weekly summary ${facts.week.key}: ${t.posted} checklists (${t.onTime} on time, ${t.late} late, ${t.open} open, ${t.missed} missed), ${facts.problems.count} problems, ${facts.probes.failures} probe failures${view.source === 'fallback' ? ' (plain summary)' : ''}`;
  return { text: escapeMrkdwn(text), blocks };
}

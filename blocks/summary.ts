import type { SummaryProse } from '../src/summary/prose';
import type { FigureFact, WeekFacts } from '../src/summary/types';
import { escapeMrkdwn } from './format';
import { clip, LIMITS, type Block, type Message } from './limits';

export interface SummaryView {
  facts: WeekFacts;
  /** Already sanitised (src/summary/validate.ts sanitizeProse) or built from the facts. */
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

function changeText(f: FigureFact): string {
  if (f.previous === null) return 'no figure last week';
  if (f.change === 0) return 'same as last week';
  const arrow = (f.change ?? 0) > 0 ? ':arrow_up_small:' : ':arrow_down_small:';
  const pct = f.changePct === null ? '' : ` ${decFmt.format(Math.abs(f.changePct))}%`;
  return `${arrow}${pct} vs ${formatFigure(f.unit, f.previous)}`;
}

const section = (text: string): Block => ({ type: 'section', text: { type: 'mrkdwn', text: clip(text, LIMITS.sectionText) } });
const bullets = (items: readonly string[], empty: string) => (items.length ? items.map((i) => `• ${i}`).join('\n') : `_${empty}_`);
const mins = (m: number | null) => (m === null ? '–' : `${decFmt.format(m)} min`);

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

function checklistLines(facts: WeekFacts, b: Budget): string {
  const t = facts.checklists.totals;
  if (t.posted === 0) return '*Checklists*\n_No checklist was posted this week._';
  const rows = facts.checklists.byChecklist
    .slice(0, b.rows)
    .map((c) => `• ${escapeMrkdwn(c.name)}: ${c.posted} posted, ${c.onTime} on time, ${c.late} late, ${c.missed} missed${c.open ? `, ${c.open} open` : ''}`);
  const more = facts.checklists.byChecklist.length > b.rows ? `\n_…and ${facts.checklists.byChecklist.length - b.rows} more_` : '';
  return `*Checklists* — ${t.posted} posted · ${t.onTime} on time · ${t.late} late · ${t.missed} missed\n${rows.join('\n')}${more}`;
}

function problemsAndProbes(facts: WeekFacts, b: Budget): string {
  const p = facts.problems;
  const items = p.items.slice(0, b.problems).map((i) => `• ${escapeMrkdwn(clip(i.itemTitle, 100))}${i.note && b.noteChars ? ` — _${escapeMrkdwn(clip(i.note.replace(/\s+/g, ' '), b.noteChars))}_` : ''}`);
  const more = p.count > items.length ? `\n_…and ${p.count - items.length} more_` : '';
  const probes = facts.probes.checks === 0
    ? '_No probe results this week._'
    : facts.probes.bySystem.slice(0, b.rows).map((s) => `• ${escapeMrkdwn(s.probe)}: ${s.failures} failed of ${s.checks}${s.warnings ? ` (${s.warnings} warnings)` : ''}`).join('\n');
  return `*Items signed Problem* — ${p.count}\n${items.join('\n')}${more}\n*Probe failures* — ${facts.probes.failures} of ${facts.probes.checks} checks\n${probes}`.replace(/\n\n+/g, '\n');
}

function incidentLines(facts: WeekFacts): string {
  const inc = facts.incidents;
  if (inc.source === 'unavailable') return '*Incidents*\n_Incident data is not available yet._';
  if (inc.total === 0) return `*Incidents* — none this week · ${inc.escalations} escalations`;
  const rows = inc.bySeverity
    .filter((s) => s.count > 0)
    .map((s) => `• ${s.severity.toUpperCase()}: ${s.count} · ack mean ${mins(s.meanAckMinutes)} (max ${mins(s.maxAckMinutes)}) · resolve mean ${mins(s.meanResolveMinutes)} (max ${mins(s.maxResolveMinutes)}) · ${s.slaBreaches} SLA breaches`);
  return `*Incidents* — ${inc.total} · ${inc.escalations} escalations\n${rows.join('\n')}`;
}

function drLines(facts: WeekFacts): string | null {
  if (facts.drTests.length === 0) return null;
  const rows = facts.drTests.slice(0, 5).map((d) => `• ${escapeMrkdwn(d.name)}: ${d.state}${d.restoreMinutes !== null ? ` · restore ${mins(d.restoreMinutes)}` : ''}${d.totalRecoveryMinutes !== null ? ` · full recovery ${mins(d.totalRecoveryMinutes)}` : ''}`);
  return `*DR tests*\n${rows.join('\n')}`;
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
      ? `:robot_face: Written by ${escapeMrkdwn(view.model ?? 'an LLM')} from the facts below; every number shown comes from the DrainPro Ops database.`
      : `:page_facing_up: Plain summary built from the facts (automatic write-up unavailable${view.fallbackReason ? `: ${escapeMrkdwn(view.fallbackReason)}` : ''}).`;
  const blocks: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(`Weekly summary — ${facts.week.key} (${facts.week.label})`, LIMITS.headerText) } },
    { type: 'context', elements: [{ type: 'mrkdwn', text: marker }] },
    section(`*Executive summary*\n${prose.executiveSummary}`),
  ];
  if (facts.figures.length) {
    const fields = facts.figures.slice(0, b.figures).map((f) => ({ type: 'mrkdwn' as const, text: clip(`*${escapeMrkdwn(clip(f.label, 80))}*\n${formatFigure(f.unit, f.value)} (${changeText(f)})`, LIMITS.fieldText) }));
    blocks.push(section('*Key metrics* (week over week)'));
    for (let i = 0; i < fields.length; i += LIMITS.sectionFields) blocks.push({ type: 'section', fields: fields.slice(i, i + LIMITS.sectionFields) });
  } else {
    blocks.push(section('*Key metrics*\n_No figures were entered this week._'));
  }
  blocks.push({ type: 'divider' }, section(checklistLines(facts, b)), section(problemsAndProbes(facts, b)), section(incidentLines(facts)));
  const dr = drLines(facts);
  if (dr) blocks.push(section(dr));
  blocks.push(
    { type: 'divider' },
    section(`*Wins*\n${bullets(prose.wins, 'none noted')}`),
    section(`*Challenges*\n${bullets(prose.challenges, 'none noted')}`),
    section(`*Plan for next week*\n${bullets(prose.planNextWeek, 'nothing planned yet')}`),
  );
  const t = facts.checklists.totals;
  const text = `Weekly summary ${facts.week.key}: ${t.posted} checklists (${t.onTime} on time, ${t.late} late, ${t.missed} missed), ${facts.problems.count} problems, ${facts.probes.failures} probe failures${view.source === 'fallback' ? ' (plain summary)' : ''}`;
  return { text, blocks };
}

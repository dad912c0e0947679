import { and, desc, eq, gte, inArray, isNotNull, lt, sql } from 'drizzle-orm';
import { checklistItemDefs } from '../checklists';
import type { OpsConfig } from '../config/ops-config';
import type { Tx } from '../db';
import { checklistItems, checklistRuns, metrics } from '../db/schema';
import { weekScorecard } from '../scorecard';
import { gatherChangeFacts } from '../changes/facts';
import { gatherDrTests, itemsOf } from './dr-facts';
import { gatherIncidentFacts, type IncidentFactsSource } from './incident-facts';
import { gatherFollowupFacts } from './followup-facts';
import type { IsoWeek } from './week';
import { previousWeek } from './week';
import { tallyChecklists, tallyProbes } from './tallies';
import type { FigureFact, ProblemFact, WeekFacts } from './types';

/** How many untrusted lines (problem notes, incident summaries) the facts keep, and how long each. */
export const MAX_LISTED = 20;
export const MAX_NOTE_CHARS = 280;

export interface GatherOptions {
  /** Defaults to the incidents tables (see incident-facts.ts). */
  incidents?: IncidentFactsSource;
}

const round1 = (n: number) => Math.round(n * 10) / 10;
const clipText = (s: string | null, max = MAX_NOTE_CHARS) => (s === null ? null : s.length <= max ? s : `${s.slice(0, max - 1)}…`);

/**
 * Gathers the facts of one ISO week from the database. A posted run not signed off is "open"
 * (even past due); "missed" is a slot never posted. `now` is the "as of" of the facts.
 */
export async function gatherWeekFacts(db: Tx, config: OpsConfig, week: IsoWeek, now: Date, opts: GatherOptions = {}): Promise<WeekFacts> {
  const { start, end } = week;
  // A run belongs to the week of its scheduled time (on-demand runs: when they were requested).
  const runAt = sql`coalesce(${checklistRuns.scheduledFor}, ${checklistRuns.createdAt})`;
  const runs = await db
    .select()
    .from(checklistRuns)
    .where(sql`${runAt} >= ${start.toISOString()}::timestamptz and ${runAt} < ${end.toISOString()}::timestamptz`)
    .orderBy(checklistRuns.id);

  // Checklists: on time / late / missed against each run's own frozen definition.
  const { checklistFacts, totals } = tallyChecklists(runs, config);

  // Items signed Problem.
  const runIds = runs.map((r) => r.id);
  const runById = new Map(runs.map((r) => [r.id, r]));
  const problemRows = runIds.length
    ? await db
        .select()
        .from(checklistItems)
        .where(and(inArray(checklistItems.runId, runIds), eq(checklistItems.status, 'problem')))
        .orderBy(checklistItems.runId, checklistItems.position)
    : [];
  const problems: ProblemFact[] = problemRows.map((p) => {
    const run = runById.get(p.runId)!;
    const title = itemsOf(run.definition).find((i) => i.id === p.itemId)?.title ?? p.itemId;
    return { checklistId: run.checklistId, itemId: p.itemId, itemTitle: title, signedBy: p.signedBy, note: clipText(p.note) };
  });

  const systems = await tallyProbes(db, start, end);

  const figures = await gatherFigures(db, config, week);
  const drTests = await gatherDrTests(db, runs, config);
  const incidents = await (opts.incidents ?? gatherIncidentFacts)(db, start, end);
  const scorecard = await weekScorecard(db, config, week, now);
  const changes = await gatherChangeFacts(db, start, end);
  const listedIncidents = incidents.incidents.slice(0, MAX_LISTED).map((i) => ({ ...i, summary: clipText(i.summary)! }));

  return {
    week: { key: week.key, label: week.label, start: start.toISOString(), end: end.toISOString(), timeZone: week.timeZone },
    asOf: now.toISOString(),
    checklists: { totals, byChecklist: checklistFacts },
    problems: { count: problems.length, items: problems.slice(0, MAX_LISTED), omitted: Math.max(0, problems.length - MAX_LISTED) },
    probes: {
      checks: systems.reduce((n, s) => n + s.checks, 0),
      failures: systems.reduce((n, s) => n + s.failures, 0),
      skipped: systems.reduce((n, s) => n + s.skipped, 0),
      bySystem: systems,
    },
    incidents: { ...incidents, incidents: listedIncidents, omitted: incidents.omitted + (incidents.incidents.length - listedIncidents.length) },
    figures,
    drTests,
    scorecard,
    changes,
    followups: await gatherFollowupFacts(db, start, end, now, config.timezone),
    empty: runs.length === 0 && systems.length === 0 && figures.length === 0 && incidents.total === 0,
  };
}

/** The latest value entered per figure for a week (by `period_start`), keyed by figure id. */
async function latestFigures(db: Tx, from: Date, to: Date) {
  const rows = await db
    .select()
    .from(metrics)
    .where(and(gte(metrics.periodStart, from), lt(metrics.periodStart, to), isNotNull(metrics.value)))
    .orderBy(desc(metrics.enteredAt), desc(metrics.id));
  const out = new Map<string, (typeof rows)[number]>();
  for (const r of rows) if (!out.has(r.figureId)) out.set(r.figureId, r);
  return out;
}

/**
 * Figures entered for the week (a figure belongs to the week its `period_start` falls in; when
 * a figure was entered more than once, the latest entry counts), with the previous week's value.
 */
async function gatherFigures(db: Tx, config: OpsConfig, week: IsoWeek): Promise<FigureFact[]> {
  // weeks[0] is this week, weeks[k] k weeks before; 4 ≈ last month, 52 = the same week last year.
  const weeks: IsoWeek[] = [week];
  for (let k = 1; k <= 52; k += 1) weeks.push(previousWeek(weeks[k - 1]!));
  const wanted = [0, 1, 2, 3, 4, 5, 6, 7, 52];
  const found = await Promise.all(wanted.map((k) => latestFigures(db, weeks[k]!.start, weeks[k]!.end)));
  const at = (k: number) => found[wanted.indexOf(k)]!;
  const [current, previous] = [at(0), at(1)];
  const valueIn = (k: number, figureId: string): number | null => {
    const v = at(k).get(figureId)?.value;
    return v == null ? null : Number(v);
  };
  const labels = new Map<string, { label: string; rank: number }>();
  let rank = 0;
  for (const c of config.checklists)
    for (const i of checklistItemDefs(c)) for (const f of i.figures ?? []) if (!labels.has(f.id)) labels.set(f.id, { label: f.label, rank: rank++ });
  const facts: FigureFact[] = [];
  for (const [figureId, row] of current) {
    const value = Number(row.value);
    const before = previous.get(figureId);
    const prevValue = before?.value == null ? null : Number(before.value);
    const change = prevValue === null ? null : round1(value - prevValue);
    const changePct = prevValue === null || prevValue === 0 ? null : round1(((value - prevValue) / Math.abs(prevValue)) * 100);
    const trend = [7, 6, 5, 4, 3, 2, 1, 0].map((k) => valueIn(k, figureId));
    facts.push({
      figureId,
      label: labels.get(figureId)?.label ?? figureId,
      unit: row.unit as FigureFact['unit'],
      value,
      previous: prevValue,
      change,
      changePct,
      monthAgo: valueIn(4, figureId),
      yearAgo: valueIn(52, figureId),
      trend,
    });
  }
  return facts.sort((a, b) => (labels.get(a.figureId)?.rank ?? 1e6) - (labels.get(b.figureId)?.rank ?? 1e6) || a.figureId.localeCompare(b.figureId));
}

/**
 * Bounds the facts sent to the LLM to `maxChars` of JSON: untrusted lines are shortened, then
 * the lists are halved (their `omitted` counts grow), then figures without a comparison are
 * dropped. Totals and counts are never removed, so every shown number stays in the facts.
 */
export function capFacts(facts: WeekFacts, maxChars: number): { facts: WeekFacts; truncated: boolean } {
  const size = (f: WeekFacts) => JSON.stringify(f).length;
  if (size(facts) <= maxChars) return { facts, truncated: false };
  let f: WeekFacts = structuredClone(facts);
  const shorten = (n: number) => {
    f.problems.items = f.problems.items.map((p) => ({ ...p, note: clipText(p.note, n) }));
    f.incidents.incidents = f.incidents.incidents.map((i) => ({ ...i, summary: clipText(i.summary, n)! }));
  };
  shorten(120);
  while (size(f) > maxChars && (f.problems.items.length > 0 || f.incidents.incidents.length > 0)) {
    const p = Math.floor(f.problems.items.length / 2);
    const i = Math.floor(f.incidents.incidents.length / 2);
    f = {
      ...f,
      problems: { ...f.problems, items: f.problems.items.slice(0, p), omitted: f.problems.count - p },
      incidents: { ...f.incidents, incidents: f.incidents.incidents.slice(0, i), omitted: f.incidents.omitted + (f.incidents.incidents.length - i) },
    };
  }
  if (size(f) > maxChars) f = { ...f, figures: f.figures.filter((x) => x.previous !== null) };
  if (size(f) > maxChars)
    f = {
      ...f,
      checklists: { ...f.checklists, byChecklist: f.checklists.byChecklist.slice(0, 10) },
      probes: { ...f.probes, bySystem: f.probes.bySystem.slice(0, 10) },
      figures: f.figures.slice(0, 15),
    };
  return { facts: f, truncated: true };
}

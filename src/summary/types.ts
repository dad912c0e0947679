// The week's facts: one typed object gathered from the database. Numbers shown to leadership and
// numbers the LLM may state both come from here. Fields marked "untrusted" hold text typed by
// anyone in Slack: it is data, never instructions, and is escaped wherever it is rendered.
import type { Unit } from '../checklists';
import type { Scorecard } from '../scorecard/metrics';
import type { ChangeWeekFacts } from '../changes/facts';

export type Severity = 'p0' | 'p1' | 'p2' | 'p3';
export const SEVERITIES: readonly Severity[] = ['p0', 'p1', 'p2', 'p3'];

export interface SeverityFacts {
  severity: Severity;
  count: number;
  /** Minutes from open to acknowledgement; null when none was acknowledged. */
  meanAckMinutes: number | null;
  maxAckMinutes: number | null;
  meanResolveMinutes: number | null;
  maxResolveMinutes: number | null;
  slaBreaches: number;
}

export interface IncidentWeekFacts {
  /** 'unavailable' until the incidents tables exist; then 'database'. */
  source: 'database' | 'unavailable';
  total: number;
  bySeverity: SeverityFacts[];
  escalations: number;
  /** One line per incident; `summary` is untrusted. Capped; `omitted` counts the rest. */
  incidents: { id: string; severity: Severity; summary: string; resolved: boolean }[];
  omitted: number;
}

export interface ChecklistWeekFacts {
  checklistId: string;
  name: string;
  posted: number;
  onTime: number;
  late: number;
  missed: number;
  /** Posted and not signed off yet (past due or not). */
  open: number;
}

export interface ProblemFact {
  checklistId: string;
  itemId: string;
  itemTitle: string;
  signedBy: string | null;
  /** Untrusted. */
  note: string | null;
}

export interface ProbeSystemFacts {
  probe: string;
  checks: number;
  failures: number;
  warnings: number;
  /** Runs skipped because the probe is not configured: not counted in `checks`. */
  skipped: number;
}

export interface FigureFact {
  figureId: string;
  label: string;
  unit: Unit;
  value: number;
  previous: number | null;
  /** value − previous */
  change: number | null;
  /** Week-over-week change in percent, one decimal; null when there is no previous value or it was 0. */
  changePct: number | null;
  /** The same figure 4 weeks and 52 weeks before (the guide compares with last month and last year). */
  monthAgo?: number | null;
  yearAgo?: number | null;
  /** The last 8 weeks, oldest first, this week last; null where none was entered. */
  trend?: (number | null)[];
}

export interface DrTestFact {
  checklistId: string;
  name: string;
  state: 'open' | 'complete' | 'missed';
  restoreMinutes: number | null;
  totalRecoveryMinutes: number | null;
  /** The guide's target for the measured time: restoration < 60 min (monthly), total recovery < 240 min (quarterly). */
  targetMinutes?: number;
  /** null until the time is entered. */
  metTarget?: boolean | null;
  /** Recovery point: data lost, in minutes, as the verifier entered it. */
  dataLossMinutes?: number | null;
  /** Whether the restore was verified (signed Done) by a second person. */
  verifiedBySecondPerson?: boolean;
  /** Recorded through "Record DR test" (times, backup, data loss, evidence), not only signed. */
  recorded?: boolean;
  /** The recovery point objective the data loss is held to, and whether it was met. */
  dataLossTargetMinutes?: number;
  dataLossMet?: boolean | null;
}

export interface FollowupWeekFacts {
  opened: number;
  done: number;
  /** Open at the end of the week (or now), past their due day. */
  overdue: number;
}

export interface WeekFacts {
  week: { key: string; label: string; start: string; end: string; timeZone: string };
  /** When the facts were gathered (ISO). */
  asOf: string;
  checklists: { totals: Omit<ChecklistWeekFacts, 'checklistId' | 'name'>; byChecklist: ChecklistWeekFacts[] };
  problems: { count: number; items: ProblemFact[]; omitted: number };
  probes: { checks: number; failures: number; skipped: number; bySystem: ProbeSystemFacts[] };
  incidents: IncidentWeekFacts;
  figures: FigureFact[];
  drTests: DrTestFact[];
  /** The guide's success metrics for the week (src/scorecard); absent from summaries stored before it existed. */
  scorecard?: Scorecard;
  /** Changes recorded with `/ops change` (src/changes); absent from older summaries. */
  changes?: ChangeWeekFacts;
  /** Follow-ups of incidents (`/incident followup`); absent from older summaries. */
  followups?: FollowupWeekFacts;
  /** True when the week has no runs, probes, figures or incidents at all. */
  empty: boolean;
}

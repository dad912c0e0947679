import { and, asc, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import type { Tx } from '../db';
import { incidentEvents, incidents } from '../db/schema';
import { SEVERITIES, type IncidentWeekFacts } from './types';

/** A source of the week's incident facts; injectable so tests can swap it. */
export type IncidentFactsSource = (db: Tx, from: Date, to: Date) => Promise<IncidentWeekFacts>;

/** The incident facts when there is nothing to report (or no incidents table yet). */
export function emptyIncidentFacts(source: IncidentWeekFacts['source']): IncidentWeekFacts {
  return {
    source,
    total: 0,
    bySeverity: SEVERITIES.map((severity) => ({
      severity,
      count: 0,
      meanAckMinutes: null,
      maxAckMinutes: null,
      meanResolveMinutes: null,
      maxResolveMinutes: null,
      slaBreaches: 0,
    })),
    escalations: 0,
    incidents: [],
    omitted: 0,
  };
}

/** Incidents listed by summary; the rest are counted in `omitted`. */
const MAX_LISTED = 15;

/** Incidents opened in [from, to): counts, time to acknowledge / resolve and SLA breaches by
 * severity, escalations, and their (untrusted) summaries, capped at MAX_LISTED lines. */
export const gatherIncidentFacts: IncidentFactsSource = async (db, from, to) => {
  const rows = await db
    .select()
    .from(incidents)
    .where(and(gte(incidents.declaredAt, from), lt(incidents.declaredAt, to)))
    .orderBy(asc(incidents.declaredAt), asc(incidents.id));
  const facts = emptyIncidentFacts('database');
  if (rows.length === 0) return facts;
  const minutes = (ms: number) => Math.round(ms / 6000) / 10;
  const mean = (xs: number[]) => (xs.length ? minutes(xs.reduce((a, b) => a + b, 0) / xs.length) : null);
  const max = (xs: number[]) => (xs.length ? minutes(Math.max(...xs)) : null);
  facts.bySeverity = SEVERITIES.map((severity) => {
    const of = rows.filter((r) => r.severity === severity);
    const acks = of.map((r) => r.timeToAckMs).filter((x): x is number => x !== null);
    const resolves = of.map((r) => r.timeToResolveMs).filter((x): x is number => x !== null);
    return {
      severity,
      count: of.length,
      meanAckMinutes: mean(acks),
      maxAckMinutes: max(acks),
      meanResolveMinutes: mean(resolves),
      maxResolveMinutes: max(resolves),
      slaBreaches: of.filter((r) => r.responseSlaMet === false || r.resolutionSlaMet === false).length,
    };
  });
  facts.total = rows.length;
  const [esc] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(incidentEvents)
    .where(
      and(
        eq(incidentEvents.kind, 'escalated'),
        inArray(
          incidentEvents.incidentId,
          rows.map((r) => r.id),
        ),
      ),
    );
  facts.escalations = esc?.n ?? 0;
  facts.incidents = rows.slice(0, MAX_LISTED).map((r) => ({ id: `INC-${r.id}`, severity: r.severity, summary: r.summary, resolved: r.state === 'resolved' }));
  facts.omitted = Math.max(0, rows.length - MAX_LISTED);
  return facts;
};

import type { Tx } from '../db';
import { SEVERITIES, type IncidentWeekFacts } from './types';

/** A source of the week's incident facts; injectable so tests and the merge can swap it. */
export type IncidentFactsSource = (db: Tx, from: Date, to: Date) => Promise<IncidentWeekFacts>;

/** The incident facts when there is nothing to report (or no incidents table yet). */
export function emptyIncidentFacts(source: IncidentWeekFacts['source']): IncidentWeekFacts {
  return {
    source,
    total: 0,
    bySeverity: SEVERITIES.map((severity) => ({ severity, count: 0, meanAckMinutes: null, maxAckMinutes: null, meanResolveMinutes: null, maxResolveMinutes: null, slaBreaches: 0 })),
    escalations: 0,
    incidents: [],
    omitted: 0,
  };
}

/**
 * Incidents opened in [from, to): counts, time to acknowledge / resolve and SLA breaches by
 * severity, escalations, and their (untrusted) summaries.
 * TODO(merge with feat/incidents): query the incidents tables; until they exist this reports
 * `source: 'unavailable'` and the summary says incident data is unavailable.
 */
export const gatherIncidentFacts: IncidentFactsSource = async (_db, _from, _to) => emptyIncidentFacts('unavailable');

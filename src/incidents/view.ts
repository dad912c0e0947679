import type { IncidentView } from '../../blocks/incident';
import { SYSTEMS } from '../config/incidents';
import { slaClock } from './machine';
import { describeEscalation, pagedPeople } from './policy';
import { policyOf, snapshot, type IncidentRow } from './store';

/** The view model of an incident at `now` the incident renderers take (announcement, list, detail). */
export function toView(row: IncidentRow, now: Date): IncidentView {
  const p = policyOf(row);
  const snap = snapshot(row);
  const next = row.level + 1 < p.chain.length ? p.chain[row.level + 1]!.name : null;
  return {
    id: row.id,
    severity: row.severity,
    severityName: p.severityName,
    summary: row.summary,
    systemLabel: SYSTEMS.find((s) => s.id === row.system)?.label ?? row.system,
    declaredBy: row.declaredBy,
    state: row.state,
    level: row.level,
    levelName: p.chain[row.level]?.name ?? String(row.level),
    nextLevelName: row.state === 'resolved' ? null : next,
    escalateTo: describeEscalation(p),
    autoEscalates: p.escalate,
    paged: p.escalate ? pagedPeople(p, row.level) : [],
    declaredAt: row.declaredAt,
    responseDueAt: row.responseDueAt,
    resolutionDueAt: row.resolutionDueAt,
    sla: slaClock(snap, now),
    acknowledgedBy: row.acknowledgedBy,
    acknowledgedAt: row.acknowledgedAt,
    resolvedBy: row.resolvedBy,
    resolvedAt: row.resolvedAt,
    resolutionNote: row.resolutionNote,
    incidentChannel: row.incidentChannel,
    lead: row.lead,
    lastUpdate: row.lastUpdate && row.lastUpdateAt && row.lastUpdateBy ? { text: row.lastUpdate, at: row.lastUpdateAt, by: row.lastUpdateBy } : null,
    sourceLink: row.sourceLink,
    origin: row.source === 'checklist' || row.source === 'probe' ? `Opened from checklist ${row.sourceRef ?? ''}`.trim() : null,
  };
}

import { and, asc, eq, gt, gte, lt } from 'drizzle-orm';
import type { Db } from '../db';
import { checklistRuns, incidentEvents, incidents, itemEvents } from '../db/schema';

export type AuditKind = 'checklists' | 'incidents' | 'all';

export const AUDIT_COLUMNS = ['at_utc', 'source', 'reference', 'subject', 'action', 'previous', 'user', 'text'] as const;
export type AuditRow = [string, string, string, string, string, string, string, string];

/** Rows per query: the export holds one page at a time, whatever the range. */
export const AUDIT_PAGE = 500;

/** Checklist sign-offs (item_events), oldest first, read page by page (keyset on id). */
async function* checklistRows(db: Db, from: Date, to: Date, page: number): AsyncGenerator<AuditRow> {
  let after = 0;
  for (;;) {
    const rows = await db
      .select({
        id: itemEvents.id,
        at: itemEvents.at,
        itemId: itemEvents.itemId,
        status: itemEvents.status,
        previous: itemEvents.previousStatus,
        user: itemEvents.userId,
        note: itemEvents.note,
        checklist: checklistRuns.checklistId,
        period: checklistRuns.periodKey,
      })
      .from(itemEvents)
      .innerJoin(checklistRuns, eq(checklistRuns.id, itemEvents.runId))
      .where(and(gte(itemEvents.at, from), lt(itemEvents.at, to), gt(itemEvents.id, after)))
      .orderBy(asc(itemEvents.id))
      .limit(page);
    for (const r of rows) yield [r.at.toISOString(), 'checklist', `${r.checklist} ${r.period}`, r.itemId, r.status, r.previous, r.user, r.note ?? ''];
    if (rows.length < page) return;
    after = rows.at(-1)!.id;
  }
}

/** Incident timelines (incident_events), oldest first, page by page. */
async function* incidentRows(db: Db, from: Date, to: Date, page: number): AsyncGenerator<AuditRow> {
  let after = 0;
  for (;;) {
    const rows = await db
      .select({
        id: incidentEvents.id,
        at: incidentEvents.at,
        incident: incidentEvents.incidentId,
        kind: incidentEvents.kind,
        level: incidentEvents.level,
        user: incidentEvents.userId,
        text: incidentEvents.text,
        severity: incidents.severity,
        summary: incidents.summary,
      })
      .from(incidentEvents)
      .innerJoin(incidents, eq(incidents.id, incidentEvents.incidentId))
      .where(and(gte(incidentEvents.at, from), lt(incidentEvents.at, to), gt(incidentEvents.id, after)))
      .orderBy(asc(incidentEvents.id))
      .limit(page);
    for (const r of rows)
      yield [
        r.at.toISOString(),
        'incident',
        `#${r.incident} ${r.severity.toUpperCase()}`,
        r.summary,
        r.kind,
        r.level === null ? '' : `level ${r.level}`,
        r.user ?? '',
        r.text,
      ];
    if (rows.length < page) return;
    after = rows.at(-1)!.id;
  }
}

export async function* auditRows(db: Db, kind: AuditKind, from: Date, to: Date, page = AUDIT_PAGE): AsyncGenerator<AuditRow> {
  if (kind !== 'incidents') yield* checklistRows(db, from, to, page);
  if (kind !== 'checklists') yield* incidentRows(db, from, to, page);
}

import type { ChecklistItemView, ChecklistView, FigureLine, ProbeVerdict } from '../../blocks/checklist';
import type { ItemDef } from '../checklists';
import type { RunState } from './store';

export interface ViewContext {
  timezone: string;
  roleName: (roleId: string) => string;
}

/** Building an Intl.DateTimeFormat costs ~0.1 ms; every re-render formats each signed item. */
const formatters = new Map<string, Intl.DateTimeFormat>();

export function formatInZone(at: Date, timezone: string, opts: Intl.DateTimeFormatOptions): string {
  const key = `${timezone}|${JSON.stringify(opts)}`;
  let f = formatters.get(key);
  if (!f) formatters.set(key, (f = new Intl.DateTimeFormat('en-GB', { timeZone: timezone, ...opts })));
  return f.format(at);
}

const dateOpts: Intl.DateTimeFormatOptions = { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' };
const timeOpts: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', hour12: false };

/** Turns a stored run into the view model the block builder renders (pure: no I/O, no clock). */
export function toChecklistView(state: RunState, ctx: ViewContext, figures: ReadonlyMap<string, FigureLine[]> = new Map()): ChecklistView {
  const def = state.run.definition;
  const defs = new Map<string, ItemDef>(def.sections.flatMap((s) => s.items.map((i) => [i.id, i] as const)));
  const sectionOf = new Map<string, { id: string; title: string }>(
    def.sections.flatMap((s) => s.items.map((i) => [i.id, { id: s.id, title: s.title }] as const)),
  );
  const items: ChecklistItemView[] = state.items.map((row) => {
    const d = defs.get(row.itemId);
    return {
      id: row.itemId,
      title: d?.title ?? row.itemId,
      checks: d?.checks ?? [],
      ...(d?.target ? { target: d.target } : {}),
      status: row.status,
      ...(row.signedBy ? { signedBy: row.signedBy } : {}),
      ...(row.signedAt ? { signedAt: row.signedAt, signedAtText: formatInZone(row.signedAt, ctx.timezone, timeOpts) } : {}),
      ...(row.note ? { note: row.note } : {}),
      ...(d?.drRecord ? { drRecord: true } : {}),
      ...(sectionOf.has(row.itemId) ? { sectionId: sectionOf.get(row.itemId)!.id, sectionTitle: sectionOf.get(row.itemId)!.title } : {}),
      ...(figures.has(row.itemId)
        ? { figures: figures.get(row.itemId)! }
        : d?.figures?.length
          ? { figures: d.figures.map((f) => ({ label: f.label, changes: [], ...(f.target ? { target: f.target } : {}) })) }
          : {}),
      ...(row.probeStatus && d?.probe
        ? { probe: { name: d.probe, status: row.probeStatus as ProbeVerdict, summary: row.probeSummary ?? '', ...evidenceLine(row.probeEvidence) } }
        : {}),
    };
  });
  const base = state.run.scheduledFor ?? state.run.createdAt;
  const view: ChecklistView = {
    runId: state.run.id,
    name: def.name,
    dateText: formatInZone(base, ctx.timezone, dateOpts),
    ownerRole: ctx.roleName(def.ownerRole),
    durationMinutes: def.durationMinutes,
    onDemand: state.run.kind === 'on_demand',
    late: state.run.late,
    items,
  };
  if (state.run.state === 'complete' && state.run.completedAt) {
    const at = state.run.completedAt;
    const by = [...new Set(state.items.map((i) => i.signedBy).filter((u): u is string => !!u))];
    view.completion = {
      at,
      atText: formatInZone(at, ctx.timezone, { ...dateOpts, ...timeOpts }),
      by,
      tookMs: at.getTime() - (state.run.postedAt ?? state.run.createdAt).getTime(),
    };
  }
  return view;
}

/** A compact "key: value · key: value" line of a probe's scalar evidence (first few entries). */
export function formatEvidence(evidence: unknown, max = 5): string {
  if (typeof evidence !== 'object' || evidence === null) return '';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(evidence as Record<string, unknown>)) {
    if (parts.length >= max) break;
    if (k === 'reason' || v === null || v === undefined) continue;
    if (typeof v === 'number') parts.push(`${k}: ${Number.isInteger(v) ? v : Number(v.toPrecision(3))}`);
    else if (typeof v === 'string' || typeof v === 'boolean') parts.push(`${k}: ${String(v)}`);
    else if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string' || typeof x === 'number')) {
      parts.push(`${k}: ${v.slice(0, 3).join(', ')}${v.length > 3 ? ` (+${v.length - 3})` : ''}`);
    }
  }
  return parts.join(' · ');
}

function evidenceLine(evidence: unknown): { evidence?: string } {
  const line = formatEvidence(evidence);
  return line ? { evidence: line } : {};
}

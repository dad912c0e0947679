import { and, eq, inArray } from 'drizzle-orm';
import type { ChecklistDef } from '../checklists';
import type { Db } from '../db';
import { checklistItems, probeResults } from '../db/schema';
import type { Deps } from '../deps';
import { runProbes, type ProbeName, type ProbeResult } from '../probes';

/** The probes a checklist's items name, each once. */
export function probesOf(def: ChecklistDef): ProbeName[] {
  return [...new Set(def.sections.flatMap((s) => s.items.map((i) => i.probe).filter((p): p is ProbeName => !!p)))];
}

/** Runs the named probes in parallel under the configured timeout; never throws. */
export function runNamedProbes(deps: Deps, names: readonly ProbeName[]): Promise<ProbeResult[]> {
  return runProbes(
    names.map((n) => deps.probes[n]),
    { timeoutMs: deps.config.probes.timeoutMs, now: deps.clock.now() },
  );
}

/** Stores probe results (history for the weekly summary) and, for a run, fills its items. */
export async function recordProbeResults(db: Db, results: readonly ProbeResult[], run?: { id: number; def: ChecklistDef }): Promise<void> {
  if (results.length === 0) return;
  await db.transaction(async (tx) => {
    await tx.insert(probeResults).values(
      results.map((r) => ({
        runId: run?.id ?? null,
        probe: r.probe,
        status: r.status,
        summary: r.summary,
        evidence: r.evidence,
        durationMs: r.durationMs,
        checkedAt: new Date(r.checkedAt),
      })),
    );
    if (!run) return;
    for (const r of results) {
      const itemIds = run.def.sections.flatMap((s) => s.items.filter((i) => i.probe === r.probe).map((i) => i.id));
      if (itemIds.length === 0) continue;
      await tx
        .update(checklistItems)
        .set({ probeStatus: r.status, probeSummary: r.summary, probeEvidence: r.evidence })
        .where(and(eq(checklistItems.runId, run.id), inArray(checklistItems.itemId, itemIds)));
    }
  });
}

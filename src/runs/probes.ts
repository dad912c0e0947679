import { and, eq, inArray } from 'drizzle-orm';
import type { ChecklistDef } from '../checklists';
import type { Db } from '../db';
import { checklistItems, probeResults } from '../db/schema';
import { joinMrkdwn, type Mrkdwn } from '../../blocks/format';
import { buildNotice } from '../../blocks/help';
import { deliverOutbox, enqueue } from '../outbox';
import { loadRun } from './store';
import type { Deps } from '../deps';
import { describeError } from '../errors';
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

/**
 * After probe results are stored: what other features do with them (`deps.probeHooks`: a failed
 * probe during a change's monitoring window is linked to the change). Returns the lines they ask
 * to show beside the results; for a checklist's probes (`runId`), they go in its thread too. Never throws.
 */
export async function afterProbeResults(deps: Deps, results: readonly ProbeResult[], runId?: number): Promise<Mrkdwn[]> {
  const lines: Mrkdwn[] = [];
  for (const hook of deps.probeHooks ?? []) {
    try {
      lines.push(...(await hook.afterResults(deps, results)));
    } catch (err) {
      deps.logger.warn({ hook: hook.name, err: describeError(err) }, 'probe follow-up failed');
    }
  }
  if (lines.length === 0 || runId === undefined) return lines;
  try {
    const state = await loadRun(deps.db, runId);
    if (!state) return lines;
    const { run } = state;
    await enqueue(
      deps.db,
      { channel: run.channel, ...(run.messageTs ? { threadTs: run.messageTs } : {}), ref: `run:${run.id}:probe-links`, ...buildNotice(joinMrkdwn(lines)) },
      deps.clock.now(),
    );
    await deliverOutbox(deps, deps.clock.now());
  } catch (err) {
    deps.logger.warn({ runId, err: describeError(err) }, 'could not show the probe links on the checklist');
  }
  return lines;
}

import { buildChecklistMessage, buildChecklistPart, checklistParts, isThreaded, type ChecklistView } from '../../blocks/checklist';
import { checklistItemDefs, type ChecklistDef } from '../checklists';
import { channelFor, roleName, type Deps } from '../deps';
import { loadFigureLines } from './figures';
import { afterProbeResults, probesOf, recordProbeResults, runNamedProbes } from './probes';
import { reminderTimers } from './reminders';
import { describeError } from '../errors';
import {
  attachMessage,
  claimDelivery,
  createRun,
  findUndeliveredRuns,
  loadRun,
  releaseDelivery,
  saveSectionMessages,
  setDeliveryLease,
  type RunRow,
  type RunState,
} from './store';
import { formatInZone, toChecklistView } from './view';
import { declareFromChecklist } from '../incidents/flows';
import type { ProbeResult } from '../probes';
import { isPermanentSlackError } from '../slack/errors';
import { recordSlackFailure } from '../slack/failures';
import { postOnce, sendKey } from '../slack/send-once';
import { updateMessage } from '../slack/slack-io';

export interface PostOptions {
  kind: 'scheduled' | 'on_demand';
  periodKey: string;
  requestedBy?: string;
  scheduledFor?: Date;
  late?: boolean;
}

/**
 * How long whoever posts a run holds it: long enough for the probes and the Web API's own retries,
 * so the delivery sweep never posts a message that is still on its way.
 */
export const DELIVERY_LEASE_MS = 5 * 60_000;
/** After a failed post, the sweep may try again this soon. */
export const DELIVERY_RETRY_MS = 30_000;
/** The sweep leaves younger runs to the request or job that created them. */
export const REDELIVER_AFTER_MS = 60_000;

export type PostResult = { kind: 'posted'; run: RunRow; channel: string; ts: string } | { kind: 'already_claimed' };

const viewContext = (deps: Deps) => ({ timezone: deps.config.timezone, roleName: (r: string) => roleName(deps.config, r) });

/** Loads a run and its figures into the view model the blocks render. */
export async function loadRunView(deps: Deps, runId: number): Promise<{ state: RunState; view: ChecklistView } | null> {
  const state = await loadRun(deps.db, runId);
  if (!state) return null;
  const figures = await loadFigureLines(deps.db, state.run);
  return { state, view: toChecklistView(state, viewContext(deps), figures) };
}

/**
 * Claims the period, stores the run with its items and reminders, runs its probes, then posts it.
 * The database has the run before Slack has the message; a run left without a message (crash,
 * Slack down) is posted by the delivery job.
 */
export async function postChecklist(deps: Deps, def: ChecklistDef, opts: PostOptions): Promise<PostResult> {
  const now = deps.clock.now();
  const run = await createRun(deps.db, {
    def,
    periodKey: opts.periodKey,
    kind: opts.kind,
    channel: channelFor(deps.config, def.channel),
    now,
    ...(opts.scheduledFor ? { scheduledFor: opts.scheduledFor } : {}),
    ...(opts.late ? { late: true } : {}),
    ...(opts.requestedBy ? { requestedBy: opts.requestedBy } : {}),
    timers: (r) => reminderTimers(r, def),
    deliveryLeaseUntil: new Date(now.getTime() + DELIVERY_LEASE_MS),
  });
  if (!run) return { kind: 'already_claimed' };
  deps.logger.info({ runId: run.id, checklist: def.id, period: opts.periodKey, kind: opts.kind }, 'checklist run created');
  // Probes answer (or time out) before the post, so the message arrives already filled in.
  const results = await runNamedProbes(deps, probesOf(def));
  await recordProbeResults(deps.db, results, { id: run.id, def });
  const posted = await deliverRun(deps, run.id);
  await openIncidentsForFailedProbes(deps, run, def, results);
  await afterProbeResults(deps, results, run.id);
  return posted;
}

/**
 * A failed probe on a check with a severity opens an incident on the same engine as a Problem
 * sign-off. One per check and business day: a second run of the checklist that day (on demand,
 * or after a restart) joins the open one instead of paging again.
 */
async function openIncidentsForFailedProbes(deps: Deps, run: RunRow, def: ChecklistDef, results: readonly ProbeResult[]): Promise<void> {
  const failed = new Set(results.filter((r) => r.status === 'fail').map((r) => r.probe));
  if (failed.size === 0) return;
  const day = formatInZone(run.scheduledFor ?? run.createdAt, deps.config.timezone, { year: 'numeric', month: '2-digit', day: '2-digit' });
  for (const item of checklistItemDefs(def)) {
    if (!item.probe || !failed.has(item.probe)) continue;
    const summary = results.find((r) => r.probe === item.probe)?.summary ?? 'probe failed';
    try {
      await declareFromChecklist(deps, {
        runId: run.id,
        itemId: item.id,
        itemTitle: item.title,
        checklistName: def.name,
        userId: 'drainpro-ops',
        note: `probe failed: ${summary}`,
        source: 'probe',
        probe: item.probe,
        ...(item.severityOnProblem ? { severityOnProblem: item.severityOnProblem } : {}),
        dedupeKey: `probe:${item.id}:${day}`,
      });
    } catch (err) {
      deps.logger.error({ runId: run.id, item: item.id, err: describeError(err) }, 'could not open the incident for a failed probe');
    }
  }
}

/**
 * Posts a stored run's main message (unless it has one) and its missing thread parts; the caller
 * holds its delivery lease, released when everything is posted. When the main post fails, the
 * lease is shortened so the delivery sweep re-posts it soon, and the error is rethrown.
 */
export async function deliverRun(deps: Deps, runId: number): Promise<PostResult> {
  const loaded = await loadRunView(deps, runId);
  if (!loaded) throw new Error(`run ${runId} not found`);
  const { state, view } = loaded;
  const message = buildChecklistMessage(view);
  let posted: { channel: string; ts: string };
  if (state.run.messageTs) {
    // A delivery cut short after the main message (a crash): only the missing parts follow.
    posted = { channel: state.run.channel, ts: state.run.messageTs };
  } else {
    try {
      posted = await postOnce(deps, sendKey('run', state.run, state.run.createdAt, 'main'), { channel: state.run.channel, ...message });
    } catch (err) {
      if (isPermanentSlackError(err)) {
        // Not retried: the sweep skips runs with a recorded failure until a person acts.
        await recordSlackFailure(deps, deps.db, { owner: 'run', refId: runId, channel: state.run.channel, err, at: deps.clock.now(), log: { runId } });
        throw err;
      }
      deps.logger.warn({ runId, channel: state.run.channel, err: describeError(err) }, 'checklist post failed; the delivery sweep will post it');
      await setDeliveryLease(deps.db, runId, new Date(deps.clock.now().getTime() + DELIVERY_RETRY_MS)).catch(() => undefined);
      throw err;
    }
    await attachMessage(deps.db, runId, posted.channel, posted.ts, deps.clock.now());
    deps.home.changed();
  }
  if (isThreaded(view)) {
    const sectionMessages: Record<string, string> = { ...state.run.sectionMessages };
    for (const part of checklistParts(view)) {
      if (sectionMessages[part.key]) continue;
      const reply = await postOnce(deps, sendKey('run', state.run, state.run.createdAt, `part:${part.key}`), {
        channel: posted.channel,
        thread_ts: posted.ts,
        ...buildChecklistPart(view, part),
      });
      sectionMessages[part.key] = reply.ts;
      // Saved after each part so a crash half-way re-posts only the missing ones.
      await saveSectionMessages(deps.db, runId, sectionMessages);
    }
  }
  await releaseDelivery(deps.db, runId);
  deps.logger.info({ runId, channel: posted.channel, ts: posted.ts }, 'checklist posted');
  return { kind: 'posted', run: state.run, channel: posted.channel, ts: posted.ts };
}

export interface RedeliveryResult {
  posted: number[];
  failed: number[];
}

/**
 * Posts open runs left without a message (Slack was down, or the process died between storing
 * and posting). Each run is claimed with a lease first, so two replicas never both post it.
 */
export async function redeliverRuns(deps: Deps, now: Date, limit = 20): Promise<RedeliveryResult> {
  const result: RedeliveryResult = { posted: [], failed: [] };
  const ids = await findUndeliveredRuns(deps.db, now, new Date(now.getTime() - REDELIVER_AFTER_MS), limit);
  for (const id of ids) {
    if (!(await claimDelivery(deps.db, id, now, new Date(now.getTime() + DELIVERY_LEASE_MS)))) continue;
    try {
      await deliverRun(deps, id);
      result.posted.push(id);
    } catch {
      // deliverRun logged it and shortened the lease; one run that cannot be posted (a builder
      // error) must not hold back the others, so carry on.
      result.failed.push(id);
    }
  }
  return result;
}

/**
 * Re-renders a run's messages in place after its state changed: the main message, and the
 * threaded part holding `itemId` (every part when no item is named). Concurrent calls coalesce.
 */
export function refreshRunMessage(deps: Deps, runId: number, itemId?: string): Promise<void> {
  return deps.refreshes.checklists.run(`run:${runId}:${itemId ?? '*'}`, async () => {
    deps.home.changed();
    const loaded = await loadRunView(deps, runId);
    const run = loaded?.state.run;
    if (!loaded || !run?.messageTs) return;
    await updateMessage(deps, { channel: run.channel, ts: run.messageTs, ...buildChecklistMessage(loaded.view) });
    if (!isThreaded(loaded.view)) return;
    for (const part of checklistParts(loaded.view)) {
      const ts = run.sectionMessages[part.key];
      if (!ts || (itemId && !part.items.some((x) => x.item.id === itemId))) continue;
      await updateMessage(deps, { channel: run.channel, ts, ...buildChecklistPart(loaded.view, part) });
    }
  });
}

import { buildChecklistMessage } from '../../blocks/checklist';
import type { ChecklistDef } from '../checklists';
import { channelFor, roleName, type Deps } from '../deps';
import { probesOf, recordProbeResults, runNamedProbes } from '../runs/probes';
import { describeError } from '../errors';
import { attachMessage, claimDelivery, createRun, findUndeliveredRuns, loadRun, setDeliveryLease, type RunRow } from '../runs/store';
import { toChecklistView } from '../runs/view';
import { CoalescingQueue } from './keyed-queue';
import { postMessage, updateMessage } from './slack-io';

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

/** Renders a stored run as its Slack message. */
export async function renderRun(deps: Deps, runId: number) {
  const state = await loadRun(deps.db, runId);
  if (!state) return null;
  return { state, message: buildChecklistMessage(toChecklistView(state, viewContext(deps))) };
}

/**
 * Claims the period, stores the run with its items, then posts it. The database has the run
 * before Slack has the message; a run left without a message (crash, Slack down) is posted by the
 * delivery sweep.
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
    deliveryLeaseUntil: new Date(now.getTime() + DELIVERY_LEASE_MS),
  });
  if (!run) return { kind: 'already_claimed' };
  deps.logger.info({ runId: run.id, checklist: def.id, period: opts.periodKey, kind: opts.kind }, 'checklist run created');
  // Probes answer (or time out) before the post, so the message arrives already filled in.
  const results = await runNamedProbes(deps, probesOf(def));
  await recordProbeResults(deps.db, results, { id: run.id, def });
  return deliverRun(deps, run.id);
}

/**
 * Posts a stored run that has no message yet; the caller holds its delivery lease. When Slack
 * fails, the lease is shortened so the delivery sweep re-posts it soon, and the error is rethrown.
 */
export async function deliverRun(deps: Deps, runId: number): Promise<PostResult> {
  const rendered = await renderRun(deps, runId);
  if (!rendered) throw new Error(`run ${runId} not found`);
  const { state, message } = rendered;
  let posted: { channel: string; ts: string };
  try {
    posted = await postMessage(deps, { channel: state.run.channel, ...message });
  } catch (err) {
    deps.logger.warn({ runId, channel: state.run.channel, err: describeError(err) }, 'checklist post failed; the delivery sweep will post it');
    await setDeliveryLease(deps.db, runId, new Date(deps.clock.now().getTime() + DELIVERY_RETRY_MS)).catch(() => undefined);
    throw err;
  }
  await attachMessage(deps.db, runId, posted.channel, posted.ts, deps.clock.now());
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

const refreshQueue = new CoalescingQueue();

/** Re-renders the run's message in place after its state changed; concurrent calls coalesce. */
export function refreshRunMessage(deps: Deps, runId: number): Promise<void> {
  return refreshQueue.run(`run:${runId}`, async () => {
    const rendered = await renderRun(deps, runId);
    if (!rendered?.state.run.messageTs) return;
    await updateMessage(deps, { channel: rendered.state.run.channel, ts: rendered.state.run.messageTs, ...rendered.message });
  });
}

export function checklistRefreshesIdle(): Promise<void> {
  return refreshQueue.idle();
}

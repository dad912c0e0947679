import { buildChecklistMessage } from '../../blocks/checklist';
import type { ChecklistDef } from '../checklists';
import { channelFor, roleName, type Deps } from '../deps';
import { probesOf, recordProbeResults, runNamedProbes } from '../runs/probes';
import { attachMessage, createRun, loadRun, type RunRow } from '../runs/store';
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
  });
  if (!run) return { kind: 'already_claimed' };
  deps.logger.info({ runId: run.id, checklist: def.id, period: opts.periodKey, kind: opts.kind }, 'checklist run created');
  // Probes answer (or time out) before the post, so the message arrives already filled in.
  const results = await runNamedProbes(deps, probesOf(def));
  await recordProbeResults(deps.db, results, { id: run.id, def });
  return deliverRun(deps, run.id);
}

/** Posts a stored run that has no message yet. */
export async function deliverRun(deps: Deps, runId: number): Promise<PostResult> {
  const rendered = await renderRun(deps, runId);
  if (!rendered) throw new Error(`run ${runId} not found`);
  const { state, message } = rendered;
  const posted = await postMessage(deps, { channel: state.run.channel, ...message });
  await attachMessage(deps.db, runId, posted.channel, posted.ts, deps.clock.now());
  deps.logger.info({ runId, channel: posted.channel, ts: posted.ts }, 'checklist posted');
  return { kind: 'posted', run: state.run, channel: posted.channel, ts: posted.ts };
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

// A change as a runbook (the guide's UPDATE PROCEDURES): a checklist run of the runbook's steps
// in the changes channel, signed like any checklist; a step with a wait starts a timer whose end
// reminds the requester and runs the runbook's probes.
import { escapeMrkdwn, joinMrkdwn, mention, mrkdwn, type Mrkdwn } from '../../blocks/format';
import { buildNotice } from '../../blocks/help';
import type { ChecklistDef } from '../checklists';
import type { Tx } from '../db';
import { channelFor, type Deps } from '../deps';
import { describeError } from '../errors';
import { deliverRun, DELIVERY_LEASE_MS } from '../runs/flow';
import { enqueue } from '../outbox';
import type { ProbeName } from '../probes';
import { recordProbeResults, runNamedProbes } from '../runs/probes';
import { createRun, loadRun, type RunRow } from '../runs/store';
import { scheduleTimer, type TimerHandler } from '../timers';
import type { Runbook } from './runbooks';
import { CHANGE_PREFIX } from './store';
import { failChange } from './failure';

export const CHANGE_WAIT_KIND = 'change-wait';

/** The runbook as a checklist: steps as items, the rollback plan in its notes. `what` is user text (escaped by the renderers). */
export function changeDef(rb: Runbook, what: string): ChecklistDef {
  return {
    id: `${CHANGE_PREFIX}${rb.id}`,
    name: `${rb.name}: ${what}`,
    aliases: [],
    schedule: '0 0 1 1 *',
    durationMinutes: 60,
    ownerRole: 'tech-lead',
    channel: 'ops',
    sections: [
      {
        id: 'steps',
        title: 'Process',
        items: rb.steps.map((st) => ({
          id: st.id,
          title: st.title,
          checks: [
            ...(st.canary ? ['Go/no-go: Done is go; Problem (with what you saw) is no-go and marks the change failed'] : []),
            ...(st.waitHours ? [`Done starts the ${st.waitHours}-hour window; at its end I remind you and run: ${rb.probes.join(', ')}`] : []),
          ],
        })),
      },
      // The rollback plan is something to have ready before the change, so it is signed too.
      ...(rb.rollback.length
        ? [{ id: 'rollback', title: 'Rollback plan', items: [{ id: 'rollback-ready', title: 'Rollback plan ready', checks: rb.rollback }] }]
        : []),
    ],
  };
}

export type StartOutcome = { kind: 'started'; run: RunRow; posted: boolean } | { kind: 'already' };

/** Records the change (its run, keyed by the request) and posts it; a failed post is left to the delivery sweep. */
export async function startChange(deps: Deps, rb: Runbook, what: string, requestedBy: string, key: string): Promise<StartOutcome> {
  const now = deps.clock.now();
  const run = await createRun(deps.db, {
    def: changeDef(rb, what),
    periodKey: `change:${key}`,
    kind: 'on_demand',
    channel: channelFor(deps.config, deps.config.changes.channel),
    now,
    requestedBy,
    deliveryLeaseUntil: new Date(now.getTime() + DELIVERY_LEASE_MS),
  });
  if (!run) return { kind: 'already' };
  deps.logger.info({ runId: run.id, runbook: rb.id }, 'change recorded');
  try {
    await deliverRun(deps, run.id);
    return { kind: 'started', run, posted: true };
  } catch (err) {
    deps.logger.warn({ runId: run.id, err: describeError(err) }, 'change runbook not posted yet; the delivery sweep will retry');
    return { kind: 'started', run, posted: false };
  }
}

/** After a change step is signed Done: a step with a wait starts its window (once). */
export async function afterChangeStep(
  deps: Deps,
  run: RunRow,
  step: { itemId: string; status: string; userId: string; note?: string | undefined },
): Promise<void> {
  if (!run.checklistId.startsWith(CHANGE_PREFIX)) return;
  const rb = deps.config.changes.runbooks.find((r) => `${CHANGE_PREFIX}${r.id}` === run.checklistId);
  const index = rb?.steps.findIndex((s) => s.id === step.itemId) ?? -1;
  if (step.status === 'problem' && rb?.steps[index]?.canary) {
    await failChange(deps, {
      runId: run.id,
      what: `no-go at "${rb.steps[index]!.title}"${step.note?.trim() ? `: ${step.note.trim()}` : ''}`,
      userId: step.userId,
    });
    return;
  }
  if (step.status !== 'done') return;
  const wait = rb?.steps[index]?.waitHours;
  if (!rb || !wait) return;
  const dueAt = new Date(deps.clock.now().getTime() + wait * 3_600_000);
  await scheduleTimer(deps.db, {
    kind: CHANGE_WAIT_KIND,
    refId: String(run.id),
    step: index,
    dueAt,
    payload: { itemId: step.itemId, hours: wait, probes: rb.probes },
  });
}

/** The end of a window: the runbook's probes run, and the verdicts reach the change's thread with the requester mentioned. */
export function changeWaitHandler(deps: Deps): TimerHandler {
  return {
    send: async (db, timer, now) => {
      const state = await loadRun(db, Number(timer.refId));
      if (!state) return;
      const payload = timer.payload as { itemId?: string; hours?: number; probes?: ProbeName[] };
      const def = state.run.definition as ChecklistDef;
      const results = await runNamedProbes(deps, payload.probes ?? []);
      await recordProbeResults(db, results, { id: state.run.id, def });
      const title = def.sections.flatMap((s) => s.items).find((i) => i.id === payload.itemId)?.title ?? payload.itemId ?? 'the window';
      const failed = results.some((r) => r.status === 'fail');
      const verdicts = results.length
        ? joinMrkdwn(results.map((r) => mrkdwn`• \`${escapeMrkdwn(r.probe)}\` ${escapeMrkdwn(r.status)} — ${escapeMrkdwn(r.summary)}`))
        : mrkdwn`_no probe configured_`;
      const who = state.run.requestedBy ? mention(state.run.requestedBy) : mrkdwn`Owner`;
      const next = failed
        ? mrkdwn`A probe failed: follow the rollback plan.`
        : (goNoGo(deps, state.run, timer.step) ?? mrkdwn`Sign the next step when you are satisfied.`);
      const text = mrkdwn`:stopwatch: ${who}: the ${payload.hours ?? 0}-hour window of *${escapeMrkdwn(title)}* (${escapeMrkdwn(def.name)}) is over. ${next}\n${verdicts}`;
      return async (tx: Tx) => {
        await enqueue(
          tx,
          {
            channel: state.run.channel,
            ...(state.run.messageTs ? { threadTs: state.run.messageTs } : {}),
            ref: `change:${state.run.id}`,
            ...buildNotice(text),
          },
          now,
        );
      };
    },
  };
}

/**
 * After a canary, the window's end is the go/no-go: go is signing the step after the window (e.g.
 * "If no issues, release to 100%"), no-go is marking the change failed (its rollback clock starts).
 */
function goNoGo(deps: Deps, run: RunRow, waitIndex: number): Mrkdwn | null {
  const rb = deps.config.changes.runbooks.find((r) => `${CHANGE_PREFIX}${r.id}` === run.checklistId);
  const canary = rb?.steps.findIndex((st) => st.canary) ?? -1;
  const after = rb?.steps[waitIndex + 1];
  if (!rb || canary < 0 || canary > waitIndex || !after) return null;
  return mrkdwn`*Go/no-go on the canary (${escapeMrkdwn(rb.steps[canary]!.title)}):* go is signing *${escapeMrkdwn(after.title)}*; no-go is \`/ops change failed ${run.id} <what you saw>\` (the rollback clock starts).`;
}

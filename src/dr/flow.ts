// The disaster-recovery procedure of a P0 "system down" incident: attached as a checklist run in
// the incident's channel, each signed step written on the incident timeline, "Notify
// stakeholders" posting to the stakeholder channel, and "Bring system back online" starting the
// monitoring window whose end is a timer.
import { channelLink, escapeMrkdwn, mention, mrkdwn } from '../../blocks/format';
import { buildNotice } from '../../blocks/help';
import type { ChecklistDef } from '../checklists';
import type { Tx } from '../db';
import { channelFor, type Deps } from '../deps';
import { describeError } from '../errors';
import { deliverRun, DELIVERY_LEASE_MS } from '../runs/flow';
import type { DeclareHook } from '../deps';
import { recordEvent } from '../incidents/steps';
import { getIncident, type IncidentRow } from '../incidents/store';
import { deliverOutbox, enqueue } from '../outbox';
import { createRun, type RunRow } from '../runs/store';
import { scheduleTimer, type TimerHandler } from '../timers';
import { isSystemDown } from './config';
import { DR_CHECKLIST_ID, DR_PERIOD_PREFIX, drProcedureDef, DrSteps, incidentOfPeriod } from './procedure';
import { findDrRun, queuedBefore } from './store';
import { afterPostMortem } from './post-mortem';

export const DR_ATTACH_KIND = 'dr-attach';
export const DR_MONITOR_KIND = 'dr-monitor';
/** The declaring request attaches the procedure itself; the timer is for when it died first. */
const ATTACH_FALLBACK_MS = 2 * 60_000;

const systemDown = (deps: Pick<Deps, 'config'>, row: Pick<IncidentRow, 'severity' | 'summary'>) =>
  isSystemDown(deps.config.disasterRecovery, row.severity, row.summary);

/** In the declaring transaction: the procedure is owed from the moment the incident is stored. */
export async function scheduleDrAttach(tx: Tx, deps: Pick<Deps, 'config'>, row: IncidentRow, now: Date): Promise<void> {
  if (!systemDown(deps, row)) return;
  await scheduleTimer(tx, { kind: DR_ATTACH_KIND, refId: String(row.id), dueAt: new Date(now.getTime() + ATTACH_FALLBACK_MS) });
}

export type AttachOutcome = 'attached' | 'already' | 'not_down' | 'not_found';

/**
 * Creates the incident's DR run (once: its period is `incident:<id>`) in the incident channel, or
 * the announcement's channel when there is none, and posts it. A post that fails is left to the
 * delivery sweep, like any checklist run.
 */
export async function attachDrProcedure(deps: Deps, incidentId: number): Promise<AttachOutcome> {
  const inc = await getIncident(deps.db, incidentId);
  if (!inc) return 'not_found';
  if (!systemDown(deps, inc)) return 'not_down';
  const cfg = deps.config.disasterRecovery;
  const stakeholders = channelFor(deps.config, cfg.stakeholderChannel);
  const now = deps.clock.now();
  const run = await createRun(deps.db, {
    def: drProcedureDef(inc.id, cfg.monitorHours, /^[CG][A-Z0-9]+$/.test(stakeholders) ? 'the stakeholder channel' : `#${stakeholders}`),
    periodKey: `${DR_PERIOD_PREFIX}${inc.id}`,
    kind: 'on_demand',
    channel: inc.incidentChannel ?? inc.channel,
    now,
    requestedBy: inc.declaredBy,
    deliveryLeaseUntil: new Date(now.getTime() + DELIVERY_LEASE_MS),
  });
  if (!run) return 'already';
  deps.logger.info({ incident: inc.id, runId: run.id }, 'disaster-recovery procedure attached');
  await deps.db.transaction(async (tx) => {
    const fresh = (await getIncident(tx, inc.id))!;
    await recordEvent(
      tx,
      fresh,
      { kind: 'procedure', text: 'The system is down: the disaster-recovery procedure (10 steps) is attached; each step signed appears here.' },
      now,
    );
  });
  try {
    await deliverRun(deps, run.id);
  } catch (err) {
    deps.logger.warn({ incident: inc.id, runId: run.id, err: describeError(err) }, 'disaster-recovery checklist not posted yet; the delivery sweep will retry');
  }
  await deliverOutbox(deps, deps.clock.now());
  return 'attached';
}

const SIGNED: Record<string, string> = { done: 'done', problem: 'PROBLEM', na: 'not applicable' };

/**
 * After a step of a DR run is signed (the sign-off is stored): the timeline entry, and the
 * step's own effect. No-op for any other checklist.
 */
export async function afterDrStep(deps: Deps, run: RunRow, step: { itemId: string; status: string; userId: string; note?: string | undefined }): Promise<void> {
  if (run.checklistId !== DR_CHECKLIST_ID) return;
  const incidentId = incidentOfPeriod(run.periodKey);
  if (incidentId === null) return;
  const title = (run.definition as ChecklistDef).sections.flatMap((s) => s.items).find((i) => i.id === step.itemId)?.title ?? step.itemId;
  const cfg = deps.config.disasterRecovery;
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const inc = await getIncident(tx, incidentId);
    if (!inc) return;
    const note = step.note?.trim() ? ` — ${step.note.trim()}` : '';
    await recordEvent(tx, inc, { kind: 'procedure', userId: step.userId, text: `DR step ${title}: ${SIGNED[step.status] ?? step.status}${note}` }, now);
    if (step.status !== 'done') return;
    if (step.itemId === DrSteps.notify) await notifyStakeholders(tx, deps, inc, step.userId, now);
    if (step.itemId === DrSteps.backOnline) {
      const dueAt = new Date(now.getTime() + cfg.monitorHours * 3_600_000);
      if (await scheduleTimer(tx, { kind: DR_MONITOR_KIND, refId: String(incidentId), dueAt, payload: { runId: run.id, userId: step.userId } })) {
        await recordEvent(tx, inc, { kind: 'procedure', text: `Monitoring window started: ${cfg.monitorHours} h, ends ${dueAt.toISOString()}` }, now);
      }
    }
  });
  if (step.itemId === DrSteps.postMortem && step.status === 'done') await afterPostMortem(deps, run, incidentId, step.userId);
  await deliverOutbox(deps, deps.clock.now());
}

/** "Notify stakeholders immediately": the incident, to the configured stakeholder channel, once. */
async function notifyStakeholders(tx: Tx, deps: Deps, inc: IncidentRow, userId: string, now: Date): Promise<void> {
  const ref = `dr-stakeholders:${inc.id}`;
  if (await queuedBefore(tx, ref)) return;
  const channel = channelFor(deps.config, deps.config.disasterRecovery.stakeholderChannel);
  const follow = inc.incidentChannel ? mrkdwn` Follow it in ${channelLink(inc.incidentChannel)}.` : mrkdwn` Follow it in ${channelLink(inc.channel)}.`;
  const text = mrkdwn`:rotating_light: *P0 incident #${inc.id}: the system is down* — ${escapeMrkdwn(inc.summary)}\nDisaster recovery has started (restoring from the latest backup). ${mention(userId)} is keeping you informed.${follow}`;
  await enqueue(tx, { channel, ref, ...buildNotice(text) }, now);
  await recordEvent(tx, inc, { kind: 'procedure', text: `Stakeholders notified in ${channel}` }, now);
}

/** The monitoring window after recovery is over: say so in the DR run's channel and on the timeline. */
export function drMonitorHandler(deps: Pick<Deps, 'config'>): TimerHandler {
  return async (tx, timer, now) => {
    const incidentId = Number(timer.refId);
    const inc = await getIncident(tx, incidentId);
    const run = await findDrRun(tx, incidentId);
    if (!inc || !run) return;
    const hours = deps.config.disasterRecovery.monitorHours;
    const signer = (timer.payload as { userId?: unknown } | null)?.userId;
    const who = typeof signer === 'string' ? mention(signer) : mrkdwn`The recovery team`;
    const text = mrkdwn`:stopwatch: The ${hours}-hour monitoring window after the recovery of incident #${incidentId} is over. ${who}: sign *8. Monitor closely* (Done, or Problem with what you saw), then run the post-mortem (step 9).`;
    await enqueue(
      tx,
      { channel: run.channel, ...(run.messageTs ? { threadTs: run.messageTs } : {}), ref: `dr-monitor:${incidentId}`, ...buildNotice(text) },
      now,
    );
    await recordEvent(tx, inc, { kind: 'procedure', text: `The ${hours}-hour monitoring window after recovery is over` }, now);
  };
}

/** The fallback attach: the declaring request died before attaching the procedure. */
export function drAttachHandler(deps: Deps): TimerHandler {
  return {
    send: async (_db, timer) => {
      await attachDrProcedure(deps, Number(timer.refId));
    },
  };
}

/**
 * A P0 "system down" gets the disaster-recovery procedure in its channel: a timer in the declaring
 * (or severity-raising) transaction, attached after the pages. Used for both declarations and
 * severity changes: a raise to P0 is judged by the same rule, and the run is keyed by the incident,
 * so raising P1 → P0 → P1 → P0 attaches it once.
 */
export const disasterRecoveryHook: DeclareHook = {
  name: 'disaster-recovery',
  inTransaction: (tx, deps, incident, now) => scheduleDrAttach(tx, deps, incident, now),
  afterwards: (deps, incidentId) => attachDrProcedure(deps, incidentId),
};

import { escapeMrkdwn, mrkdwn, type Mrkdwn } from '../blocks/format';
import type { BlockAction, ButtonAction, RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { buildNotice, buildRefusal } from '../blocks/help';
import { ActionIds, parseItemRef } from '../blocks/ids';
import { buildProblemModal } from '../blocks/problem-modal';
import type { ChecklistDef, ItemDef } from '../src/checklists';
import type { Deps } from '../src/deps';
import { describeError } from '../src/errors';
import { declareFromChecklist } from '../src/incidents/flows';
import { refreshRunMessage } from '../src/flows/checklist';
import { afterDrStep } from '../src/dr/flow';
import { afterChangeStep } from '../src/changes/flow';
import { signRefusal } from '../src/rights';
import { loadRun, signItem, type RunState } from '../src/runs/store';
import { reportError, tellUser } from './respond';
import { isPermanentSlackError, slackAdvice } from '../src/slack/errors';
import type { ListenerRoutes } from '../src/slack/listener-routes';

type ItemStatus = 'done' | 'problem' | 'na';

function findItemDef(state: RunState, itemId: string): ItemDef | undefined {
  const def = state.run.definition as ChecklistDef;
  return def.sections.flatMap((s) => s.items).find((i) => i.id === itemId);
}

export interface SignRequest {
  runId: number;
  itemId: string;
  status: ItemStatus;
  userId: string;
  note?: string;
  requestKey: string;
}

/**
 * The sign-off flow shared by buttons and the note modal: rights, then the database, then the
 * message. Returns the sentence to show the user when nothing was signed.
 */
export async function signAndRefresh(deps: Deps, req: SignRequest, loaded?: RunState): Promise<string | null> {
  // A click has just loaded the run for its own checks; the modal path has not.
  const state = loaded ?? (await loadRun(deps.db, req.runId));
  const itemDef = state && findItemDef(state, req.itemId);
  if (!state || !itemDef) return 'That checklist item no longer exists.';
  const refusal = signRefusal(deps.config, req.userId, itemDef.restrictedTo);
  if (refusal) return refusal;
  // Done or N/A on a check whose probe failed needs a note saying why (the guide's rule).
  const item = state.items.find((i) => i.itemId === req.itemId);
  if ((req.status === 'done' || req.status === 'na') && item?.probeStatus === 'fail' && !req.note?.trim() && !(item.status === req.status && item.note)) {
    return `The \`${itemDef.probe ?? req.itemId}\` probe failed: click the button again and add a note saying why.`;
  }
  const outcome = await signItem(deps.db, { ...req, now: deps.clock.now() });
  if (outcome.kind === 'not_found') return 'That checklist item no longer exists.';
  if (outcome.kind === 'signed') {
    deps.logger.info({ runId: req.runId, item: req.itemId, status: req.status, user: req.userId, completed: outcome.completedNow }, 'item signed');
    // The incident first: paging matters more than the checklist's re-render.
    if (req.status === 'problem') await openIncidentForProblem(deps, state, itemDef, req);
    // A disaster-recovery step: on the incident's timeline, and its own effect (src/dr/flow.ts).
    await afterDrStep(deps, state.run, req).catch((err: unknown) => deps.logger.error({ runId: req.runId, item: req.itemId, err: describeError(err) }, 'disaster-recovery step effects failed'));
    await afterChangeStep(deps, state.run, req).catch((err: unknown) => deps.logger.error({ runId: req.runId, item: req.itemId, err: describeError(err) }, 'change step effects failed'));
    // The sign-off is stored; a message Slack would not update catches up at the next change,
    // so the person is not told their click failed.
    try {
      await refreshRunMessage(deps, req.runId, req.itemId);
    } catch (err) {
      if (isPermanentSlackError(err)) {
        deps.logger.error({ runId: req.runId, item: req.itemId, err: describeError(err) }, 'checklist message cannot be updated');
        return `Your sign-off is saved, but the checklist message does not show it: ${slackAdvice(err, state.run.channel)}`;
      }
      deps.logger.warn({ runId: req.runId, item: req.itemId, err: describeError(err) }, 'checklist message not updated; it will be on the next change');
    }
  }
  return null;
}

/** A Problem on a check config maps to a severity opens an incident (once per run and item). */
async function openIncidentForProblem(deps: Deps, state: RunState, itemDef: ItemDef, req: SignRequest): Promise<void> {
  try {
    const def = state.run.definition as ChecklistDef;
    await declareFromChecklist(deps, { runId: req.runId, itemId: req.itemId, itemTitle: itemDef.title, checklistName: def.name, userId: req.userId, note: req.note ?? null, ...(itemDef.severityOnProblem ? { severityOnProblem: itemDef.severityOnProblem } : {}), ...(itemDef.probe ? { probe: itemDef.probe } : {}) });
  } catch (err) {
    deps.logger.error({ runId: req.runId, item: req.itemId, err: describeError(err) }, 'could not open the incident for a problem item');
  }
}

async function openNoteModal(deps: Deps, client: WebClient, triggerId: string, state: RunState, itemId: string, status: 'problem' | 'done' | 'na', reason?: Mrkdwn) {
  const def = findItemDef(state, itemId);
  await client.views.open({
    trigger_id: triggerId,
    view: buildProblemModal({ runId: state.run.id, itemId, itemTitle: def?.title ?? itemId, status, ...(reason ? { reason } : {}) }),
  });
}

/** `turn`: the ack's wait for a follow-up turn; a Problem click opens its modal before it (a trigger id lives 3 s). */
async function handleItemClick(deps: Deps, status: ItemStatus, body: BlockAction, action: ButtonAction, client: WebClient, respond: RespondFn, turn: Promise<void>) {
  if (status !== 'problem') await turn;
  const ref = parseItemRef(action.value);
  if (!ref) {
    await tellUser(deps, respond, buildNotice(mrkdwn`:warning: That button is not one of mine any more; run the checklist again.`));
    return;
  }
  const state = await loadRun(deps.db, ref.runId);
  if (!state || !state.items.some((i) => i.itemId === ref.itemId)) {
    await tellUser(deps, respond, buildNotice(mrkdwn`:warning: That checklist item no longer exists.`));
    return;
  }
  const item = state.items.find((i) => i.itemId === ref.itemId)!;
  const refusal = signRefusal(deps.config, body.user.id, findItemDef(state, ref.itemId)?.restrictedTo);
  if (refusal) {
    await tellUser(deps, respond, buildRefusal(refusal));
    return;
  }
  if (status === 'problem') {
    await openNoteModal(deps, client, body.trigger_id, state, ref.itemId, 'problem');
    return;
  }
  if ((status === 'done' || status === 'na') && item.probeStatus === 'fail' && item.status !== status) {
    const probe = escapeMrkdwn(findItemDef(state, ref.itemId)?.probe ?? '');
    await openNoteModal(deps, client, body.trigger_id, state, ref.itemId, status, status === 'done' ? mrkdwn`The \`${probe}\` probe failed: say why this is fine.` : mrkdwn`The \`${probe}\` probe failed: say why this check does not apply.`);
    return;
  }
  const refused = await signAndRefresh(deps, {
    runId: ref.runId,
    itemId: ref.itemId,
    status,
    userId: body.user.id,
    requestKey: `action:${action.action_ts}:${body.user.id}`,
  }, state);
  if (refused) await tellUser(deps, respond, buildNotice(mrkdwn`:warning: ${escapeMrkdwn(refused)}`));
}

export function registerChecklistActions(routes: ListenerRoutes, deps: Deps): void {
  const statuses: [string, ItemStatus][] = [
    [ActionIds.itemDone, 'done'],
    [ActionIds.itemProblem, 'problem'],
    [ActionIds.itemNa, 'na'],
  ];
  for (const [actionId, status] of statuses) {
    routes.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, client, respond }) => {
      const turn = ack();
      try {
        await handleItemClick(deps, status, body, action, client, respond, turn);
        await turn;
      } catch (err) {
        await reportError(deps, err, respond, { action: actionId, user: body.user.id });
      }
    });
  }
}

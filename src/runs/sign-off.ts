import { findItemDef, type ItemDef } from '../checklists';
import type { Deps } from '../deps';
import { describeError } from '../errors';
import { declareFromChecklist } from '../incidents/flows';
import { drVerifyRefusal, signRefusal } from '../rights';
import type { Tx } from '../db';
import { drSignInLock } from '../dr/tests';
import { drPairOf } from '../dr/tests-rules';
import { isPermanentSlackError, slackAdvice } from '../slack/errors';
import { afterChangeStep } from '../changes/flow';
import { afterDrStep } from '../dr/flow';
import { refreshRunMessage } from './flow';
import { twoPersonRefusal } from './two-person';
import { loadRun, signItem, type ItemRow, type RunState } from './store';

export type ItemStatus = 'done' | 'problem' | 'na';

/** A run item someone may sign: loaded and rights-checked once, by `loadSignOff`. */
export interface SignOff {
  state: RunState;
  item: ItemRow;
  itemDef: ItemDef;
  userId: string;
}

export type SignOffLoad = { kind: 'ok'; signOff: SignOff } | { kind: 'not_found' | 'refused'; message: string };

const GONE = 'That checklist item no longer exists.';

/**
 * Loads the run holding `itemId` and checks that `userId` may sign it. Every sign-off (a button,
 * the note modal) starts here, so the run is read and the rights are checked once per request.
 */
export async function loadSignOff(deps: Deps, runId: number, itemId: string, userId: string): Promise<SignOffLoad> {
  const state = await loadRun(deps.db, runId);
  const item = state?.items.find((i) => i.itemId === itemId);
  const itemDef = state && findItemDef(state.run.definition, itemId);
  if (!state || !item || !itemDef) return { kind: 'not_found', message: GONE };
  // A DR test's verification is signed by those who may verify (rights.drVerify), not by `sign`.
  const verifies = drPairOf(state.run.definition)?.verifier?.id === itemId;
  const refusal = verifies ? drVerifyRefusal(deps.config, userId) : signRefusal(deps.config, userId, itemDef.restrictedTo);
  if (refusal) return { kind: 'refused', message: refusal };
  return { kind: 'ok', signOff: { state, item, itemDef, userId } };
}

/**
 * Done or N/A on a check whose probe failed needs a note saying why (the guide's rule), unless the
 * item already has that status with a note.
 */
export function needsProbeNote(signOff: SignOff, status: ItemStatus, note?: string): boolean {
  const { item } = signOff;
  return (status === 'done' || status === 'na') && item.probeStatus === 'fail' && !note?.trim() && !(item.status === status && item.note);
}

export interface SignRequest {
  status: ItemStatus;
  note?: string;
  /** Identifies the Slack request: a retry or replay of it records once. */
  requestKey: string;
}

/**
 * Signs a loaded, rights-checked item, opens the incident a Problem calls for, then re-renders the
 * message. Returns the sentence to show the user when nothing was signed or the message lags.
 */
export async function signAndRefresh(deps: Deps, signOff: SignOff, req: SignRequest): Promise<string | null> {
  const { state, itemDef, userId } = signOff;
  const runId = state.run.id;
  const itemId = itemDef.id;
  if (needsProbeNote(signOff, req.status, req.note)) {
    return `The \`${itemDef.probe ?? itemId}\` probe failed: click the button again and add a note saying why.`;
  }
  const now = deps.clock.now();
  const drRule = drSignInLock(state.run.definition, itemId, userId, req.status, now);
  // The two-person rule (a DR test's verifier is not its operator) is checked under the run's lock,
  // on the run as it is then: two concurrent clicks cannot both pass it.
  const inLock = async (tx: Tx, fresh: RunState) => twoPersonRefusal(fresh, itemId, userId, req.status) ?? (drRule ? await drRule(tx, fresh) : null);
  const outcome = await signItem(deps.db, { runId, itemId, userId, status: req.status, note: req.note, requestKey: req.requestKey, now, inLock });
  if (outcome.kind === 'not_found') return GONE;
  if (outcome.kind === 'refused') return outcome.message;
  if (outcome.kind === 'signed') {
    deps.logger.info({ runId, item: itemId, status: req.status, user: userId, completed: outcome.completedNow }, 'item signed');
    // The incident first: paging matters more than the checklist's re-render.
    if (req.status === 'problem') await openIncidentForProblem(deps, signOff, req.note);
    // A disaster-recovery or change-runbook step: its own effect (src/dr/flow.ts, src/changes/flow.ts).
    const step = { itemId, status: req.status, userId, note: req.note };
    await afterDrStep(deps, state.run, step).catch((err: unknown) =>
      deps.logger.error({ runId, item: itemId, err: describeError(err) }, 'disaster-recovery step effects failed'),
    );
    await afterChangeStep(deps, state.run, step).catch((err: unknown) =>
      deps.logger.error({ runId, item: itemId, err: describeError(err) }, 'change step effects failed'),
    );
    // The sign-off is stored; a message Slack would not update catches up at the next change,
    // so the person is not told their click failed.
    try {
      await refreshRunMessage(deps, runId, itemId);
    } catch (err) {
      if (isPermanentSlackError(err)) {
        deps.logger.error({ runId, item: itemId, err: describeError(err) }, 'checklist message cannot be updated');
        return `Your sign-off is saved, but the checklist message does not show it: ${slackAdvice(err, state.run.channel)}`;
      }
      deps.logger.warn({ runId, item: itemId, err: describeError(err) }, 'checklist message not updated; it will be on the next change');
    }
  }
  return null;
}

/** A Problem on a check config maps to a severity opens an incident (once per run and item). */
async function openIncidentForProblem(deps: Deps, signOff: SignOff, note: string | undefined): Promise<void> {
  const { state, itemDef, userId } = signOff;
  try {
    const def = state.run.definition;
    await declareFromChecklist(deps, {
      runId: state.run.id,
      itemId: itemDef.id,
      itemTitle: itemDef.title,
      checklistName: def.name,
      userId,
      note: note ?? null,
      ...(itemDef.severityOnProblem ? { severityOnProblem: itemDef.severityOnProblem } : {}),
      ...(itemDef.probe ? { probe: itemDef.probe } : {}),
    });
  } catch (err) {
    deps.logger.error({ runId: state.run.id, item: itemDef.id, err: describeError(err) }, 'could not open the incident for a problem item');
  }
}

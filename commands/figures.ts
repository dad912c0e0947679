import { escapeMrkdwn, mrkdwn } from '../blocks/format';
import { userText } from '../src/user-text';
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs, SlackViewMiddlewareArgs } from '@slack/bolt';
import { buildNotice, buildRefusal } from '../blocks/help';
import { ActionIds, CallbackIds, parseItemRef } from '../blocks/ids';
import { buildFiguresModal, FIGURE_ACTION_ID, figureBlockId } from '../blocks/figures-modal';
import { findItemDef, type FigureDef } from '../src/checklists';
import type { Deps } from '../src/deps';
import { describeError, newRef } from '../src/errors';
import { refreshRunMessage } from '../src/runs/flow';
import { loadEnteredFigures, saveFigures, type FigureValue } from '../src/runs/figures';
import { figuresRefusal } from '../src/rights';
import { loadRun } from '../src/runs/store';
import { formatFigure, parseFigure, unitHint } from '../src/runs/units';
import { reportError, tellUser } from './respond';
import type { ListenerRoutes } from '../src/slack/listener-routes';

type FiguresClick = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;
type FiguresSubmit = SlackViewMiddlewareArgs & AllMiddlewareArgs;

/** "Enter figures" on an item opens a modal of its blanks; values are validated per unit on submit. */
export function registerFigures(routes: ListenerRoutes, deps: Deps): void {
  routes.action<BlockAction<ButtonAction>>(ActionIds.itemFigures, (args) => openFigures(deps, args));
  routes.view(CallbackIds.figures, (args) => submitFigures(deps, args));
}

/** The click: the modal of the item's figures, filled with what was entered before. */
async function openFigures(deps: Deps, { ack, body, action, client, respond }: FiguresClick): Promise<void> {
  // The reply leaves now; the modal is opened before waiting for a follow-up turn (a trigger id lives 3 s).
  const turn = ack();
  try {
    const ref = parseItemRef(action.value);
    const state = ref && (await loadRun(deps.db, ref.runId));
    const item = state && ref ? findItemDef(state.run.definition, ref.itemId) : undefined;
    if (!ref || !state || !item?.figures?.length) {
      await tellUser(deps, respond, buildNotice(mrkdwn`:warning: That item has no figures to enter.`));
      return;
    }
    const refusal = figuresRefusal(deps.config, body.user.id, item.restrictedTo);
    if (refusal) {
      await tellUser(deps, respond, buildRefusal(refusal));
      return;
    }
    const entered = await loadEnteredFigures(deps.db, ref.runId);
    const fields = item.figures.map((f) => {
      const value = entered(item.id, f.id);
      return {
        id: f.id,
        label: f.label,
        hint: unitHint(f.unit),
        ...(f.target ? { target: f.target } : {}),
        ...(value !== undefined ? { initial: String(value) } : {}),
      };
    });
    await client.views.open({ trigger_id: body.trigger_id, view: buildFiguresModal({ runId: ref.runId, itemId: item.id, itemTitle: item.title, fields }) });
    await turn;
  } catch (err) {
    await reportError(deps, err, respond, { action: ActionIds.itemFigures, user: body.user.id });
  }
}

/** The values typed in the modal, parsed per unit; a blank is skipped, a bad value is an error on its field. */
function readFigures(figures: readonly FigureDef[], view: FiguresSubmit['view']): { values: FigureValue[]; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const values: FigureValue[] = [];
  for (const f of figures) {
    const raw = userText(view.state.values[figureBlockId(f.id)]?.[FIGURE_ACTION_ID]?.value, { slackEncoded: false, max: 200 });
    if (raw === '') continue;
    const parsed = parseFigure(f.unit, raw);
    if (parsed.ok) values.push({ figureId: f.id, value: parsed.value });
    else errors[figureBlockId(f.id)] = parsed.error;
  }
  return { values, errors };
}

/** The submit: checked again (rights, units), stored, then the checklist message re-rendered. */
async function submitFigures(deps: Deps, { ack, body, view }: FiguresSubmit): Promise<void> {
  let meta: { runId?: unknown; itemId?: unknown } = {};
  try {
    meta = JSON.parse(view.private_metadata) as typeof meta;
  } catch {
    // handled below as an out-of-date form
  }
  // private_metadata is ours, but a run id the database cannot hold must not reach it before the ack.
  const state = Number.isSafeInteger(meta.runId) && (meta.runId as number) > 0 ? await loadRun(deps.db, meta.runId as number) : null;
  const item = state && typeof meta.itemId === 'string' ? findItemDef(state.run.definition, meta.itemId) : undefined;
  if (!state || !item?.figures) {
    await ack({ response_action: 'errors', errors: { [figureBlockId(item?.figures?.[0]?.id ?? 'x')]: 'This form is out of date; close it and try again.' } });
    return;
  }
  // Checked again at submit: the run and item come from the form's metadata, not from a click we checked.
  const refusal = figuresRefusal(deps.config, body.user.id, item.restrictedTo);
  if (refusal) {
    await ack({ response_action: 'errors', errors: { [figureBlockId(item.figures[0]?.id ?? 'x')]: refusal } });
    return;
  }
  const { values, errors } = readFigures(item.figures, view);
  if (Object.keys(errors).length > 0) {
    await ack({ response_action: 'errors', errors });
    return;
  }
  await ack();
  try {
    await saveFigures(deps.db, state.run, item.id, item.figures, values, body.user.id, deps.clock.now());
    deps.logger.info(
      {
        runId: state.run.id,
        item: item.id,
        figures: values.map((v) => `${v.figureId}=${formatFigure(item.figures!.find((f) => f.id === v.figureId)!.unit, v.value)}`),
      },
      'figures entered',
    );
  } catch (err) {
    const ref = newRef();
    deps.logger.error({ ref, err: describeError(err), runId: state.run.id }, 'saving figures failed');
    await deps.slack.chat
      .postMessage({
        channel: body.user.id,
        text: mrkdwn`:x: Your figures for ${escapeMrkdwn(item.title)} could not be saved (ref \`${escapeMrkdwn(ref)}\`). Please try again.`,
      })
      .catch(() => undefined);
    return;
  }
  // Saved: a message Slack would not update now catches up at the next change.
  await refreshRunMessage(deps, state.run.id, item.id).catch((err: unknown) =>
    deps.logger.warn({ runId: state.run.id, item: item.id, err: describeError(err) }, 'checklist message not updated after figures'),
  );
}

import type { BlockAction, ButtonAction, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { buildDrRecordModal } from '../blocks/dr-modal';
import { escapeMrkdwn, mrkdwn } from '../blocks/format';
import { buildNotice, buildRefusal } from '../blocks/help';
import { ActionIds, CallbackIds, parseItemRef } from '../blocks/ids';
import type { Deps } from '../src/deps';
import { describeError, newRef } from '../src/errors';
import { afterDrRecord, recordDrTest } from '../src/dr/tests';
import { DrFields, parseDrInput } from '../src/dr/tests-input';
import { drPairOf, minutesText, targetsFor } from '../src/dr/tests-rules';
import { drRecordRefusal } from '../src/rights';
import { loadRun } from '../src/runs/store';
import type { ListenerRoutes } from '../src/slack/listener-routes';
import { reportError, tellUser } from './respond';

/** "Record DR test" on a DR test's restore item: a modal of its record, validated, then stored with the sign-off. */
export function registerDrRecord(routes: ListenerRoutes, deps: Deps): void {
  routes.action<BlockAction<ButtonAction>>(ActionIds.itemDrRecord, async ({ ack, body, action, client, respond }) => {
    // The modal is opened before waiting for a follow-up turn (a trigger id lives 3 s).
    const turn = ack();
    try {
      const ref = parseItemRef(action.value);
      const state = ref && (await loadRun(deps.db, ref.runId));
      const pair = state && drPairOf(state.run.definition);
      if (!ref || !state || !pair || pair.operator.id !== ref.itemId) {
        await tellUser(deps, respond, buildNotice(mrkdwn`:warning: That item is not a DR test to record.`));
        return;
      }
      const refusal = drRecordRefusal(deps.config, body.user.id, pair.operator.restrictedTo);
      if (refusal) {
        await tellUser(deps, respond, buildRefusal(refusal));
        return;
      }
      const t = targetsFor(deps.config.drTests, state.run.checklistId);
      const targetText = [
        t.rtoMinutes !== null ? `recovery under ${minutesText(t.rtoMinutes)}` : 'no recovery-time target',
        t.rpoMinutes !== null ? `data loss at most ${minutesText(t.rpoMinutes)}` : 'no data-loss target',
      ].join(', ');
      const start = Math.floor((state.run.scheduledFor ?? state.run.createdAt).getTime() / 1000);
      await client.views.open({
        trigger_id: body.trigger_id,
        view: buildDrRecordModal({ runId: state.run.id, itemTitle: pair.operator.title, targetText, initialStart: start }),
      });
      await turn;
    } catch (err) {
      await reportError(deps, err, respond, { action: ActionIds.itemDrRecord, user: body.user.id });
    }
  });

  routes.view<ViewSubmitAction>(CallbackIds.drRecord, (args) => submitDrRecord(deps, args));
}

/** The form submitted: validated, stored with the sign-off before the ack (or refused under the form), then its effects. */
async function submitDrRecord(deps: Deps, { ack, body, view }: SlackViewMiddlewareArgs<ViewSubmitAction>): Promise<void> {
  const userId = body.user.id;
  let meta: { runId?: unknown } = {};
  try {
    meta = JSON.parse(view.private_metadata) as typeof meta;
  } catch {
    // handled below as an out-of-date form
  }
  if (!Number.isSafeInteger(meta.runId) || (meta.runId as number) <= 0) {
    await ack({ response_action: 'errors', errors: { [DrFields.start]: 'This form is out of date; close it and try again.' } });
    return;
  }
  const parsed = parseDrInput(view.state.values as Parameters<typeof parseDrInput>[0], deps.clock.now());
  if (!parsed.ok) {
    await ack({ response_action: 'errors', errors: parsed.errors });
    return;
  }
  // Stored (or refused, with the reason under the form) before the ack: the record is the sign-off.
  let outcome: Awaited<ReturnType<typeof recordDrTest>>;
  try {
    outcome = await recordDrTest(deps, { runId: meta.runId as number, userId: userId, input: parsed.input, requestKey: `view:${view.id}` });
  } catch (err) {
    const ref = newRef();
    deps.logger.error({ ref, err: describeError(err), runId: meta.runId }, 'recording a DR test failed');
    await ack({ response_action: 'errors', errors: { [DrFields.start]: `Nothing was saved (ref ${ref}); please submit again.` } });
    return;
  }
  if (outcome.kind !== 'recorded') {
    const message = outcome.kind === 'refused' ? outcome.message : 'That DR test no longer exists; close this form.';
    await ack({ response_action: 'errors', errors: { [DrFields.start]: message } });
    return;
  }
  await ack();
  const incidentId = await afterDrRecord(deps, outcome);
  if (outcome.result.breached) {
    await deps.slack.chat
      .postMessage({
        channel: userId,
        text: mrkdwn`:rotating_light: Your DR test missed its target${incidentId !== undefined ? mrkdwn`: incident #${incidentId} is open` : mrkdwn``}. ${escapeMrkdwn(
          `Recovery took ${minutesText(outcome.result.recoveryMinutes)}.`,
        )}`,
      })
      .catch(() => undefined);
  }
}

import { escapeMrkdwn, mrkdwn } from '../blocks/format';
import { BlockIds, CallbackIds, InputActionIds } from '../blocks/ids';
import { parseProblemModalMeta, validateNote } from '../blocks/problem-modal';
import type { Deps } from '../src/deps';
import { describeError, newRef } from '../src/errors';
import { signAndRefresh } from './checklist-actions';
import type { ListenerRoutes } from '../src/slack/listener-routes';

/** The note modal of Problem (and of Done on a failed probe): field errors stay in the modal. */
export function registerProblemView(routes: ListenerRoutes, deps: Deps): void {
  routes.view(CallbackIds.problemNote, async ({ ack, body, view }) => {
    const meta = parseProblemModalMeta(view.private_metadata);
    const noteCheck = validateNote(view.state?.values?.[BlockIds.noteInput]?.[InputActionIds.note]?.value);
    if (!meta) {
      await ack({ response_action: 'errors', errors: { [BlockIds.noteInput]: 'This form is out of date; close it and click the button again.' } });
      return;
    }
    if (!noteCheck.ok) {
      await ack({ response_action: 'errors', errors: { [BlockIds.noteInput]: noteCheck.error } });
      return;
    }
    await ack();
    try {
      const refused = await signAndRefresh(deps, {
        runId: meta.runId,
        itemId: meta.itemId,
        status: meta.status,
        userId: body.user.id,
        note: noteCheck.note,
        // One modal is one submission: a retried or double submit of it records once.
        requestKey: `view:${view.id}`,
      });
      if (refused) {
        await deps.slack.chat.postEphemeral({ channel: body.user.id, user: body.user.id, text: mrkdwn`:warning: ${escapeMrkdwn(refused)}` }).catch(() => undefined);
      }
    } catch (err) {
      const ref = newRef();
      deps.logger.error({ ref, err: describeError(err), runId: meta.runId, item: meta.itemId }, 'note submission failed');
      await deps.slack.chat
        .postMessage({ channel: body.user.id, text: mrkdwn`:x: Your note on ${escapeMrkdwn(meta.itemId)} could not be saved (ref \`${escapeMrkdwn(ref)}\`). Please try again.` })
        .catch(() => undefined);
    }
  });
}

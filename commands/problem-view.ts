import { escapeMrkdwn, mrkdwn } from '../blocks/format';
import { BlockIds, CallbackIds, InputActionIds } from '../blocks/ids';
import { parseProblemModalMeta, validateNote } from '../blocks/problem-modal';
import type { Deps } from '../src/deps';
import { describeError, newRef } from '../src/errors';
import { loadSignOff, signAndRefresh } from '../src/runs/sign-off';
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
      // Checked again at submit: the run and item come from the form's metadata, not from a click.
      const loaded = await loadSignOff(deps, meta.runId, meta.itemId, body.user.id);
      const refused =
        loaded.kind === 'ok'
          ? await signAndRefresh(deps, loaded.signOff, {
              status: meta.status,
              note: noteCheck.note,
              // One modal is one submission: a retried or double submit of it records once.
              requestKey: `view:${view.id}`,
            })
          : loaded.message;
      if (refused) {
        await deps.slack.chat
          .postEphemeral({ channel: body.user.id, user: body.user.id, text: mrkdwn`:warning: ${escapeMrkdwn(refused)}` })
          .catch(() => undefined);
      }
    } catch (err) {
      const ref = newRef();
      deps.logger.error({ ref, err: describeError(err), runId: meta.runId, item: meta.itemId }, 'note submission failed');
      await deps.slack.chat
        .postMessage({
          channel: body.user.id,
          text: mrkdwn`:x: Your note on ${escapeMrkdwn(meta.itemId)} could not be saved (ref \`${escapeMrkdwn(ref)}\`). Please try again.`,
        })
        .catch(() => undefined);
    }
  });
}

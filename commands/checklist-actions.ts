import { escapeMrkdwn, mrkdwn, type Mrkdwn } from '../blocks/format';
import type { BlockAction, ButtonAction, RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { buildNotice, buildRefusal } from '../blocks/help';
import { ActionIds, parseItemRef } from '../blocks/ids';
import { buildProblemModal } from '../blocks/problem-modal';
import type { Deps } from '../src/deps';
import { loadSignOff, needsProbeNote, signAndRefresh, type ItemStatus, type SignOff } from '../src/runs/sign-off';
import { reportError, tellUser } from './respond';
import type { ListenerRoutes } from '../src/slack/listener-routes';

async function openNoteModal(client: WebClient, triggerId: string, signOff: SignOff, status: ItemStatus, reason?: Mrkdwn) {
  await client.views.open({
    trigger_id: triggerId,
    view: buildProblemModal({
      runId: signOff.state.run.id,
      itemId: signOff.itemDef.id,
      itemTitle: signOff.itemDef.title,
      status,
      ...(reason ? { reason } : {}),
    }),
  });
}

/** `turn`: the ack's wait for a follow-up turn; a Problem click opens its modal before it (a trigger id lives 3 s). */
async function handleItemClick(
  deps: Deps,
  status: ItemStatus,
  body: BlockAction,
  action: ButtonAction,
  client: WebClient,
  respond: RespondFn,
  turn: Promise<void>,
) {
  if (status !== 'problem') await turn;
  const ref = parseItemRef(action.value);
  if (!ref) {
    await tellUser(deps, respond, buildNotice(mrkdwn`:warning: That button is not one of mine any more; run the checklist again.`));
    return;
  }
  const loaded = await loadSignOff(deps, ref.runId, ref.itemId, body.user.id);
  if (loaded.kind !== 'ok') {
    await tellUser(deps, respond, loaded.kind === 'refused' ? buildRefusal(loaded.message) : buildNotice(mrkdwn`:warning: ${escapeMrkdwn(loaded.message)}`));
    return;
  }
  const { signOff } = loaded;
  if (status === 'problem') {
    await openNoteModal(client, body.trigger_id, signOff, 'problem');
    return;
  }
  // A new status on a failed probe asks for the note in a modal rather than refusing the click.
  if (needsProbeNote(signOff, status) && signOff.item.status !== status) {
    const probe = escapeMrkdwn(signOff.itemDef.probe ?? '');
    await openNoteModal(
      client,
      body.trigger_id,
      signOff,
      status,
      status === 'done'
        ? mrkdwn`The \`${probe}\` probe failed: say why this is fine.`
        : mrkdwn`The \`${probe}\` probe failed: say why this check does not apply.`,
    );
    return;
  }
  const refused = await signAndRefresh(deps, signOff, { status, requestKey: `action:${action.action_ts}:${body.user.id}` });
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

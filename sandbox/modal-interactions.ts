import { actionFields, deliver, failure, newTrigger, type InteractionResult } from './delivery';
import { viewBlockAction, viewClosed, viewSubmission, type SentResponse, type ViewValue } from './payloads';
import { slackViewProblems } from './slack-limits';
import type { ModalView, SlackWorkspace } from './slack-workspace';

/** What a person does in a modal or the Home tab, delivered to the bot as Slack would. */
function topView(ws: SlackWorkspace, user: string, viewId: string): { stack: ModalView[]; top: ModalView } | undefined {
  const stack = ws.modals.get(user);
  const top = stack?.at(-1);
  return stack && top && top.id === viewId ? { stack, top } : undefined;
}

function popView(ws: SlackWorkspace, user: string, stack: ModalView[]): void {
  stack.pop();
  if (stack.length === 0) ws.modals.delete(user);
}

/** A person submits the modal on top of their stack; the bot's ack decides what happens next. */
export async function submitView(
  ws: SlackWorkspace,
  i: { user: string; viewId: string; values: Record<string, Record<string, ViewValue>> },
): Promise<InteractionResult> {
  const open = topView(ws, i.user, i.viewId);
  if (!open) return { ok: false, error: 'view_not_found' };
  const { stack, top } = open;
  try {
    const res = await deliver(
      ws,
      viewSubmission({
        callbackId: top.view.callback_id ?? '',
        privateMetadata: top.view.private_metadata ?? '',
        values: i.values,
        userId: i.user,
        userName: ws.users.get(i.user)?.name ?? i.user.toLowerCase(),
        viewId: top.id,
        view: { ...top.view },
      }),
    );
    const failed = failure(res);
    if (failed) {
      top.errors = { '': `We had some trouble connecting (${failed}). Try again?` };
      return { ok: false, error: failed };
    }
    const ack = (res as SentResponse).json as { response_action?: string; errors?: Record<string, string>; view?: any } | null;
    switch (ack?.response_action) {
      case 'errors':
        top.errors = ack.errors ?? {};
        return { ok: false, error: 'validation', errors: top.errors };
      case 'update':
      case 'push': {
        const p = slackViewProblems(ack.view, 'modal');
        if (p) ws.problems.push(`view_submission ${ack.response_action}: ${p}`);
        const next: ModalView = { id: ack.response_action === 'update' ? top.id : ws.nextId('V'), view: ack.view, ...(p ? { problems: p } : {}) };
        ws.views.set(next.id, ack.view);
        if (ack.response_action === 'update') stack[stack.length - 1] = next;
        else stack.push(next);
        return { ok: true };
      }
      case 'clear':
        ws.modals.delete(i.user);
        return { ok: true };
      default:
        popView(ws, i.user, stack);
        return { ok: true };
    }
  } finally {
    ws.changed();
  }
}

/** A person closes (cancels) the modal on top; the bot hears of it only if it asked to. */
export async function closeView(ws: SlackWorkspace, i: { user: string; viewId: string }): Promise<InteractionResult> {
  const open = topView(ws, i.user, i.viewId);
  if (!open) return { ok: false, error: 'view_not_found' };
  popView(ws, i.user, open.stack);
  ws.changed();
  if (open.top.view.notify_on_close) {
    await deliver(
      ws,
      viewClosed({ callbackId: open.top.view.callback_id ?? '', privateMetadata: open.top.view.private_metadata ?? '', userId: i.user, viewId: open.top.id }),
    );
  }
  return { ok: true };
}

/** Finds an element of a modal or Home tab by block index and action_id. */
function elementOf(view: any, blockIndex: number, actionId: string): { block: any; element: any } | undefined {
  const block = view?.blocks?.[blockIndex];
  const element = [...(block?.elements ?? []), ...(block?.accessory ? [block.accessory] : []), ...(block?.element ? [block.element] : [])].find(
    (e: any) => e?.action_id === actionId,
  );
  return element ? { block, element } : undefined;
}

export interface ViewClickInput {
  user: string;
  surface: 'modal' | 'home';
  blockIndex: number;
  actionId: string;
  selected?: string;
  /** The modal's inputs as typed so far (Slack sends them with every click). */
  values?: Record<string, Record<string, ViewValue>>;
}

/** A click on a button, select or overflow inside the open modal or the Home tab. */
export async function clickViewAction(ws: SlackWorkspace, i: ViewClickInput): Promise<InteractionResult> {
  const target = i.surface === 'home' ? ws.homes.get(i.user) : ws.modals.get(i.user)?.at(-1);
  const found = target && elementOf(target.view, i.blockIndex, i.actionId);
  if (!target || !found) return { ok: false, error: 'element_not_found' };
  const { block, element } = found;
  const fields = actionFields(ws, i.user, block, element, i.blockIndex, i.selected);
  if (!fields) return { ok: false, error: 'option_not_found' };
  const res = await deliver(
    ws,
    viewBlockAction({
      ...fields,
      triggerId: newTrigger(ws, i.user),
      view: { ...target.view, id: target.id },
      ...(i.values ? { values: i.values } : {}),
    }),
  );
  ws.changed();
  const failed = failure(res);
  return failed ? { ok: false, error: failed } : { ok: true };
}

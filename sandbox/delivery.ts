import { randomBytes } from 'node:crypto';
import { postSigned, postSignedJson, type SentResponse } from './payloads';
import type { ResponseContext, SlackWorkspace } from './slack-workspace';

/** How the workspace reaches the bot: signed requests, Slack's timeout, triggers and response URLs. */
export interface InteractionResult {
  ok: boolean;
  error?: string;
  errors?: Record<string, string>;
}

/** Slack gives up on a request after 3 seconds. */
const SLACK_TIMEOUT_MS = 3000;

export async function deliver(ws: SlackWorkspace, body: Record<string, string> | { json: unknown }): Promise<SentResponse | { status: 0; error: string }> {
  if (!ws.bot) return { status: 0, error: 'not_connected' };
  const opts = { secret: ws.bot.signingSecret, timeoutMs: SLACK_TIMEOUT_MS };
  try {
    return 'json' in body ? await postSignedJson(ws.bot.url, body.json, opts) : await postSigned(ws.bot.url, body as Record<string, string>, opts);
  } catch (err) {
    return { status: 0, error: (err as Error).name === 'TimeoutError' ? 'operation_timeout' : 'dispatch_failed' };
  }
}

export function failure(res: SentResponse | { status: 0; error: string }): string | null {
  if ('error' in res) return res.error;
  return res.status === 200 ? null : `http_${res.status}`;
}

export function newTrigger(ws: SlackWorkspace, user: string): string {
  const id = `${Date.now()}.${ws.nextId('')}.${randomBytes(8).toString('hex')}`;
  ws.triggers.set(id, user);
  return id;
}

export function newResponseUrl(ws: SlackWorkspace, ctx: ResponseContext): { id: string; url: string } {
  const id = ws.nextId('R') + randomBytes(4).toString('hex');
  ws.responseContexts.set(id, ctx);
  return { id, url: ws.responseUrl(id) };
}

export function slackbotSays(ws: SlackWorkspace, user: string, channel: string, text: string): void {
  ws.ephemerals.push({ ts: ws.nextTs(), channel, text, user: 'USLACKBOT', target: user });
}

/**
 * What a click on `element` sends, shared by messages, modals and the Home tab: the action's
 * ids, the button's value or the chosen option, and who clicked. Null when the option is unknown.
 */
export function actionFields(ws: SlackWorkspace, user: string, block: { block_id?: string }, element: any, blockIndex: number, selected?: string) {
  const option = selected !== undefined ? (element.options as any[] | undefined)?.find((o) => o.value === selected) : undefined;
  if (element.type !== 'button' && !option) return null;
  return {
    actionId: element.action_id as string,
    blockId: block.block_id ?? `b${blockIndex}`,
    elementType: element.type as 'button' | 'overflow' | 'static_select',
    ...(element.type === 'button'
      ? { value: element.value as string, elementText: element.text?.text as string }
      : { selectedOption: { text: option.text.text as string, value: option.value as string } }),
    userId: user,
    userName: ws.users.get(user)?.name ?? user.toLowerCase(),
  };
}

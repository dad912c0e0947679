import { randomBytes } from 'node:crypto';
import { modalProblems } from '../../blocks/limits';
import { appHomeOpened, blockAction, postSigned, postSignedJson, slashCommand, viewClosed, viewSubmission, type SentResponse, type ViewValue } from './payloads';
import { applyResponse, type ResponseBody } from './responses';
import type { ModalView, ResponseContext, SlackWorkspace, StoredMessage } from './slack-workspace';

/**
 * What a person does in the workspace (a slash command, a click, a modal submit), delivered to
 * the bot as the signed request Slack would send, with the bot's answer applied the way Slack
 * applies it.
 */
export interface InteractionResult {
  ok: boolean;
  error?: string;
  errors?: Record<string, string>;
}

/** The slash commands manifest.yml declares; Slack refuses others before the bot sees them. */
export const KNOWN_COMMANDS = ['/ops', '/incident'] as const;

/** Slack gives up on a request after 3 seconds. */
const SLACK_TIMEOUT_MS = 3000;

async function deliver(ws: SlackWorkspace, body: Record<string, string> | { json: unknown }): Promise<SentResponse | { status: 0; error: string }> {
  if (!ws.bot) return { status: 0, error: 'not_connected' };
  const opts = { secret: ws.bot.signingSecret, timeoutMs: SLACK_TIMEOUT_MS };
  try {
    return 'json' in body ? await postSignedJson(ws.bot.url, body.json, opts) : await postSigned(ws.bot.url, body as Record<string, string>, opts);
  } catch (err) {
    return { status: 0, error: (err as Error).name === 'TimeoutError' ? 'operation_timeout' : 'dispatch_failed' };
  }
}

function failure(res: SentResponse | { status: 0; error: string }): string | null {
  if ('error' in res) return res.error;
  return res.status === 200 ? null : `http_${res.status}`;
}

function newTrigger(ws: SlackWorkspace, user: string): string {
  const id = `${Date.now()}.${ws.nextId('')}.${randomBytes(8).toString('hex')}`;
  ws.triggers.set(id, user);
  return id;
}

function newResponseUrl(ws: SlackWorkspace, ctx: ResponseContext): { id: string; url: string } {
  const id = ws.nextId('R') + randomBytes(4).toString('hex');
  ws.responseContexts.set(id, ctx);
  return { id, url: ws.responseUrl(id) };
}

function slackbotSays(ws: SlackWorkspace, user: string, channel: string, text: string): void {
  ws.ephemerals.push({ ts: ws.nextTs(), channel, text, user: 'USLACKBOT', target: user });
}

/** A person types `/ops morning` in a channel. */
export async function sendCommand(ws: SlackWorkspace, i: { user: string; channel: string; text: string }): Promise<InteractionResult> {
  const channel = ws.channelId(i.channel);
  const m = /^(\/[\w-]+)\s*([\s\S]*)$/.exec(i.text.trim());
  try {
    if (!m || !(KNOWN_COMMANDS as readonly string[]).includes(m[1]!.toLowerCase())) {
      slackbotSays(ws, i.user, channel, `\`${m?.[1] ?? i.text}\` is not a valid command. In Slack, all messages that start with the "/" character are interpreted as commands.`);
      return { ok: false, error: 'unknown_command' };
    }
    const command = m[1]!.toLowerCase();
    const response = newResponseUrl(ws, { user: i.user, channel });
    const res = await deliver(
      ws,
      slashCommand({
        command,
        text: m[2]!,
        userId: i.user,
        userName: ws.users.get(i.user)?.name ?? i.user.toLowerCase(),
        channelId: channel,
        channelName: ws.channels.get(channel)?.kind === 'im' ? 'directmessage' : (ws.channels.get(channel)?.name ?? channel),
        triggerId: newTrigger(ws, i.user),
        responseUrl: response.url,
      }),
    );
    const failed = failure(res);
    if (failed) {
      slackbotSays(ws, i.user, channel, `\`${command}\` failed with the error "${failed === 'operation_timeout' ? failed : 'dispatch_failed'}"`);
      return { ok: false, error: failed };
    }
    const reply = res as SentResponse;
    if (reply.json && typeof reply.json === 'object') applyResponse(ws, response.id, reply.json as ResponseBody);
    else if (reply.text) applyResponse(ws, response.id, { text: reply.text });
    return { ok: true };
  } finally {
    ws.changed();
  }
}

export interface ClickInput {
  user: string;
  channel: string;
  ts: string;
  /** Index of the block in the message (block_id may be absent, as Slack allows). */
  blockIndex: number;
  actionId: string;
  /** For a select or overflow: the chosen option's value. */
  selected?: string;
  ephemeral?: boolean;
}

function findElement(msg: StoredMessage, blockIndex: number, actionId: string): { block: any; element: any } | undefined {
  const block = msg.blocks?.[blockIndex];
  if (!block) return undefined;
  const candidates = [...(block.elements ?? []), ...(block.accessory ? [block.accessory] : [])];
  const element = candidates.find((e: any) => e?.action_id === actionId);
  return element ? { block, element } : undefined;
}

/** A person clicks a button (or picks from a select or overflow menu) on a message. */
export async function clickAction(ws: SlackWorkspace, i: ClickInput): Promise<InteractionResult> {
  const list: StoredMessage[] = i.ephemeral ? ws.ephemerals.filter((e) => e.target === i.user) : ws.messages;
  const msg = list.find((m) => m.channel === i.channel && m.ts === i.ts);
  const found = msg && findElement(msg, i.blockIndex, i.actionId);
  if (!msg || !found) return { ok: false, error: 'element_not_found' };
  const { block, element } = found;
  const option = i.selected !== undefined ? (element.options as any[] | undefined)?.find((o) => o.value === i.selected) : undefined;
  if (element.type !== 'button' && !option) return { ok: false, error: 'option_not_found' };
  const response = newResponseUrl(ws, { user: i.user, channel: msg.channel, messageTs: msg.ts, ephemeral: i.ephemeral === true, ...(msg.thread_ts ? { threadTs: msg.thread_ts } : {}) });
  try {
    const res = await deliver(
      ws,
      blockAction({
        actionId: element.action_id,
        blockId: block.block_id ?? `b${i.blockIndex}`,
        elementType: element.type,
        ...(element.type === 'button' ? { value: element.value, elementText: element.text?.text } : { selectedOption: { text: option.text.text, value: option.value } }),
        userId: i.user,
        userName: ws.users.get(i.user)?.name ?? i.user.toLowerCase(),
        channelId: msg.channel,
        channelName: ws.channels.get(msg.channel)?.name ?? msg.channel,
        messageTs: msg.ts,
        message: { text: msg.text, user: msg.user, ...(msg.blocks ? { blocks: msg.blocks } : {}), ...(msg.thread_ts ? { thread_ts: msg.thread_ts } : {}) },
        isEphemeral: i.ephemeral === true,
        triggerId: newTrigger(ws, i.user),
        responseUrl: response.url,
      }),
    );
    const failed = failure(res);
    if (failed) {
      slackbotSays(ws, i.user, msg.channel, `:warning: DrainPro Ops did not answer that click (${failed}).`);
      return { ok: false, error: failed };
    }
    return { ok: true };
  } finally {
    ws.changed();
  }
}

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
export async function submitView(ws: SlackWorkspace, i: { user: string; viewId: string; values: Record<string, Record<string, ViewValue>> }): Promise<InteractionResult> {
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
        const p = modalProblems(ack.view);
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
    await deliver(ws, viewClosed({ callbackId: open.top.view.callback_id ?? '', privateMetadata: open.top.view.private_metadata ?? '', userId: i.user, viewId: open.top.id }));
  }
  return { ok: true };
}

/** A person opens the app's Home tab: Slack sends `app_home_opened`. */
export async function openHome(ws: SlackWorkspace, user: string): Promise<InteractionResult> {
  const res = await deliver(ws, { json: appHomeOpened(user, ws.channelId(user)) });
  const failed = failure(res);
  return failed ? { ok: false, error: failed } : { ok: true };
}

/** A plain message from a person (the bot subscribes to no message events, so it stays local). */
export function postUserMessage(ws: SlackWorkspace, i: { user: string; channel: string; text: string; threadTs?: string }): InteractionResult {
  ws.messages.push({ ts: ws.nextTs(), channel: ws.channelId(i.channel), text: i.text, user: i.user, ...(i.threadTs ? { thread_ts: i.threadTs } : {}) });
  ws.changed();
  return { ok: true };
}

export function dismissEphemeral(ws: SlackWorkspace, i: { user: string; ts: string }): InteractionResult {
  const idx = ws.ephemerals.findIndex((e) => e.target === i.user && e.ts === i.ts);
  if (idx >= 0) ws.ephemerals.splice(idx, 1);
  ws.changed();
  return { ok: idx >= 0 };
}

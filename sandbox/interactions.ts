import { actionFields, deliver, failure, newResponseUrl, newTrigger, slackbotSays, type InteractionResult } from './delivery';
import { appHomeOpened, blockAction, slashCommand, type SentResponse } from './payloads';
import { applyResponse, type ResponseBody } from './responses';
import type { SlackWorkspace, StoredMessage } from './slack-workspace';

export type { InteractionResult } from './delivery';

/**
 * What a person does in channels (a slash command, a click on a message, a plain message),
 * delivered to the bot as the signed request Slack would send, with the bot's answer applied the
 * way Slack applies it. Modals and the Home tab: modal-interactions.ts.
 */

/** A person types `/ops morning` in a channel. */
export async function sendCommand(ws: SlackWorkspace, i: { user: string; channel: string; text: string }): Promise<InteractionResult> {
  const channel = ws.channelId(i.channel);
  const m = /^(\/[\w-]+)\s*([\s\S]*)$/.exec(i.text.trim());
  try {
    if (!m || !ws.commands.includes(m[1]!.toLowerCase())) {
      slackbotSays(
        ws,
        i.user,
        channel,
        `\`${m?.[1] ?? i.text}\` is not a valid command. In Slack, all messages that start with the "/" character are interpreted as commands.`,
      );
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
  const fields = actionFields(ws, i.user, block, element, i.blockIndex, i.selected);
  if (!fields) return { ok: false, error: 'option_not_found' };
  const response = newResponseUrl(ws, {
    user: i.user,
    channel: msg.channel,
    messageTs: msg.ts,
    ephemeral: i.ephemeral === true,
    ...(msg.thread_ts ? { threadTs: msg.thread_ts } : {}),
  });
  try {
    const res = await deliver(
      ws,
      blockAction({
        ...fields,
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

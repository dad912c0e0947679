import { randomUUID } from 'node:crypto';
import { stringify } from 'node:querystring';
import { signSlackRequest } from '../src/slack/verify';

/**
 * Request bodies shaped exactly like the ones Slack sends to a bot, and the signed POST that
 * delivers them. The sandbox and the tests both use these, so both exercise the bot's real
 * receiver and listeners.
 */
export const TEAM = { id: 'T0DRAIN', domain: 'drainpro' } as const;
export const APP_ID = 'A0DRAINPRO';

export interface SentResponse {
  status: number;
  text: string;
  json: any;
  ms: number;
}

export interface SendOptions {
  secret: string;
  /** Seconds to add to the signature timestamp (negative: in the past). */
  skewSeconds?: number;
  /** Send without signature headers. */
  unsigned?: boolean;
  /** Sign one body but send another (a tampered request). */
  tamper?: (body: string) => string;
  headers?: Record<string, string>;
  /** Give up after this long, as Slack does after 3 s. */
  timeoutMs?: number;
}

async function send(baseUrl: string, body: string, contentType: string, opts: SendOptions): Promise<SentResponse> {
  const ts = Math.floor(Date.now() / 1000) + (opts.skewSeconds ?? 0);
  const sig = opts.unsigned ? {} : signSlackRequest(opts.secret, body, ts);
  const started = performance.now();
  const res = await fetch(`${baseUrl}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': contentType, ...sig, ...opts.headers },
    body: opts.tamper ? opts.tamper(body) : body,
    ...(opts.timeoutMs ? { signal: AbortSignal.timeout(opts.timeoutMs) } : {}),
  });
  const text = await res.text();
  let json: any = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: res.status, text, json, ms: performance.now() - started };
}

/** Posts a form-encoded body to the bot exactly as Slack would, signed with the signing secret. */
export function postSigned(baseUrl: string, form: Record<string, string>, opts: SendOptions): Promise<SentResponse> {
  return send(baseUrl, stringify(form), 'application/x-www-form-urlencoded', opts);
}

/** Posts a JSON body (the Events API) signed as Slack would. */
export function postSignedJson(baseUrl: string, body: unknown, opts: SendOptions): Promise<SentResponse> {
  return send(baseUrl, JSON.stringify(body), 'application/json', opts);
}

export interface SlashInput {
  command: string;
  text?: string;
  userId?: string;
  userName?: string;
  channelId?: string;
  channelName?: string;
  triggerId?: string;
  responseUrl: string;
}

export function slashCommand(i: SlashInput): Record<string, string> {
  return {
    token: 'legacy-verification-token',
    team_id: TEAM.id,
    team_domain: TEAM.domain,
    channel_id: i.channelId ?? 'COPS',
    channel_name: i.channelName ?? 'ops',
    user_id: i.userId ?? 'UALICE',
    user_name: i.userName ?? 'alice',
    command: i.command,
    text: i.text ?? '',
    api_app_id: APP_ID,
    is_enterprise_install: 'false',
    response_url: i.responseUrl,
    trigger_id: i.triggerId ?? `trigger-${randomUUID()}`,
  };
}

export interface ActionInput {
  actionId: string;
  value?: string;
  blockId?: string;
  /** The element's type; a select or overflow carries `selectedOption` instead of `value`. */
  elementType?: 'button' | 'static_select' | 'overflow';
  elementText?: string;
  selectedOption?: { text: string; value: string };
  userId?: string;
  userName?: string;
  channelId: string;
  channelName?: string;
  messageTs: string;
  /** The message as Slack sends it back (text and blocks); tests may leave it out. */
  message?: { text: string; blocks?: unknown[]; user?: string; thread_ts?: string };
  isEphemeral?: boolean;
  actionTs?: string;
  triggerId?: string;
  responseUrl: string;
}

function userOf(id: string, name?: string) {
  const n = name ?? id.toLowerCase();
  return { id, username: n, name: n, team_id: TEAM.id };
}

function actionOf(i: Pick<ActionInput, 'actionId' | 'value' | 'blockId' | 'elementType' | 'elementText' | 'selectedOption' | 'actionTs'>) {
  const type = i.elementType ?? 'button';
  const option = i.selectedOption && { text: { type: 'plain_text', text: i.selectedOption.text }, value: i.selectedOption.value };
  return {
    action_id: i.actionId,
    block_id: i.blockId ?? 'b',
    ...(type === 'button'
      ? { type, text: { type: 'plain_text', text: i.elementText ?? 'button' }, value: i.value }
      : { type, selected_option: option ?? { text: { type: 'plain_text', text: i.value ?? '' }, value: i.value ?? '' } }),
    action_ts: i.actionTs ?? `${Date.now() / 1000}${Math.random().toString().slice(2, 6)}`,
  };
}

/** What every block_actions payload carries, whatever surface the click was on. */
function actionEnvelope(i: Pick<ActionInput, 'userId' | 'userName' | 'triggerId'>, container: Record<string, unknown>) {
  return {
    type: 'block_actions',
    user: userOf(i.userId ?? 'UALICE', i.userName),
    api_app_id: APP_ID,
    token: 'legacy-verification-token',
    container,
    trigger_id: i.triggerId ?? `trigger-${randomUUID()}`,
    team: { ...TEAM },
    enterprise: null,
    is_enterprise_install: false,
  };
}

export function blockAction(i: ActionInput): Record<string, string> {
  const payload = {
    ...actionEnvelope(i, { type: 'message', message_ts: i.messageTs, channel_id: i.channelId, is_ephemeral: i.isEphemeral ?? false }),
    channel: { id: i.channelId, name: i.channelName ?? 'ops' },
    // Slack leaves the message out of actions on ephemeral messages.
    ...(i.isEphemeral ? {} : { message: { type: 'message', ts: i.messageTs, text: '', ...i.message } }),
    state: { values: {} },
    response_url: i.responseUrl,
    actions: [actionOf(i)],
  };
  return { payload: JSON.stringify(payload) };
}

export type ViewActionInput = Omit<ActionInput, 'channelId' | 'channelName' | 'messageTs' | 'message' | 'isEphemeral' | 'responseUrl'> & {
  /** The modal or Home tab as opened, with its id; its inputs' current values go in `state`. */
  view: Record<string, unknown> & { id: string };
  values?: Record<string, Record<string, ViewValue>>;
};

/** A click inside a modal or the Home tab: Slack sends the view instead of a message, and no response_url. */
export function viewBlockAction(i: ViewActionInput): Record<string, string> {
  const payload = {
    ...actionEnvelope(i, { type: 'view', view_id: i.view.id }),
    view: { team_id: TEAM.id, hash: `h${i.view.id}`, ...i.view, state: { values: i.values ?? {} } },
    actions: [actionOf(i)],
  };
  return { payload: JSON.stringify(payload) };
}

export type ViewValue = { type: string; value?: string | null; selected_option?: { value: string; text?: unknown } | null };

export interface ViewInput {
  callbackId: string;
  privateMetadata: string;
  values: Record<string, Record<string, ViewValue>>;
  userId?: string;
  userName?: string;
  viewId?: string;
  /** The rest of the view as opened (blocks, title, hash…); tests may leave it out. */
  view?: Record<string, unknown>;
}

export function viewSubmission(i: ViewInput): Record<string, string> {
  const user = i.userId ?? 'UALICE';
  const payload = {
    type: 'view_submission',
    team: { ...TEAM },
    user: userOf(user, i.userName),
    api_app_id: APP_ID,
    token: 'legacy-verification-token',
    trigger_id: `trigger-${randomUUID()}`,
    view: {
      blocks: [],
      title: { type: 'plain_text', text: 'x' },
      ...i.view,
      id: i.viewId ?? `V${randomUUID().slice(0, 8).toUpperCase()}`,
      team_id: TEAM.id,
      type: 'modal',
      callback_id: i.callbackId,
      private_metadata: i.privateMetadata,
      state: { values: i.values },
      hash: 'h',
    },
    response_urls: [],
  };
  return { payload: JSON.stringify(payload) };
}

export function viewClosed(i: { callbackId: string; privateMetadata: string; userId: string; viewId: string }): Record<string, string> {
  const payload = {
    type: 'view_closed',
    team: { ...TEAM },
    user: userOf(i.userId),
    api_app_id: APP_ID,
    view: { id: i.viewId, type: 'modal', callback_id: i.callbackId, private_metadata: i.privateMetadata },
    is_cleared: false,
  };
  return { payload: JSON.stringify(payload) };
}

export interface MessageShortcutInput {
  callbackId: string;
  userId?: string;
  channelId: string;
  /** The message the shortcut was used on, as Slack sends it (text entity-encoded). */
  message: { ts: string; text: string; user?: string };
  triggerId?: string;
  responseUrl: string;
}

/** A message shortcut (`message_action`): the message it was used on, a trigger id and a response_url. */
export function messageShortcut(i: MessageShortcutInput): Record<string, string> {
  const payload = {
    type: 'message_action',
    token: 'legacy-verification-token',
    action_ts: `${Date.now() / 1000}`,
    team: { ...TEAM },
    user: userOf(i.userId ?? 'UALICE'),
    channel: { id: i.channelId, name: 'ops' },
    is_enterprise_install: false,
    enterprise: null,
    callback_id: i.callbackId,
    trigger_id: i.triggerId ?? `trigger-${randomUUID()}`,
    response_url: i.responseUrl,
    message_ts: i.message.ts,
    message: { type: 'message', user: i.message.user ?? 'UALICE', ts: i.message.ts, text: i.message.text },
  };
  return { payload: JSON.stringify(payload) };
}

/** The Events API envelope of `app_home_opened`. */
export function appHomeOpened(userId: string, channelId: string): Record<string, unknown> {
  return {
    token: 'legacy-verification-token',
    team_id: TEAM.id,
    api_app_id: APP_ID,
    type: 'event_callback',
    event_id: `Ev${randomUUID().slice(0, 10).toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
    event: { type: 'app_home_opened', user: userId, channel: channelId, tab: 'home', event_ts: `${Date.now() / 1000}` },
  };
}

import { randomUUID } from 'node:crypto';
import { stringify } from 'node:querystring';
import { signSlackRequest } from '../../src/slack/verify';

export const SIGNING_SECRET = 'test-signing-secret-0123456789';
export const BOT_TOKEN = 'xoxb-test-token';

export interface SentResponse {
  status: number;
  text: string;
  json: any;
  ms: number;
}

export interface SendOptions {
  secret?: string;
  /** Seconds to add to the signature timestamp (negative: in the past). */
  skewSeconds?: number;
  /** Send without signature headers. */
  unsigned?: boolean;
  /** Sign one body but send another (a tampered request). */
  tamper?: (body: string) => string;
  headers?: Record<string, string>;
}

/** Posts a form-encoded body to the bot exactly as Slack would, signed with the signing secret. */
export async function postSigned(baseUrl: string, form: Record<string, string>, opts: SendOptions = {}): Promise<SentResponse> {
  const body = stringify(form);
  const ts = Math.floor(Date.now() / 1000) + (opts.skewSeconds ?? 0);
  const sig = opts.unsigned ? {} : signSlackRequest(opts.secret ?? SIGNING_SECRET, body, ts);
  const started = performance.now();
  const res = await fetch(`${baseUrl}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...sig, ...opts.headers },
    body: opts.tamper ? opts.tamper(body) : body,
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

export interface SlashInput {
  command: string;
  text?: string;
  userId?: string;
  channelId?: string;
  triggerId?: string;
  responseUrl: string;
}

export function slashCommand(i: SlashInput): Record<string, string> {
  return {
    token: 'legacy-verification-token',
    team_id: 'T0DRAIN',
    team_domain: 'drainpro',
    channel_id: i.channelId ?? 'COPS',
    channel_name: 'ops',
    user_id: i.userId ?? 'UALICE',
    user_name: 'alice',
    command: i.command,
    text: i.text ?? '',
    api_app_id: 'A0DRAINPRO',
    is_enterprise_install: 'false',
    response_url: i.responseUrl,
    trigger_id: i.triggerId ?? `trigger-${randomUUID()}`,
  };
}

export interface ActionInput {
  actionId: string;
  value: string;
  blockId?: string;
  userId?: string;
  channelId: string;
  messageTs: string;
  actionTs?: string;
  triggerId?: string;
  responseUrl: string;
}

export function blockAction(i: ActionInput): Record<string, string> {
  const user = i.userId ?? 'UALICE';
  const payload = {
    type: 'block_actions',
    user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: 'T0DRAIN' },
    api_app_id: 'A0DRAINPRO',
    token: 'legacy-verification-token',
    container: { type: 'message', message_ts: i.messageTs, channel_id: i.channelId, is_ephemeral: false },
    trigger_id: i.triggerId ?? `trigger-${randomUUID()}`,
    team: { id: 'T0DRAIN', domain: 'drainpro' },
    channel: { id: i.channelId, name: 'ops' },
    message: { type: 'message', ts: i.messageTs, text: '' },
    response_url: i.responseUrl,
    actions: [
      {
        action_id: i.actionId,
        block_id: i.blockId ?? 'b',
        text: { type: 'plain_text', text: 'button' },
        value: i.value,
        type: 'button',
        action_ts: i.actionTs ?? `${Date.now() / 1000}${Math.random().toString().slice(2, 6)}`,
      },
    ],
  };
  return { payload: JSON.stringify(payload) };
}

export interface ViewInput {
  callbackId: string;
  privateMetadata: string;
  values: Record<string, Record<string, { type: string; value?: string | null; selected_option?: { value: string } | null }>>;
  userId?: string;
  viewId?: string;
}

export function viewSubmission(i: ViewInput): Record<string, string> {
  const user = i.userId ?? 'UALICE';
  const payload = {
    type: 'view_submission',
    team: { id: 'T0DRAIN', domain: 'drainpro' },
    user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: 'T0DRAIN' },
    api_app_id: 'A0DRAINPRO',
    token: 'legacy-verification-token',
    trigger_id: `trigger-${randomUUID()}`,
    view: {
      id: i.viewId ?? `V${randomUUID().slice(0, 8).toUpperCase()}`,
      team_id: 'T0DRAIN',
      type: 'modal',
      callback_id: i.callbackId,
      private_metadata: i.privateMetadata,
      state: { values: i.values },
      hash: 'h',
      blocks: [],
      title: { type: 'plain_text', text: 'x' },
    },
    response_urls: [],
  };
  return { payload: JSON.stringify(payload) };
}

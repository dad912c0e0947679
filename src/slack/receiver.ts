import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQs } from 'node:querystring';
import { readBody, sendJson, sendText } from '../http/server';
import { DispatchingReceiver, type DispatchOptions } from './dispatch';
import { verifySlackSignature } from './verify';

export interface ReceiverOptions extends DispatchOptions {
  signingSecret: string;
  /** Wall-clock source for the signature window (not the business clock). */
  nowMs?: () => number;
}

function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (contentType?.startsWith('application/x-www-form-urlencoded')) {
    const qs = parseQs(raw);
    if (typeof qs.payload === 'string') return JSON.parse(qs.payload) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(qs).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  }
  return JSON.parse(raw) as Record<string, unknown>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The envelope fields Bolt reads before any listener runs, in the types Slack always sends. A
 * signed body that breaks them (only a bug or a fuzzer sends one) would make Bolt throw inside
 * its routing, which used to surface as a 500; it is refused with a 400 instead.
 */
export function envelopeProblem(body: Record<string, unknown>): string | null {
  const isInteraction = 'payload' in body || (typeof body.type === 'string' && body.type !== 'event_callback') || 'actions' in body || 'view' in body;
  if (typeof body.command === 'string' || body.command !== undefined) {
    for (const k of ['command', 'text', 'user_id', 'channel_id', 'team_id']) if (body[k] !== undefined && typeof body[k] !== 'string') return `${k} is not a string`;
    return null;
  }
  if (body.type === 'event_callback') return isObject(body.event) && typeof body.event.type === 'string' ? null : 'event is not an object with a type';
  if (!isInteraction && body.type === undefined) return 'neither a command, an event nor an interaction';
  if (typeof body.type !== 'string') return 'type is not a string';
  if (!isObject(body.user) || typeof body.user.id !== 'string') return 'user.id is not a string';
  for (const k of ['team', 'channel', 'container', 'message', 'enterprise']) if (body[k] !== undefined && body[k] !== null && !isObject(body[k])) return `${k} is not an object`;
  if (body.actions !== undefined && (!Array.isArray(body.actions) || !body.actions.every((a) => isObject(a) && typeof a.action_id === 'string' && typeof a.type === 'string'))) return 'actions is not a list of actions';
  if (body.view !== undefined && (!isObject(body.view) || (body.view.callback_id !== undefined && typeof body.view.callback_id !== 'string'))) return 'view is not an object with a callback_id';
  if ((body.type === 'view_submission' || body.type === 'view_closed') && !isObject(body.view)) return 'view is missing';
  // Slack always sends one (empty when the view has none); Bolt's routing reads it.
  if ((body.type === 'view_submission' || body.type === 'view_closed') && typeof (body.view as Record<string, unknown>).callback_id !== 'string') return 'view has no callback_id';
  if (body.type === 'block_actions' && !Array.isArray(body.actions)) return 'actions is missing';
  if ((body.type === 'shortcut' || body.type === 'message_action') && typeof body.callback_id !== 'string') return 'callback_id is missing';
  for (const k of ['callback_id', 'trigger_id', 'response_url']) if (body[k] !== undefined && typeof body[k] !== 'string') return `${k} is not a string`;
  return null;
}

/**
 * Transport only: verifies Slack's signature (both directions of the 5-minute window), parses the
 * body and hands it to Bolt with an ack that writes the HTTP reply. Business logic lives in the
 * listeners.
 */
export class SignedHttpReceiver extends DispatchingReceiver {
  private readonly nowMs: () => number;

  constructor(private readonly opts: ReceiverOptions) {
    super(opts);
    this.nowMs = opts.nowMs ?? Date.now;
  }

  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  readonly handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    this.dispatch.turns.arrived();
    let raw: string;
    try {
      raw = await readBody(req);
    } catch (err) {
      sendText(res, (err as { statusCode?: number }).statusCode ?? 400, 'bad request');
      return;
    }
    const header = (name: string) => {
      const v = req.headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    const verdict = verifySlackSignature({
      signingSecret: this.opts.signingSecret,
      body: raw,
      signature: header('x-slack-signature'),
      timestamp: header('x-slack-request-timestamp'),
      nowMs: this.nowMs(),
    });
    if (!verdict.ok) {
      this.opts.logger.warn({ reason: verdict.reason, path: req.url }, 'refused unsigned or stale Slack request');
      sendText(res, 401, 'invalid request signature');
      return;
    }
    let body: Record<string, unknown>;
    try {
      body = parseBody(raw, header('content-type'));
    } catch {
      sendText(res, 400, 'malformed body');
      return;
    }
    if (!isObject(body)) {
      sendText(res, 400, 'malformed body');
      return;
    }
    const problem = envelopeProblem(body);
    if (problem && !body.ssl_check && body.type !== 'url_verification') {
      this.opts.logger.warn({ problem, path: req.url }, 'refused a signed request Slack would not send');
      sendText(res, 400, 'malformed request');
      return;
    }
    if (body.ssl_check) {
      sendText(res, 200, '');
      return;
    }
    if (body.type === 'url_verification') {
      sendJson(res, 200, { challenge: body.challenge });
      return;
    }
    const retryNum = header('x-slack-retry-num');
    const retryReason = header('x-slack-retry-reason');
    await this.dispatch.run(body, {
      reply: (response) => {
        if (response === undefined || response === '') sendText(res, 200, '');
        else if (typeof response === 'string') sendText(res, 200, response);
        else sendJson(res, 200, response);
      },
      fail: () => sendText(res, 500, 'internal error'),
      retryLater: () => sendText(res, 503, 'not stored; send it again'),
      ...(retryNum ? { retryNum: Number(retryNum) } : {}),
      ...(retryReason ? { retryReason } : {}),
    });
  };
}

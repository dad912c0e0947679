import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQs } from 'node:querystring';
import { readBody, refuseUnread, sendJson, sendText } from '../http/server';
import { DispatchingReceiver, type DispatchOptions } from './dispatch';
import { envelopeProblem } from './envelope';
import { checkSignatureHeaders, verifySlackSignature } from './verify';

/**
 * Slack's largest requests (a block action carrying a 50-block message, a modal of 100 blocks)
 * stay far below this; a larger body is refused (413) without being read in full.
 */
export const SLACK_BODY_LIMIT = 1024 * 1024;

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

/** The socket receiver imports it from here too. */
export { envelopeProblem };

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
    const header = (name: string) => {
      const v = req.headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    const signature = header('x-slack-signature');
    const timestamp = header('x-slack-request-timestamp');
    // Before the body is read: a request that cannot be Slack's costs nothing however large its body.
    const early = checkSignatureHeaders({ signature, timestamp, nowMs: this.nowMs() });
    if (!early.ok) {
      this.opts.logger.warn({ reason: early.reason, path: req.url }, 'refused unsigned or stale Slack request');
      refuseUnread(res, 401, 'invalid request signature');
      return;
    }
    let raw: string;
    try {
      raw = await readBody(req, SLACK_BODY_LIMIT);
    } catch (err) {
      refuseUnread(res, (err as { statusCode?: number }).statusCode ?? 400, 'bad request');
      return;
    }
    const verdict = verifySlackSignature({ signingSecret: this.opts.signingSecret, body: raw, signature, timestamp, nowMs: this.nowMs() });
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

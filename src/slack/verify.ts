import { createHmac, timingSafeEqual } from 'node:crypto';

export const MAX_SKEW_SECONDS = 300;

export type VerifyResult = { ok: true } | { ok: false; reason: string };

/**
 * The part of the check that needs no body: both headers present, the timestamp well-formed and
 * within the window. The HTTP receiver runs it before reading the body, so a request that cannot
 * be Slack's costs no memory however large its body.
 */
export function checkSignatureHeaders(opts: { signature: string | undefined; timestamp: string | undefined; nowMs: number }): VerifyResult {
  if (!opts.signature || !opts.timestamp) return { ok: false, reason: 'missing signature headers' };
  if (!/^v0=[0-9a-f]{64}$/.test(opts.signature)) return { ok: false, reason: 'malformed signature' };
  if (!/^\d{1,12}$/.test(opts.timestamp)) return { ok: false, reason: 'malformed timestamp' };
  const skew = Math.abs(Math.floor(opts.nowMs / 1000) - Number(opts.timestamp));
  if (skew > MAX_SKEW_SECONDS) return { ok: false, reason: `timestamp ${skew} s away from now` };
  return { ok: true };
}

/**
 * Slack's v0 request signature check. Unlike Bolt's own, it refuses timestamps too far in the
 * future as well as the past: a captured request with a forged future timestamp is no replay
 * window for an attacker.
 */
export function verifySlackSignature(opts: {
  signingSecret: string;
  body: string;
  signature: string | undefined;
  timestamp: string | undefined;
  nowMs: number;
}): VerifyResult {
  const headers = checkSignatureHeaders(opts);
  if (!headers.ok) return headers;
  const expected = `v0=${createHmac('sha256', opts.signingSecret).update(`v0:${opts.timestamp}:${opts.body}`).digest('hex')}`;
  const a = Buffer.from(expected);
  const b = Buffer.from(opts.signature!);
  if (a.length !== b.length || !timingSafeEqual(a, b)) return { ok: false, reason: 'signature mismatch' };
  return { ok: true };
}

/** Signs a body exactly as Slack does (used by the sandbox and tests to send real requests). */
export function signSlackRequest(signingSecret: string, body: string, timestampSec: number): Record<string, string> {
  const signature = `v0=${createHmac('sha256', signingSecret).update(`v0:${timestampSec}:${body}`).digest('hex')}`;
  return { 'x-slack-signature': signature, 'x-slack-request-timestamp': String(timestampSec) };
}

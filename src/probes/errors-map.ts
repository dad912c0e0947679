import { outcome } from './outcome';
import { checkAdvice, type ProbeTarget } from './hints';
import type { ProbeOutcome } from './types';

/** Thrown by our own HTTP code (health probe) for non-2xx answers. */
export class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    readonly service: string,
  ) {
    super(`${service} answered HTTP ${status}`);
    this.name = 'HttpStatusError';
  }
}

/** Thrown when an answer arrives but its body is not what the API promises. */
export class MalformedResponseError extends Error {
  constructor(
    readonly service: string,
    detail: string,
  ) {
    super(`malformed response from ${service}: ${detail}`);
    this.name = 'MalformedResponseError';
  }
}

type Loose = Record<string, unknown> & { name?: unknown; message?: unknown };

/** HTTP status carried by an SDK error: AWS ($metadata), Stripe (statusCode), Twilio (status). */
function statusOf(err: Loose): number | undefined {
  const meta = err.$metadata as { httpStatusCode?: unknown } | undefined;
  const candidates = [err.status, err.statusCode, meta?.httpStatusCode];
  const found = candidates.find((c) => typeof c === 'number' && c >= 100 && c < 600);
  return found as number | undefined;
}

/** AWS error codes that mean "these credentials are not accepted", whatever the HTTP status. */
const AWS_AUTH_CODES = new Set([
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'SignatureDoesNotMatch',
  'InvalidAccessKeyId',
  'ExpiredToken',
  'ExpiredTokenException',
  'AccessDenied',
  'AccessDeniedException',
]);

function isMalformed(err: Loose, message: string): boolean {
  if (err instanceof MalformedResponseError || err instanceof SyntaxError) return true;
  // An SDK reading an answer without the fields it expects (`null`, a list) trips over it.
  if (err instanceof TypeError && /cannot read properties|is not iterable|is not a function|cannot convert/i.test(message)) return true;
  // AWS SDK deserialisation failures, Stripe's "Invalid JSON received", XML parse errors.
  return /deserializ|invalid json|unexpected token|not valid json|json at position|xml|parse/i.test(message);
}

function isTimeout(err: Loose, message: string): boolean {
  const name = typeof err.name === 'string' ? err.name : '';
  const code = typeof err.code === 'string' ? err.code : '';
  return name === 'AbortError' || name === 'TimeoutError' || code === 'ECONNABORTED' || code === 'ETIMEDOUT' || /timed? ?out|aborted/i.test(message);
}

export function redact(text: string, secrets: readonly string[]): string {
  return secrets.reduce((acc, s) => (s ? acc.split(s).join('[redacted]') : acc), text);
}

/** The network error code behind an error or its cause (`fetch failed` hides it in `cause`). */
function connectCode(err: Loose): string | undefined {
  let e: Loose | undefined = err;
  for (let depth = 0; depth < 4 && e; depth += 1) {
    const code = typeof e.code === 'string' ? e.code : undefined;
    if (
      code &&
      /^(ECONNREFUSED|ENOTFOUND|ECONNRESET|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|UND_ERR_CONNECT_TIMEOUT|UND_ERR_SOCKET|CERT_|DEPTH_ZERO|UNABLE_TO_VERIFY|SELF_SIGNED)/.test(
        code,
      )
    )
      return code;
    e = (typeof e.cause === 'object' && e.cause !== null ? e.cause : undefined) as Loose | undefined;
  }
  if (typeof err.type === 'string' && err.type === 'StripeConnectionError') return 'connection error';
  return undefined;
}

/**
 * Turn anything a probe threw into an `unknown` outcome with a short, secret-free reason.
 * A probe that cannot look is "unknown", never "fail": the system may be fine. With a `target`
 * the reason names where the probe looked and which settings to check (hints.ts).
 */
export function errorOutcome(service: string, err: unknown, secrets: readonly string[], timeoutMs?: number, target?: ProbeTarget): ProbeOutcome {
  const e = (typeof err === 'object' && err !== null ? err : { message: String(err) }) as Loose;
  const message = redact(typeof e.message === 'string' ? e.message : String(err), secrets);
  const status = statusOf(e);
  const head = target ? `${service} (${redact(target.where, secrets)})` : service;
  const say = (what: string, kind: Parameters<typeof checkAdvice>[1]) => `${head}: ${what}${target ? `: ${checkAdvice(target, kind)}` : ''}`;
  if (status === 401 || status === 403 || (typeof e.name === 'string' && AWS_AUTH_CODES.has(e.name))) {
    return outcome('unknown', say(`credentials rejected${status ? ` (HTTP ${status})` : ''}`, 'credentials'), { httpStatus: status });
  }
  // The SDK names a connection reset a TimeoutError; it is not one (the server closed the connection).
  const reset = typeof e.code === 'string' && (e.code === 'ECONNRESET' || e.code === 'EPIPE') ? e.code : undefined;
  if (reset) return outcome('unknown', say(`connection reset by the server (${reset})`, 'connect'), { reason: message.slice(0, 300), code: reset });
  if (isTimeout(e, message)) {
    const after = timeoutMs !== undefined ? ` after ${timeoutMs} ms` : '';
    // The SDK's own words go into evidence: "timed out" covers a connect time-out, an aborted
    // response and our budget alike, and only the detail tells them apart (issue 17).
    return outcome('unknown', say(`timed out${after}`, 'timeout'), { reason: 'timeout', detail: message.slice(0, 200) });
  }
  if (status !== undefined && status >= 300) {
    return outcome('unknown', say(`HTTP ${status} error`, 'http'), { httpStatus: status, reason: message.slice(0, 300) });
  }
  if (isMalformed(e, message)) {
    const detail = /: (body is not .*)$/.exec(message)?.[1];
    return outcome('unknown', say(`malformed response${target && detail ? ` (${detail})` : ''}`, 'malformed'), { reason: message.slice(0, 300) });
  }
  const code = typeof e.code === 'string' ? e.code : undefined;
  const conn = connectCode(e);
  if (target && conn) return outcome('unknown', say(`cannot connect (${conn})`, 'connect'), { reason: message.slice(0, 300), code: conn });
  return outcome('unknown', say(`${code ?? 'error'}: ${message}`, 'other'), { reason: message.slice(0, 300), code });
}

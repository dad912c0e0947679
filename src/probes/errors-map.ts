import { outcome } from './outcome.js';
import type { ProbeOutcome } from './types.js';

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
  return (
    name === 'AbortError' ||
    name === 'TimeoutError' ||
    code === 'ECONNABORTED' ||
    code === 'ETIMEDOUT' ||
    /timed? ?out|aborted/i.test(message)
  );
}

export function redact(text: string, secrets: readonly string[]): string {
  return secrets.reduce((acc, s) => (s ? acc.split(s).join('[redacted]') : acc), text);
}

/**
 * Turn anything a probe threw into an `unknown` outcome with a short, secret-free reason.
 * A probe that cannot look is "unknown", never "fail": the system may be fine.
 */
export function errorOutcome(service: string, err: unknown, secrets: readonly string[], timeoutMs?: number): ProbeOutcome {
  const e = (typeof err === 'object' && err !== null ? err : { message: String(err) }) as Loose;
  const message = redact(typeof e.message === 'string' ? e.message : String(err), secrets);
  const status = statusOf(e);
  if (status === 401 || status === 403 || (typeof e.name === 'string' && AWS_AUTH_CODES.has(e.name))) {
    return outcome('unknown', `${service}: credentials rejected${status ? ` (HTTP ${status})` : ''}`, { httpStatus: status });
  }
  if (isTimeout(e, message)) {
    const after = timeoutMs !== undefined ? ` after ${timeoutMs} ms` : '';
    return outcome('unknown', `${service}: timed out${after}`, { reason: 'timeout' });
  }
  if (status !== undefined && status >= 300) {
    return outcome('unknown', `${service}: HTTP ${status} error`, { httpStatus: status, reason: message.slice(0, 300) });
  }
  if (isMalformed(e, message)) {
    return outcome('unknown', `${service}: malformed response`, { reason: message.slice(0, 300) });
  }
  const code = typeof e.code === 'string' ? e.code : undefined;
  return outcome('unknown', `${service}: ${code ?? 'error'}: ${message}`, { reason: message.slice(0, 300), code });
}

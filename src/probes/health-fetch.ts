import { HttpStatusError, MalformedResponseError } from './errors-map';

export interface FetchedJson {
  body: Record<string, unknown>;
  responseMs: number;
  httpStatus: number;
}

/**
 * GET a JSON document with a hard timeout tied to the probe's signal.
 * Shared by the health and agents probes (both read the health endpoint).
 */
export async function fetchJson(url: string, signal: AbortSignal, timeoutMs: number, service: string): Promise<FetchedJson> {
  const started = performance.now();
  const res = await fetch(url, {
    headers: { accept: 'application/json' },
    signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
  });
  const text = await res.text();
  const responseMs = Math.round(performance.now() - started);
  if (!res.ok) throw new HttpStatusError(res.status, service);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new MalformedResponseError(service, 'body is not JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new MalformedResponseError(service, 'body is not a JSON object');
  }
  return { body: body as Record<string, unknown>, responseMs, httpStatus: res.status };
}

import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a test can make a stand-in do instead of answering normally. */
export type Fault =
  | { kind: 'status'; status: number } // error answer in the API's own error shape
  | { kind: 'hang' } // accept the request and never answer (until close())
  | { kind: 'malformed' } // 200 with a body the API would never send
  | { kind: 'raw'; status: number; body: string; contentType?: string }; // exactly this answer (an edge proxy's page, an empty or cut body)

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface StandinHooks {
  handle(req: RecordedRequest): Reply | Promise<Reply>;
  /** The API's error shape for a given status (401/403/500…). */
  errorReply(status: number, req: RecordedRequest): Reply;
  malformedReply(req: RecordedRequest): Reply;
}

export interface Standin {
  /** Base URL, e.g. http://127.0.0.1:40123 (no trailing slash). */
  url: string;
  requests: RecordedRequest[];
  setFault(fault: Fault | null): void;
  /** Delay every answer by `ms` (used to prove probes run in parallel). */
  setDelay(ms: number): void;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1:0 that records every request and can misbehave on demand. */
export async function startStandin(hooks: StandinHooks): Promise<Standin> {
  let fault: Fault | null = null;
  let delayMs = 0;
  const requests: RecordedRequest[] = [];
  const hanging = new Set<ServerResponse>();

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://standin');
      const rec: RecordedRequest = {
        method: req.method ?? 'GET',
        path: decodeURIComponent(u.pathname),
        query: u.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(rec);
      void respond(rec, res);
    });
  });

  async function respond(rec: RecordedRequest, res: ServerResponse): Promise<void> {
    if (fault?.kind === 'hang') {
      hanging.add(res);
      return;
    }
    if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
    let reply: Reply;
    try {
      if (fault?.kind === 'status') reply = hooks.errorReply(fault.status, rec);
      else if (fault?.kind === 'malformed') reply = hooks.malformedReply(rec);
      else if (fault?.kind === 'raw') reply = { status: fault.status, headers: { 'content-type': fault.contentType ?? 'application/json' }, body: fault.body };
      else reply = await hooks.handle(rec);
    } catch (err) {
      reply = { status: 500, body: `stand-in error: ${String(err)}` };
    }
    if (res.destroyed) return;
    const body = rec.method === 'HEAD' ? undefined : reply.body;
    res.writeHead(reply.status, {
      ...(reply.body !== undefined ? { 'content-length': String(Buffer.byteLength(reply.body)) } : {}),
      ...reply.headers,
    });
    res.end(body);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setFault: (f) => {
      fault = f;
    },
    setDelay: (ms) => {
      delayMs = ms;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        hanging.clear();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function json(status: number, value: unknown, headers: Record<string, string> = {}): Reply {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(value) };
}

/** Access key id from a SigV4 Authorization header ("… Credential=AKID/date/region/service/aws4_request, …"). */
export function sigV4AccessKey(headers: IncomingHttpHeaders): string | undefined {
  const auth = headers.authorization;
  return typeof auth === 'string' ? /Credential=([^/]+)\//.exec(auth)?.[1] : undefined;
}

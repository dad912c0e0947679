import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logger';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;
export type Routes = Record<string, RouteHandler>;

/** Reads a request body up to `limit` bytes; larger bodies reject with statusCode 413. */
export function readBody(req: IncomingMessage, limit = 1024 * 1024): Promise<string> {
  const declared = Number(req.headers['content-length']);
  // A declared length over the limit is refused before a byte of the body is read.
  if (declared > limit) return Promise.reject(Object.assign(new Error('request body too large'), { statusCode: 413 }));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(Object.assign(new Error('request body too large'), { statusCode: 413 }));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  // Encoded once: its length and its bytes from the same buffer.
  const bytes = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': bytes.length });
  res.end(bytes);
}

/**
 * Answers a request whose body was not (fully) read, and closes the connection after the answer,
 * so the rest of the body is never received (Node would otherwise read it to reuse the connection).
 */
export function refuseUnread(res: ServerResponse, status: number, text: string): void {
  if (res.headersSent) return;
  res.setHeader('connection', 'close');
  sendText(res, status, text);
}

export function sendText(res: ServerResponse, status: number, text: string): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * One HTTP server for Slack's requests, /healthz and (later) the sandbox. Routes are keyed
 * `"METHOD /path"`; a prefix route ends with `*`.
 */
export function createHttpServer(routes: Routes, logger: Logger): Server {
  return createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const key = `${req.method} ${path}`;
    const find = (k: string) => routes[k] ?? Object.entries(routes).find(([r]) => r.endsWith('*') && k.startsWith(r.slice(0, -1)))?.[1];
    // HEAD answers like GET: Node's response drops the body of a HEAD and keeps status and headers.
    const handler = find(key) ?? (req.method === 'HEAD' ? find(`GET ${path}`) : undefined);
    if (!handler) {
      sendText(res, 404, 'not found');
      return;
    }
    Promise.resolve(handler(req, res)).catch((err: unknown) => {
      logger.error({ route: key, err: err instanceof Error ? err.message : String(err) }, 'http handler failed');
      sendText(res, 500, 'internal error');
    });
  });
}

export function listen(server: Server, port: number, host?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

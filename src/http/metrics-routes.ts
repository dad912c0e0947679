import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Env, SlackMode } from '../config/env';
import type { BotMetrics } from '../metrics';
import { sendText, type RouteHandler } from './server';

/**
 * Where /metrics is served. It tells anyone who can reach it how busy the bot is and what is
 * failing, so it is not served on a port facing the internet unless a token guards it:
 * - `METRICS_PORT` set: on that port only (with the token too, if `METRICS_TOKEN` is set);
 * - else `METRICS_TOKEN` set: on the main port, with the token;
 * - else on the main port without a token only where that port need not face the internet:
 *   Socket Mode (the port serves /healthz only) or a bot bound to a loopback address (the sandbox).
 *   In HTTP mode bound to a public address it is not served (a start-up log line says how to).
 */
export type MetricsExposure = { where: 'main' | 'separate'; token?: string } | { where: 'off'; why: string };

export function metricsExposure(env: Env, mode: SlackMode, host: string | undefined): MetricsExposure {
  const token = env.METRICS_TOKEN ? { token: env.METRICS_TOKEN } : {};
  if (env.METRICS_PORT !== undefined) return { where: 'separate', ...token };
  if (env.METRICS_TOKEN) return { where: 'main', ...token };
  if (mode !== 'http' || isLoopback(host)) return { where: 'main' };
  return {
    where: 'off',
    why: '/metrics is not served: in HTTP mode the port faces the internet. Set METRICS_TOKEN (a bearer token) or METRICS_PORT (a port you do not publish) to serve it.',
  };
}

function isLoopback(host: string | undefined): boolean {
  return host === 'localhost' || host === '::1' || (host?.startsWith('127.') ?? false);
}

/** Compares digests, so neither the token's length nor its prefix leaks through timing. */
function hasBearer(req: IncomingMessage, token: string): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  if (!m) return false;
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(m[1]!), digest(token));
}

/** `GET /metrics` in the Prometheus text format; 401 without the bearer token when one is set. */
export function metricsRoute(metrics: BotMetrics, token: string | undefined): RouteHandler {
  return async (req, res) => {
    if (token !== undefined && !hasBearer(req, token)) {
      res.setHeader('www-authenticate', 'Bearer realm="metrics"');
      sendText(res, 401, 'a bearer token is required (Authorization: Bearer <METRICS_TOKEN>)\n');
      return;
    }
    const { contentType, body } = await metrics.render();
    if (res.headersSent) return;
    res.writeHead(200, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
    res.end(body);
  };
}

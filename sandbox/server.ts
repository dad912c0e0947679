import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { Database } from '../src/db';
import { readBody, sendJson, sendText, type Routes } from '../src/http/server';
import type { Logger } from '../src/logger';
import { clickAction, dismissEphemeral, openHome, postUserMessage, sendCommand, type InteractionResult } from './interactions';
import { clickViewAction, closeView, submitView } from './modal-interactions';
import { resetDatabase } from './reset';
import type { SlackWorkspace } from './slack-workspace';
import { snapshotFor } from './snapshot';

export interface SandboxRoutesOptions {
  workspace: SlackWorkspace;
  database: Database;
  logger: Logger;
  /** Waits for work the bot does after its acks (message refreshes) before a reset. */
  idle?: () => Promise<void>;
}

const STATIC: Record<string, { file: string; type: string }> = {
  'GET /': { file: 'page.html', type: 'text/html; charset=utf-8' },
  'GET /sandbox/page.js': { file: 'page.js', type: 'text/javascript; charset=utf-8' },
  'GET /sandbox/page.css': { file: 'page.css', type: 'text/css; charset=utf-8' },
  'GET /sandbox/blockkit.js': { file: 'blockkit.js', type: 'text/javascript; charset=utf-8' },
};

const valueSchema = z.object({
  type: z.string(),
  value: z.string().nullable().optional(),
  selected_option: z.object({ value: z.string(), text: z.unknown().optional() }).nullable().optional(),
});
const bodies = {
  command: z.object({ user: z.string(), channel: z.string().min(1), text: z.string().min(1).max(4000) }),
  message: z.object({ user: z.string(), channel: z.string().min(1), text: z.string().min(1).max(4000), threadTs: z.string().optional() }),
  action: z.object({
    user: z.string(),
    channel: z.string(),
    ts: z.string(),
    blockIndex: z.number().int().min(0),
    actionId: z.string(),
    selected: z.string().optional(),
    ephemeral: z.boolean().optional(),
  }),
  viewAction: z.object({
    user: z.string(),
    surface: z.enum(['modal', 'home']),
    blockIndex: z.number().int().min(0),
    actionId: z.string(),
    selected: z.string().optional(),
    values: z.record(z.string(), z.record(z.string(), valueSchema)).optional(),
  }),
  submit: z.object({ user: z.string(), viewId: z.string(), values: z.record(z.string(), z.record(z.string(), valueSchema)) }),
  close: z.object({ user: z.string(), viewId: z.string() }),
  home: z.object({ user: z.string() }),
  dismiss: z.object({ user: z.string(), ts: z.string() }),
};

type JsonPost = ReturnType<typeof jsonPost>;

/**
 * JSON bodies only: a cross-site form or text/plain POST from another page in the browser
 * would need a CORS preflight for application/json, which this server never grants.
 */
function jsonPost(knownUser: (id: string) => boolean) {
  return <S extends z.ZodType>(schema: S, act: (body: z.infer<S>) => Promise<InteractionResult> | InteractionResult) =>
    async (req: IncomingMessage, res: ServerResponse) => {
      if (!req.headers['content-type']?.startsWith('application/json')) return sendJson(res, 415, { ok: false, error: 'json_only' });
      let body: unknown;
      try {
        body = JSON.parse(await readBody(req, 256 * 1024));
      } catch {
        return sendJson(res, 400, { ok: false, error: 'invalid_json' });
      }
      const parsed = schema.safeParse(body);
      if (!parsed.success)
        return sendJson(res, 400, {
          ok: false,
          error: 'invalid_arguments',
          detail: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
        });
      const user = (parsed.data as { user?: string }).user;
      if (user !== undefined && !knownUser(user)) return sendJson(res, 400, { ok: false, error: 'unknown_user' });
      sendJson(res, 200, await act(parsed.data));
    };
}

/** What a person sees: the state of the workspace for them, a shared file's bytes, and a stream of changes. */
function readRoutes(ws: SlackWorkspace, knownUser: (id: string) => boolean): Routes {
  return {
    'GET /sandbox/api/state': (req, res) => {
      const user = new URL(req.url ?? '/', 'http://x').searchParams.get('user') ?? 'UALICE';
      if (!knownUser(user)) return sendJson(res, 400, { ok: false, error: 'unknown_user' });
      sendJson(res, 200, snapshotFor(ws, user));
    },
    // A shared file's bytes (the summary chart, an audit CSV), for whoever can see its conversation.
    'GET /sandbox/api/file': (req, res) => {
      const q = new URL(req.url ?? '/', 'http://x').searchParams;
      const user = q.get('user') ?? '';
      const file = ws.uploads.get(q.get('id') ?? '');
      const channel = file?.channel ? ws.channels.get(file.channel) : undefined;
      if (!file?.completed || !file.bytes || !channel || !knownUser(user) || (channel.kind === 'im' && channel.user !== user))
        return sendJson(res, 404, { ok: false, error: 'file_not_found' });
      const type = file.filename.endsWith('.png') ? 'image/png' : file.filename.endsWith('.csv') ? 'text/csv; charset=utf-8' : 'application/octet-stream';
      res.writeHead(200, {
        'content-type': type,
        'content-length': String(file.bytes.length),
        'content-disposition': `inline; filename="${file.filename.replace(/[^\w.-]/g, '_')}"`,
        'x-content-type-options': 'nosniff',
      });
      res.end(file.bytes);
    },
    'GET /sandbox/api/events': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write(`retry: 1000\ndata: ${ws.version}\n\n`);
      const off = ws.onChange((v) => res.write(`data: ${v}\n\n`));
      // Proxies and browsers drop connections that stay silent for long.
      const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
      res.on('close', () => {
        off();
        clearInterval(ping);
      });
    },
  };
}

/** The POSTs that act as a person (a command, a message, a click, a modal), and the reset. */
function actRoutes(opts: SandboxRoutesOptions, post: JsonPost): Routes {
  const { workspace: ws } = opts;
  return {
    'POST /sandbox/api/command': post(bodies.command, (b) => sendCommand(ws, b)),
    'POST /sandbox/api/message': post(bodies.message, (b) =>
      postUserMessage(ws, { user: b.user, channel: b.channel, text: b.text, ...(b.threadTs ? { threadTs: b.threadTs } : {}) }),
    ),
    'POST /sandbox/api/action': post(bodies.action, (b) =>
      clickAction(ws, {
        user: b.user,
        channel: b.channel,
        ts: b.ts,
        blockIndex: b.blockIndex,
        actionId: b.actionId,
        ...(b.selected !== undefined ? { selected: b.selected } : {}),
        ...(b.ephemeral ? { ephemeral: true } : {}),
      }),
    ),
    'POST /sandbox/api/view/action': post(bodies.viewAction, (b) => clickViewAction(ws, b as Parameters<typeof clickViewAction>[1])),
    'POST /sandbox/api/view/submit': post(bodies.submit, (b) => submitView(ws, b as Parameters<typeof submitView>[1])),
    'POST /sandbox/api/view/close': post(bodies.close, (b) => closeView(ws, b)),
    'POST /sandbox/api/home': post(bodies.home, (b) => openHome(ws, b.user)),
    'POST /sandbox/api/ephemeral/dismiss': post(bodies.dismiss, (b) => dismissEphemeral(ws, b)),
    'POST /sandbox/api/reset': post(z.object({}).passthrough(), async () => {
      await opts.idle?.();
      const tables = await resetDatabase(opts.database);
      ws.clear();
      opts.logger.info({ tables: tables.length }, 'sandbox reset');
      return { ok: true };
    }),
  };
}

/** The page's own files, read at each request (the sandbox is for trying things, not for speed). */
function staticRoutes(): Routes {
  const routes: Routes = {};
  for (const [key, { file, type }] of Object.entries(STATIC)) {
    routes[key] = async (_req, res) => {
      let text: string;
      try {
        text = await readFile(new URL(`./${file}`, import.meta.url), 'utf8');
      } catch {
        return sendText(res, 404, 'not found');
      }
      res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    };
  }
  return routes;
}

/**
 * The sandbox page and its API, mounted on the bot's own HTTP server (one port for everything):
 * `GET /` the page, `GET /sandbox/api/state?user=U…` what that person sees, `GET
 * /sandbox/api/events` a server-sent event per change, and POSTs that act as a person.
 */
export function sandboxRoutes(opts: SandboxRoutesOptions): Routes {
  const { workspace: ws } = opts;
  const knownUser = (id: string) => ws.users.has(id) && id !== 'UBOT';
  return { ...readRoutes(ws, knownUser), ...actRoutes(opts, jsonPost(knownUser)), ...staticRoutes() };
}

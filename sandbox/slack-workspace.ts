import { handleFilesApi, receiveUpload, type StandinUpload } from './files';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { parse as parseQs } from 'node:querystring';
import { closeServer, listen } from '../src/http/server';
import { applyResponse } from './responses';
import { handleWebApi } from './web-api';
import { WorkspaceState, type RecordedCall, type WorkspaceOptions } from './workspace-state';

export type { Channel, ModalView, RecordedCall, ResponseContext, StoredEphemeral, StoredMessage, WorkspaceOptions } from './workspace-state';

/** Makes the next `times` calls (of one method, or any) fail or stall. */
export interface Fault {
  method?: string;
  /** Only calls to this channel (as the bot named it: `ops`, `C…`, a user id for a DM). */
  channel?: string;
  status?: number;
  retryAfter?: number;
  error?: string;
  delayMs?: number;
  /** Answer with this body as it is (an HTML error page, an empty or cut body), with `status` or 200. */
  raw?: { body: string; contentType?: string };
  /** How many calls fail; `Infinity` until `clearFaults` (a bot not in a channel, a revoked token). */
  times: number;
}

const JSON_FIELDS = new Set(['blocks', 'attachments', 'view', 'metadata']);

/**
 * A local Slack workspace for this bot: a real HTTP server speaking the Web API methods the bot
 * calls, keeping channels, messages, threads, ephemerals, modals and the App Home, checking every
 * message and view against Slack's documented Block Kit limits (slack-limits.ts, not the bot's).
 * The tests use it as a stand-in (recording calls, injecting faults); the sandbox page shows it
 * and sends people's clicks back to the bot. Its state lives in workspace-state.ts.
 */
export class SlackWorkspace extends WorkspaceState {
  /** Where interactions go: the bot's base URL and signing secret (see connect). */
  bot: { url: string; signingSecret: string } | undefined;
  /** Where `apps.connections.open` sends a Socket Mode client, and the app token it wants. */
  socketMode: { url: string; appToken: string } | undefined;
  private readonly faults: Fault[] = [];
  private readonly expiredResponses = new Set<string>();
  private server: Server | undefined;
  url = '';
  /** Files uploaded through files.uploadV2 (sandbox/files.ts). */
  readonly uploads = new Map<string, StandinUpload>();

  constructor(
    readonly token = 'xoxb-test-token',
    opts: WorkspaceOptions = {},
  ) {
    super(opts);
  }

  async start(port = 0): Promise<this> {
    this.server = createServer((req, res) => void this.route(req, res));
    this.url = `http://127.0.0.1:${await listen(this.server, port, '127.0.0.1')}`;
    return this;
  }

  async close(): Promise<void> {
    if (this.server) await closeServer(this.server);
  }

  /** Tells the workspace where to deliver people's commands and clicks. */
  connect(bot: { url: string; signingSecret: string }): void {
    this.bot = bot;
  }

  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  responseUrl(id: string): string {
    return `${this.url}/response/${id}`;
  }

  /** Makes a response_url answer as Slack does once it has expired (30 minutes, or five uses). */
  expireResponseUrl(id: string): void {
    this.expiredResponses.add(id);
  }

  /** Makes the next `times` calls (of one method, or any) fail or stall. */
  fault(f: Fault): void {
    this.faults.push({ ...f });
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  callsOf(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Resolves when `predicate` holds, polling the recorded state (bounded: rejects after `ms`). */
  async waitFor<T>(predicate: () => T | undefined | false | Promise<T | undefined | false>, ms = 5000): Promise<T> {
    const until = Date.now() + ms;
    for (;;) {
      const v = await predicate();
      if (v) return v;
      if (Date.now() > until) throw new Error('waitFor: condition not met in time');
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const path = (req.url ?? '').split('?')[0]!;
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    if (path.startsWith('/upload/') && req.method === 'POST') {
      const r = await receiveUpload(this.uploads, path.slice('/upload/'.length), Buffer.concat(chunks), req.headers['content-type']);
      res.writeHead(r.status, { 'content-type': 'text/plain' });
      res.end(r.text);
      return;
    }
    if (path.startsWith('/response/')) {
      let body: any;
      try {
        body = raw ? JSON.parse(raw) : {};
      } catch {
        return send(400, { ok: false, error: 'invalid_json' });
      }
      const id = path.slice('/response/'.length);
      if (this.expiredResponses.has(id)) return send(404, { ok: false, error: 'expired_url' });
      this.responses.push({ id, body, at: Date.now() });
      applyResponse(this, id, body);
      this.changed();
      send(200, { ok: true });
      return;
    }
    const method = path.replace(/^\/api\//, '');
    const args = this.parseArgs(raw, req.headers['content-type']);
    this.calls.push({ method, args, at: Date.now() });
    const fault = this.faults.find((f) => (!f.method || f.method === method) && (!f.channel || f.channel === args.channel));
    if (fault) {
      fault.times -= 1;
      if (fault.times <= 0) this.faults.splice(this.faults.indexOf(fault), 1);
      if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
      if (fault.raw) {
        res.writeHead(fault.status ?? 200, { 'content-type': fault.raw.contentType ?? 'application/json' });
        res.end(fault.raw.body);
        return;
      }
      if (fault.status === 429) return send(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(fault.retryAfter ?? 1) });
      if (fault.status) return send(fault.status, { ok: false, error: 'internal_error' });
      if (fault.error) return send(200, { ok: false, error: fault.error });
    }
    const auth = req.headers.authorization ?? `Bearer ${args.token ?? ''}`;
    if (method === 'apps.connections.open') {
      // Socket Mode: the app-level token opens a WebSocket (see test/support/socket-mode.ts).
      if (!this.socketMode || auth !== `Bearer ${this.socketMode.appToken}`) return send(200, { ok: false, error: 'invalid_auth' });
      return send(200, { ok: true, url: this.socketMode.url });
    }
    if (auth !== `Bearer ${this.token}`) return send(200, { ok: false, error: 'invalid_auth' });
    const result = handleFilesApi(this, this.uploads, this.url, method, args) ?? handleWebApi(this, method, args);
    if (result.ok && method !== 'auth.test') this.changed();
    send(200, result);
  }

  private parseArgs(raw: string, contentType: string | undefined): Record<string, any> {
    if (!raw) return {};
    if (contentType?.includes('application/json')) return JSON.parse(raw);
    const qs = parseQs(raw) as Record<string, any>;
    for (const k of Object.keys(qs)) {
      if (JSON_FIELDS.has(k) && typeof qs[k] === 'string') {
        try {
          qs[k] = JSON.parse(qs[k]);
        } catch {
          // leave as is: the Block Kit check reports it
        }
      }
    }
    return qs;
  }
}

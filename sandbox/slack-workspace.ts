import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { closeServer, listen } from '../src/http/server';
import { parse as parseQs } from 'node:querystring';
import { messageProblems } from '../blocks/limits';
import { applyResponse } from './responses';
import { BOT_USER, DEMO_USERS, type WorkspaceUser } from './users';
import { handleWebApi } from './web-api';

/**
 * A local Slack workspace for this bot: a real HTTP server speaking the Web API methods the bot
 * calls, keeping channels, messages, threads, ephemerals, modals and the App Home, checking every
 * message and view against Block Kit's limits. The tests use it as a stand-in (recording calls,
 * injecting faults); the sandbox page shows it and sends people's clicks back to the bot.
 */
export interface RecordedCall {
  method: string;
  args: Record<string, any>;
  at: number;
}

export interface StoredMessage {
  ts: string;
  channel: string;
  text: string;
  blocks?: any[];
  thread_ts?: string;
  user: string;
  edited?: number;
  /** `metadata` as posted (event_type, event_payload); returned when asked with include_all_metadata. */
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  /** Why the message breaks Block Kit's limits (real Slack would refuse it). */
  problems?: string;
}

export type StoredEphemeral = StoredMessage & { target: string };

export interface Channel {
  id: string;
  name: string;
  members: Set<string>;
  kind: 'channel' | 'im';
  /** For an im: the person the app talks to. */
  user?: string;
  /** Created by the sandbox at start (config channels): kept by a reset. */
  pinned?: boolean;
}

export interface ModalView {
  id: string;
  view: any;
  errors?: Record<string, string>;
  problems?: string;
}

export interface Fault {
  method?: string;
  status?: number;
  retryAfter?: number;
  error?: string;
  delayMs?: number;
  times: number;
}

/** Where a response_url leads: the person, channel and (for a click) message it answers. */
export interface ResponseContext {
  user: string;
  channel: string;
  messageTs?: string;
  ephemeral?: boolean;
  threadTs?: string;
}

export interface WorkspaceOptions {
  users?: readonly WorkspaceUser[];
  /** The app's slash commands (manifest.yml); Slack refuses others before the bot sees them. */
  commands?: readonly string[];
}

const JSON_FIELDS = new Set(['blocks', 'attachments', 'view', 'metadata']);

export class SlackWorkspace {
  readonly calls: RecordedCall[] = [];
  readonly problems: string[] = [];
  readonly messages: StoredMessage[] = [];
  readonly ephemerals: StoredEphemeral[] = [];
  /** Every view opened, pushed or updated, by id. */
  readonly views = new Map<string, any>();
  /** Each person's open modal: a stack, top last. */
  readonly modals = new Map<string, ModalView[]>();
  readonly homes = new Map<string, { id: string; view: any; problems?: string }>();
  readonly responses: { id: string; body: any; at: number }[] = [];
  readonly channels = new Map<string, Channel>();
  /** User groups (`S…` id → member ids), as `usergroups.users.list` answers. */
  readonly usergroups = new Map<string, string[]>();
  readonly users: Map<string, WorkspaceUser>;
  readonly commands: readonly string[];
  /** trigger_id → who acted, so views.open shows the modal to the right person. */
  readonly triggers = new Map<string, string>();
  readonly responseContexts = new Map<string, ResponseContext>();
  /** Where interactions go: the bot's base URL and signing secret (see connect). */
  bot: { url: string; signingSecret: string } | undefined;
  /** Where `apps.connections.open` sends a Socket Mode client, and the app token it wants. */
  socketMode: { url: string; appToken: string } | undefined;
  private readonly faults: Fault[] = [];
  private readonly expiredResponses = new Set<string>();
  private readonly events = new EventEmitter();
  private server: Server | undefined;
  private seq = 0;
  version = 0;
  url = '';

  constructor(
    readonly token = 'xoxb-test-token',
    opts: WorkspaceOptions = {},
  ) {
    this.users = new Map([BOT_USER, ...(opts.users ?? DEMO_USERS)].map((u) => [u.id, u]));
    this.commands = opts.commands ?? ['/ops', '/incident'];
    this.events.setMaxListeners(100);
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

  callsOf(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Listens for any change of the workspace (the page's live updates). */
  onChange(listener: (version: number) => void): () => void {
    this.events.on('change', listener);
    return () => this.events.off('change', listener);
  }

  changed(): void {
    this.version += 1;
    this.events.emit('change', this.version);
  }

  addChannel(name: string, pinned = false): Channel {
    const channel = this.channels.get(this.channelId(name))!;
    if (pinned) channel.pinned = true;
    return channel;
  }

  /** The id of a channel by name or id, creating it on first sight; a user id means the app's DM with them. */
  channelId(nameOrId: string): string {
    const name = nameOrId.replace(/^#/, '');
    if (this.channels.has(name)) return name;
    for (const c of this.channels.values()) if (c.name === name || (c.kind === 'im' && c.user === name)) return c.id;
    if (/^[UW][A-Z0-9]{2,}$/.test(name)) {
      const id = `D${name.slice(1)}`;
      this.channels.set(id, { id, name: this.users.get(name)?.name ?? name, members: new Set([name]), kind: 'im', user: name });
      return id;
    }
    const id = /^[CGD][A-Z0-9]+$/.test(name) ? name : `C${name.toUpperCase().replace(/[^A-Z0-9]/g, '')}`.slice(0, 20);
    this.channels.set(id, { id, name: id === name ? name.toLowerCase() : name, members: new Set(), kind: 'channel' });
    return id;
  }

  channelMessages(nameOrId: string): StoredMessage[] {
    const id = this.channelId(nameOrId);
    return this.messages.filter((m) => m.channel === id);
  }

  findMessage(channel: string, ts: string): StoredMessage | undefined {
    return this.messages.find((m) => m.channel === this.channelId(channel) && m.ts === ts);
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

  nextTs(): string {
    this.seq += 1;
    return `${Math.floor(Date.now() / 1000)}.${String(this.seq).padStart(6, '0')}`;
  }

  nextId(prefix: string): string {
    this.seq += 1;
    return `${prefix}${String(this.seq).padStart(6, '0')}`;
  }

  /** Checks a message against Block Kit's limits; records and returns the problems. */
  check(message: any, where: string): string | undefined {
    const p = messageProblems({ text: message.text, ...(message.blocks ? { blocks: message.blocks } : {}) });
    if (!p) return undefined;
    this.problems.push(`${where}: ${p}`);
    return p;
  }

  /** Forgets every message, modal and recorded call; keeps the people and the config channels. */
  clear(): void {
    for (const list of [this.calls, this.problems, this.messages, this.ephemerals, this.responses]) list.length = 0;
    for (const map of [this.views, this.modals, this.homes, this.triggers, this.responseContexts]) map.clear();
    for (const [id, c] of this.channels) {
      if (c.pinned) c.members.clear();
      else this.channels.delete(id);
    }
    this.changed();
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
    const fault = this.faults.find((f) => !f.method || f.method === method);
    if (fault) {
      fault.times -= 1;
      if (fault.times <= 0) this.faults.splice(this.faults.indexOf(fault), 1);
      if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
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
    const result = handleWebApi(this, method, args);
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

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQs } from 'node:querystring';
import { messageProblems, modalProblems } from '../../blocks/limits';

/**
 * A local stand-in of Slack's Web API: a real HTTP server that keeps a tiny workspace (channels,
 * messages, threads, ephemerals, modals), records every call, checks every message and modal
 * against Block Kit's limits, and can be told to misbehave (429, 500, slow answers).
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
}

export interface Fault {
  method?: string;
  status?: number;
  retryAfter?: number;
  error?: string;
  delayMs?: number;
  times: number;
}

const JSON_FIELDS = new Set(['blocks', 'attachments', 'view', 'metadata']);

export class SlackStandin {
  readonly calls: RecordedCall[] = [];
  readonly problems: string[] = [];
  readonly messages: StoredMessage[] = [];
  readonly ephemerals: (StoredMessage & { target: string })[] = [];
  readonly views = new Map<string, any>();
  readonly responses: { id: string; body: any }[] = [];
  readonly channels = new Map<string, { id: string; name: string; members: Set<string> }>();
  private readonly faults: Fault[] = [];
  private server: Server | undefined;
  private seq = 0;
  url = '';
  constructor(readonly token = 'xoxb-test-token') {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.route(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server!.close(() => r()));
  }

  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  responseUrl(id: string): string {
    return `${this.url}/response/${id}`;
  }

  /** Makes the next `times` calls (of one method, or any) fail or stall. */
  fault(f: Fault): void {
    this.faults.push({ ...f });
  }

  callsOf(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  channelId(nameOrId: string): string {
    const name = nameOrId.replace(/^#/, '');
    if (this.channels.has(name)) return name;
    for (const c of this.channels.values()) if (c.name === name) return c.id;
    const id = /^[CGD][A-Z0-9]+$/.test(name) ? name : `C${name.toUpperCase().replace(/[^A-Z0-9]/g, '')}`.slice(0, 20);
    this.channels.set(id, { id, name: id === name ? name.toLowerCase() : name, members: new Set() });
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

  private nextTs(): string {
    this.seq += 1;
    return `${Math.floor(Date.now() / 1000)}.${String(this.seq).padStart(6, '0')}`;
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
      const body = raw ? JSON.parse(raw) : {};
      this.responses.push({ id: path.slice('/response/'.length), body });
      this.check(body, `response_url ${path}`);
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
    if (auth !== `Bearer ${this.token}`) return send(200, { ok: false, error: 'invalid_auth' });
    send(200, this.handle(method, args));
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
          // leave as is: the check below reports it
        }
      }
    }
    return qs;
  }

  private check(message: any, where: string): void {
    const p = messageProblems({ text: message.text, ...(message.blocks ? { blocks: message.blocks } : {}) });
    if (p) this.problems.push(`${where}: ${p}`);
  }

  private handle(method: string, a: Record<string, any>): Record<string, unknown> {
    switch (method) {
      case 'auth.test':
        return { ok: true, url: 'https://drainpro.slack.test/', team: 'DrainPro', user: 'drainpro-ops', team_id: 'T0DRAIN', user_id: 'UBOT', bot_id: 'BBOT' };
      case 'chat.postMessage': {
        if (!a.channel) return { ok: false, error: 'channel_not_found' };
        this.check(a, 'chat.postMessage');
        const msg: StoredMessage = { ts: this.nextTs(), channel: this.channelId(a.channel), text: a.text ?? '', blocks: a.blocks, user: 'UBOT', ...(a.thread_ts ? { thread_ts: a.thread_ts } : {}) };
        this.messages.push(msg);
        return { ok: true, channel: msg.channel, ts: msg.ts, message: msg };
      }
      case 'chat.update': {
        const msg = this.messages.find((m) => m.channel === this.channelId(a.channel) && m.ts === a.ts);
        if (!msg) return { ok: false, error: 'message_not_found' };
        this.check(a, 'chat.update');
        msg.text = a.text ?? msg.text;
        msg.blocks = a.blocks ?? msg.blocks;
        msg.edited = Date.now();
        return { ok: true, channel: msg.channel, ts: msg.ts };
      }
      case 'chat.postEphemeral': {
        this.check(a, 'chat.postEphemeral');
        const ts = this.nextTs();
        this.ephemerals.push({ ts, channel: this.channelId(a.channel), text: a.text ?? '', blocks: a.blocks, user: 'UBOT', target: a.user });
        return { ok: true, message_ts: ts };
      }
      case 'chat.getPermalink':
        return { ok: true, permalink: `https://drainpro.slack.test/archives/${a.channel}/p${String(a.message_ts).replace('.', '')}` };
      case 'views.open':
      case 'views.push':
      case 'views.update': {
        const view = a.view;
        const p = modalProblems(view);
        if (p) this.problems.push(`${method}: ${p}`);
        const id = method === 'views.update' ? a.view_id : `V${String(this.views.size + 1).padStart(6, '0')}`;
        this.views.set(id, view);
        return { ok: true, view: { id, ...view } };
      }
      case 'conversations.create': {
        const id = this.channelId(a.name);
        return { ok: true, channel: { id, name: a.name } };
      }
      case 'conversations.invite': {
        const c = this.channels.get(this.channelId(a.channel));
        for (const u of String(a.users ?? '').split(',').filter(Boolean)) c?.members.add(u);
        return { ok: true, channel: { id: c?.id } };
      }
      case 'conversations.join':
        return { ok: true, channel: { id: this.channelId(a.channel) } };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }
}

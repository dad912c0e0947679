import { EventEmitter } from 'node:events';
import { slackMessageProblems } from './slack-limits';
import { BOT_USER, DEMO_USERS, type WorkspaceUser } from './users';

/**
 * What a Slack workspace holds — channels, messages, threads, ephemerals, modals, Home tabs, the
 * calls made — and the small operations on it. The Web API methods (web-api.ts) and response_url
 * replies (responses.ts) change it; the HTTP side (slack-workspace.ts) builds on it. Nothing here
 * imports those, so the sandbox's modules point one way.
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
  /** Pinned to its channel (`pins.add`). */
  pinned?: boolean;
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

export class WorkspaceState {
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
  private readonly events = new EventEmitter();
  private seq = 0;
  version = 0;

  constructor(opts: WorkspaceOptions = {}) {
    this.users = new Map([BOT_USER, ...(opts.users ?? DEMO_USERS)].map((u) => [u.id, u]));
    this.commands = opts.commands ?? ['/ops', '/incident'];
    this.events.setMaxListeners(100);
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

  nextTs(): string {
    this.seq += 1;
    return `${Math.floor(Date.now() / 1000)}.${String(this.seq).padStart(6, '0')}`;
  }

  nextId(prefix: string): string {
    this.seq += 1;
    return `${prefix}${String(this.seq).padStart(6, '0')}`;
  }

  /** Checks a message against Slack's documented Block Kit limits; records and returns the problems. */
  check(message: any, where: string): string | undefined {
    const p = slackMessageProblems({ text: message.text, ...(message.blocks ? { blocks: message.blocks } : {}) });
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
}

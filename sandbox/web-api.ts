import { slackViewProblems } from './slack-limits';
import type { ModalView, StoredMessage, WorkspaceState } from './workspace-state';

type Result = Record<string, unknown> & { ok: boolean };

function storeView(ws: WorkspaceState, method: string, id: string, view: any): ModalView {
  const p = slackViewProblems(view, 'modal');
  if (p) ws.problems.push(`${method}: ${p}`);
  ws.views.set(id, view);
  return { id, view, ...(p ? { problems: p } : {}) };
}

function findModal(ws: WorkspaceState, a: Record<string, any>): { stack: ModalView[]; index: number } | undefined {
  for (const stack of ws.modals.values()) {
    const index = stack.findIndex((v) => (a.view_id ? v.id === a.view_id : a.external_id && v.view.external_id === a.external_id));
    if (index >= 0) return { stack, index };
  }
  return undefined;
}

function viewResult(m: ModalView): Result {
  return { ok: true, view: { id: m.id, team_id: 'T0DRAIN', state: { values: {} }, hash: `h${m.id}`, ...m.view } };
}

function views(ws: WorkspaceState, method: string, a: Record<string, any>): Result {
  if (!a.view || typeof a.view !== 'object') return { ok: false, error: 'invalid_arguments' };
  const user = ws.triggers.get(a.trigger_id) ?? 'unknown';
  if (method === 'views.update') {
    const found = findModal(ws, a);
    const id = (found ? found.stack[found.index]!.id : undefined) ?? a.view_id;
    if (!found && !ws.views.has(id)) return { ok: false, error: 'not_found' };
    const m = storeView(ws, method, id, a.view);
    if (found) found.stack[found.index] = m;
    return viewResult(m);
  }
  const m = storeView(ws, method, ws.nextId('V'), a.view);
  const stack = method === 'views.push' ? ws.modals.get(user) : undefined;
  if (stack && stack.length >= 3) return { ok: false, error: 'push_limit_reached' };
  if (stack) stack.push(m);
  else ws.modals.set(user, [m]);
  return viewResult(m);
}

function postMessage(ws: WorkspaceState, a: Record<string, any>): Result {
  if (!a.channel) return { ok: false, error: 'channel_not_found' };
  const p = ws.check(a, 'chat.postMessage');
  const msg: StoredMessage = {
    ts: ws.nextTs(),
    channel: ws.channelId(a.channel),
    text: a.text ?? '',
    blocks: a.blocks,
    user: 'UBOT',
    ...(a.thread_ts ? { thread_ts: a.thread_ts } : {}),
    ...(a.metadata?.event_type ? { metadata: a.metadata } : {}),
    ...(p ? { problems: p } : {}),
  };
  ws.messages.push(msg);
  return { ok: true, channel: msg.channel, ts: msg.ts, message: msg };
}

/** One page of `list` from the offset in `cursor` (Slack's cursors are opaque; ours are offsets). */
function page<T>(list: T[], a: Record<string, any>): { items: T[]; response_metadata: { next_cursor: string } } {
  const from = Number(a.cursor ?? 0) || 0;
  const limit = Math.min(Math.max(Number(a.limit ?? 100) || 100, 1), 1000);
  const items = list.slice(from, from + limit);
  return { items, response_metadata: { next_cursor: from + limit < list.length ? String(from + limit) : '' } };
}

/** A stored message as the history methods return it (metadata only when asked for). */
function asHistory(m: StoredMessage, a: Record<string, any>) {
  const withMeta = a.include_all_metadata === true || a.include_all_metadata === 'true';
  return {
    type: 'message',
    user: m.user,
    text: m.text,
    ts: m.ts,
    ...(m.thread_ts ? { thread_ts: m.thread_ts } : {}),
    ...(m.blocks ? { blocks: m.blocks } : {}),
    ...(withMeta && m.metadata ? { metadata: m.metadata } : {}),
  };
}

function history(ws: WorkspaceState, method: string, a: Record<string, any>): Result {
  const c = a.channel ? ws.channels.get(ws.channelId(a.channel)) : undefined;
  if (!c) return { ok: false, error: 'channel_not_found' };
  const inChannel = ws.messages.filter((m) => m.channel === c.id);
  // history: the channel's own messages (thread replies stay in their thread), newest first;
  // replies: the parent, then its replies, oldest first.
  const list =
    method === 'conversations.history'
      ? inChannel.filter((m) => !m.thread_ts || m.thread_ts === m.ts).reverse()
      : inChannel.filter((m) => m.ts === a.ts || m.thread_ts === a.ts);
  if (method === 'conversations.replies' && !list.some((m) => m.ts === a.ts)) return { ok: false, error: 'thread_not_found' };
  const { items, response_metadata } = page(list, a);
  return { ok: true, messages: items.map((m) => asHistory(m, a)), has_more: !!response_metadata.next_cursor, response_metadata };
}

/** The Web API methods this bot calls, answered from the workspace's state. */
export function handleWebApi(ws: WorkspaceState, method: string, a: Record<string, any>): Result {
  if (method.startsWith('chat.')) return chat(ws, method, a);
  if (method.startsWith('conversations.')) return conversations(ws, method, a);
  if (method.startsWith('users.')) return people(ws, method, a);
  switch (method) {
    case 'auth.test':
      return { ok: true, url: 'https://drainpro.slack.test/', team: 'DrainPro', user: 'drainpro-ops', team_id: 'T0DRAIN', user_id: 'UBOT', bot_id: 'BBOT' };
    case 'views.open':
    case 'views.push':
    case 'views.update':
      return views(ws, method, a);
    case 'views.publish': {
      if (!a.user_id || !a.view) return { ok: false, error: 'invalid_arguments' };
      const p = slackViewProblems(a.view, 'home');
      if (p) ws.problems.push(`views.publish: ${p}`);
      const id = `VHOME${a.user_id}`;
      ws.homes.set(a.user_id, { id, view: a.view, ...(p ? { problems: p } : {}) });
      return { ok: true, view: { id, ...a.view } };
    }
    case 'pins.add': {
      const msg = ws.messages.find((m) => m.channel === ws.channelId(String(a.channel ?? '')) && m.ts === a.timestamp);
      if (!msg) return { ok: false, error: 'message_not_found' };
      if (msg.pinned) return { ok: false, error: 'already_pinned' };
      msg.pinned = true;
      return { ok: true };
    }
    case 'usergroups.list':
      return { ok: true, usergroups: [...ws.usergroups].map(([id, users]) => ({ id, handle: id.toLowerCase(), user_count: users.length })) };
    case 'usergroups.users.list': {
      const users = ws.usergroups.get(a.usergroup);
      return users ? { ok: true, users } : { ok: false, error: 'no_such_subteam' };
    }
    default:
      return { ok: false, error: 'unknown_method' };
  }
}

/** chat.*: messages posted, updated, deleted, ephemeral, and their permalinks. */
function chat(ws: WorkspaceState, method: string, a: Record<string, any>): Result {
  switch (method) {
    case 'chat.postMessage':
      return postMessage(ws, a);
    case 'chat.update': {
      const msg = ws.messages.find((m) => m.channel === ws.channelId(a.channel) && m.ts === a.ts);
      if (!msg) return { ok: false, error: 'message_not_found' };
      const p = ws.check(a, 'chat.update');
      msg.text = a.text ?? msg.text;
      msg.blocks = a.blocks ?? msg.blocks;
      msg.edited = Date.now();
      if (p) msg.problems = p;
      else delete msg.problems;
      return { ok: true, channel: msg.channel, ts: msg.ts };
    }
    case 'chat.delete': {
      const i = ws.messages.findIndex((m) => m.channel === ws.channelId(a.channel) && m.ts === a.ts);
      if (i < 0) return { ok: false, error: 'message_not_found' };
      ws.messages.splice(i, 1);
      return { ok: true, channel: a.channel, ts: a.ts };
    }
    case 'chat.postEphemeral': {
      if (!a.channel || !a.user) return { ok: false, error: 'invalid_arguments' };
      const p = ws.check(a, 'chat.postEphemeral');
      const ts = ws.nextTs();
      ws.ephemerals.push({
        ts,
        channel: ws.channelId(a.channel),
        text: a.text ?? '',
        blocks: a.blocks,
        user: 'UBOT',
        target: a.user,
        ...(a.thread_ts ? { thread_ts: a.thread_ts } : {}),
        ...(p ? { problems: p } : {}),
      });
      return { ok: true, message_ts: ts };
    }
    case 'chat.getPermalink':
      return { ok: true, permalink: `https://drainpro.slack.test/archives/${a.channel}/p${String(a.message_ts).replace('.', '')}` };
    default:
      return { ok: false, error: 'unknown_method' };
  }
}

/** conversations.*: channels, DMs, members and history. */
function conversations(ws: WorkspaceState, method: string, a: Record<string, any>): Result {
  switch (method) {
    case 'conversations.create': {
      if (!a.name) return { ok: false, error: 'invalid_name_required' };
      if ([...ws.channels.values()].some((c) => c.name === a.name)) return { ok: false, error: 'name_taken' };
      const id = ws.channelId(a.name);
      return { ok: true, channel: { id, name: a.name, is_channel: true, is_private: a.is_private === true || a.is_private === 'true' } };
    }
    case 'conversations.invite': {
      const c = ws.channels.get(ws.channelId(a.channel));
      for (const u of String(a.users ?? '')
        .split(',')
        .filter(Boolean))
        c?.members.add(u);
      return { ok: true, channel: { id: c?.id } };
    }
    case 'conversations.history':
    case 'conversations.replies':
      return history(ws, method, a);
    case 'conversations.open': {
      const user = String(a.users ?? '').split(',')[0];
      if (!user || (!ws.users.has(user) && !/^[UW][A-Z0-9]{2,}$/.test(user))) return { ok: false, error: 'user_not_found' };
      return { ok: true, channel: { id: ws.channelId(user) } };
    }
    case 'conversations.list': {
      const { items, response_metadata } = page(
        [...ws.channels.values()].filter((c) => c.kind === 'channel'),
        a,
      );
      return { ok: true, channels: items.map((c) => ({ id: c.id, name: c.name, is_channel: true, is_member: c.members.has('UBOT') })), response_metadata };
    }
    case 'conversations.join':
      return { ok: true, channel: { id: ws.channelId(a.channel) } };
    case 'conversations.info': {
      const c = ws.channels.get(ws.channelId(a.channel));
      return c
        ? { ok: true, channel: { id: c.id, name: c.name, is_channel: c.kind === 'channel', is_im: c.kind === 'im' } }
        : { ok: false, error: 'channel_not_found' };
    }
    default:
      return { ok: false, error: 'unknown_method' };
  }
}

/** users.*: the people of the workspace. */
function people(ws: WorkspaceState, method: string, a: Record<string, any>): Result {
  switch (method) {
    case 'users.info': {
      const u = ws.users.get(a.user);
      if (!u) return { ok: false, error: 'user_not_found' };
      return {
        ok: true,
        user: {
          id: u.id,
          name: u.name,
          real_name: u.realName,
          profile: { real_name: u.realName, display_name: u.name, title: u.title },
          tz: 'America/New_York',
        },
      };
    }
    case 'users.list': {
      const { items, response_metadata } = page([...ws.users.values()], a);
      return {
        ok: true,
        members: items.map((u) => ({
          id: u.id,
          name: u.name,
          real_name: u.realName,
          deleted: false,
          profile: { real_name: u.realName, display_name: u.name },
        })),
        response_metadata,
      };
    }
    default:
      return { ok: false, error: 'unknown_method' };
  }
}

import type { SlackWorkspace } from './slack-workspace';

/** What one person sees of the workspace: the page renders exactly this. */
export interface WorkspaceSnapshot {
  version: number;
  you: string;
  bot: { id: string; name: string };
  users: { id: string; name: string; realName: string; title: string }[];
  channels: { id: string; name: string; kind: 'channel' | 'im' }[];
  /** The app's direct-message channel with you (where the bot writes to you privately). */
  dm: string;
  messages: { ts: string; channel: string; text: string; blocks?: unknown[]; thread_ts?: string; user: string; edited?: number; problems?: string }[];
  ephemerals: { ts: string; channel: string; text: string; blocks?: unknown[]; thread_ts?: string; user: string; problems?: string }[];
  modal: { id: string; view: unknown; errors?: Record<string, string>; problems?: string; depth: number } | null;
  home: { view: unknown; problems?: string } | null;
}

export function snapshotFor(ws: SlackWorkspace, you: string): WorkspaceSnapshot {
  const dm = ws.channelId(you);
  const visible = (id: string) => {
    const c = ws.channels.get(id);
    return !c || c.kind === 'channel' || c.user === you;
  };
  const channels = [...ws.channels.values()]
    .filter((c) => c.kind === 'channel')
    .sort((a, b) => Number(Boolean(b.pinned)) - Number(Boolean(a.pinned)) || (a.pinned ? 0 : a.name.localeCompare(b.name)))
    .map((c) => ({ id: c.id, name: c.name, kind: c.kind }));
  const stack = ws.modals.get(you);
  const top = stack?.at(-1);
  const home = ws.homes.get(you);
  const bot = ws.users.get('UBOT');
  return {
    version: ws.version,
    you,
    bot: { id: 'UBOT', name: bot?.realName ?? 'DrainPro Ops' },
    users: [...ws.users.values()].map((u) => ({ id: u.id, name: u.name, realName: u.realName, title: u.title })),
    channels,
    dm,
    messages: ws.messages.filter((m) => visible(m.channel)),
    ephemerals: ws.ephemerals.filter((e) => e.target === you),
    modal: top
      ? { id: top.id, view: top.view, depth: stack!.length, ...(top.errors ? { errors: top.errors } : {}), ...(top.problems ? { problems: top.problems } : {}) }
      : null,
    home: home ?? null,
  };
}

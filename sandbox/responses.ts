import type { StoredMessage, WorkspaceState } from './workspace-state';

export interface ResponseBody {
  text?: string;
  blocks?: unknown[];
  response_type?: 'ephemeral' | 'in_channel';
  replace_original?: boolean | string;
  delete_original?: boolean | string;
  thread_ts?: string;
}

const yes = (v: unknown) => v === true || v === 'true';

/**
 * What Slack does with a message sent to a response_url (or in a slash command's ack): replace or
 * delete the message the click came from, post in the channel, or show it only to the person.
 * Unknown ids (tests make up their own) are only recorded.
 */
export function applyResponse(ws: WorkspaceState, id: string, body: ResponseBody): void {
  const ctx = ws.responseContexts.get(id);
  if (!ctx) {
    ws.check(body, `response_url ${id}`);
    return;
  }
  const original: StoredMessage | undefined = ctx.messageTs
    ? (ctx.ephemeral ? ws.ephemerals : ws.messages).find((m) => m.channel === ctx.channel && m.ts === ctx.messageTs)
    : undefined;
  if (yes(body.delete_original)) {
    if (original) {
      const list: StoredMessage[] = ctx.ephemeral ? ws.ephemerals : ws.messages;
      list.splice(list.indexOf(original), 1);
    }
    return;
  }
  const problems = ws.check(body, `response_url ${id}`);
  const content = { text: body.text ?? '', ...(body.blocks ? { blocks: body.blocks as any[] } : {}), ...(problems ? { problems } : {}) };
  if (yes(body.replace_original) && original) {
    original.text = content.text;
    original.blocks = content.blocks;
    original.edited = Date.now();
    if (problems) original.problems = problems;
    else delete original.problems;
    return;
  }
  const threadTs = body.thread_ts ?? ctx.threadTs;
  const base = { ts: ws.nextTs(), channel: ctx.channel, user: 'UBOT', ...content, ...(threadTs ? { thread_ts: threadTs } : {}) };
  if (body.response_type === 'in_channel') ws.messages.push(base);
  else {
    ws.ephemerals.push({ ...base, target: ctx.user });
    // A command's first ephemeral answer (its "⏳ …" ack) is what a later replace_original replaces.
    if (!ctx.messageTs) Object.assign(ctx, { messageTs: base.ts, ephemeral: true });
  }
}

import { escapeMrkdwn } from '../../blocks/format';

/**
 * Slack's error strings in one place: which ones no retry can fix, and what a person should do
 * about each. Every reply, log line, `/ops status` entry and `/healthz` reason about a failed
 * Slack call takes its words from here.
 */

/** Errors that stay until a person acts (invite the bot, fix the config, reinstall the app). */
const PERMANENT = new Set([
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'missing_scope',
  'user_not_found',
  'cannot_dm_bot',
]);

/** The error string of a failed Web API call (`not_in_channel`), or undefined for anything else. */
export function slackErrorCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; data?: { error?: unknown } } | null;
  if (e && typeof e === 'object' && e.code === 'slack_webapi_platform_error' && typeof e.data?.error === 'string') return e.data.error;
  return undefined;
}

/** Whether a Web API call failed (refused, rate-limited, unreachable), as opposed to a bug of ours. */
export function isSlackCallError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('slack_webapi_');
}

/** Whether retrying cannot help: the bot, the config or the app install must change first. */
export function isPermanentSlackError(err: unknown): boolean {
  const code = slackErrorCode(err);
  return code !== undefined && PERMANENT.has(code);
}

/** Whether the error concerns the whole app (token, install) rather than one channel. */
export function isAuthError(code: string): boolean {
  return ['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired'].includes(code);
}

/** How a person names a channel the bot posts to: a `<#C…>` link for an id, `#name` otherwise. */
export function channelLabel(channel: string): string {
  const c = channel.replace(/^#/, '');
  if (/^[CG][A-Z0-9]{2,20}$/.test(c)) return `<#${c}>`;
  return `#${escapeMrkdwn(c)}`;
}

/** The same in plain words for logs, `/healthz` and plain_text. */
const plainLabel = (channel: string) => `#${channel.replace(/^#/, '')}`;

/**
 * What went wrong and what to do, as one mrkdwn sentence: "I am not in #ops: `/invite
 * @drainpro-ops` there." `channel` is where the bot tried to post.
 */
export function slackAdvice(err: unknown, channel?: string, plain = false): string {
  const code = slackErrorCode(err);
  const where = channel ? (plain ? plainLabel(channel) : channelLabel(channel)) : 'that channel';
  const needed = (err as { data?: { needed?: unknown } }).data?.needed;
  // A page to a person: a DM. Inviting the bot means nothing there; the member id is what to check.
  if (channel && /^[UW][A-Z0-9]{2,20}$/.test(channel) && ['not_in_channel', 'channel_not_found', 'user_not_found', 'cannot_dm_bot'].includes(code ?? '')) {
    return `Slack will not let me message ${plain ? channel : `<@${channel}>`} (\`${code}\`): check that member id in the config (\`roles.*.members\` in \`OPS_CONFIG\`).`;
  }
  switch (code) {
    case 'not_in_channel':
      return `I am not in ${where}: \`/invite @drainpro-ops\` there.`;
    case 'channel_not_found':
      return `Slack cannot find ${where} (it does not exist, or it is private and I am not in it): fix the channel in the config (\`OPS_CONFIG\`) or \`/invite @drainpro-ops\` there.`;
    case 'is_archived':
      return `${where} is archived: unarchive it or point the config (\`OPS_CONFIG\`) at another channel.`;
    case 'missing_scope':
      return `The app lacks a Slack permission${typeof needed === 'string' ? ` (\`${escapeMrkdwn(needed)}\`)` : ''}: add it under OAuth & Permissions and reinstall the app.`;
    case 'user_not_found':
    case 'cannot_dm_bot':
      return `Slack will not let me message ${where} (\`${code}\`): check the member ids in the config (\`OPS_CONFIG\`).`;
    case undefined:
      return `Slack could not be reached (${escapeMrkdwn(describe(err))}); I will keep trying.`;
    default:
      if (isAuthError(code)) return `Slack refuses my token (\`${code}\`): reinstall the app and set \`SLACK_BOT_TOKEN\` to the new bot token.`;
      return `Slack answered \`${escapeMrkdwn(code)}\`.`;
  }
}

/** Short reason stored on failed rows and shown by `/ops status` and `/healthz`: "not_in_channel: I am not in #ops…". */
export function failureReason(err: unknown, channel?: string): string {
  const code = slackErrorCode(err) ?? 'error';
  return `${code}: ${slackAdvice(err, channel, true)}`.slice(0, 500);
}

function describe(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).slice(0, 200);
}

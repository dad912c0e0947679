import { channelLink, escapeMrkdwn, mention, mrkdwn, type Mrkdwn } from '../../blocks/format';

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
export function channelLabel(channel: string): Mrkdwn {
  return channelLink(channel.replace(/^#/, ''));
}

/** The same in plain words for logs, `/healthz` and plain_text. */
const plainLabel = (channel: string) => `#${channel.replace(/^#/, '')}`;

/**
 * What went wrong and what to do, as one mrkdwn sentence: "I am not in #ops: `/invite
 * @drainpro-ops` there." `channel` is where the bot tried to post; `plain` names it without a link
 * (for logs and `/healthz`).
 */
export function slackAdvice(err: unknown, channel?: string, plain = false): Mrkdwn {
  const code = slackErrorCode(err);
  const c = escapeMrkdwn(code ?? '');
  const where = channel ? (plain ? escapeMrkdwn(plainLabel(channel)) : channelLabel(channel)) : mrkdwn`that channel`;
  const needed = (err as { data?: { needed?: unknown } }).data?.needed;
  // A page to a person: a DM. Inviting the bot means nothing there; the member id is what to check.
  if (channel && /^[UW][A-Z0-9]{2,20}$/.test(channel) && ['not_in_channel', 'channel_not_found', 'user_not_found', 'cannot_dm_bot'].includes(code ?? '')) {
    return mrkdwn`Slack will not let me message ${plain ? escapeMrkdwn(channel) : mention(channel)} (\`${c}\`): check that member id in the config (\`roles.*.members\` in \`OPS_CONFIG\`).`;
  }
  switch (code) {
    case 'not_in_channel':
      return mrkdwn`I am not in ${where}: \`/invite @drainpro-ops\` there.`;
    case 'channel_not_found':
      return mrkdwn`Slack cannot find ${where} (it does not exist, or it is private and I am not in it): fix the channel in the config (\`OPS_CONFIG\`) or \`/invite @drainpro-ops\` there.`;
    case 'is_archived':
      return mrkdwn`${where} is archived: unarchive it or point the config (\`OPS_CONFIG\`) at another channel.`;
    case 'missing_scope':
      return mrkdwn`The app lacks a Slack permission${typeof needed === 'string' ? mrkdwn` (\`${escapeMrkdwn(needed)}\`)` : mrkdwn``}: add it under OAuth &amp; Permissions and reinstall the app.`;
    case 'user_not_found':
    case 'cannot_dm_bot':
      return mrkdwn`Slack will not let me message ${where} (\`${c}\`): check the member ids in the config (\`OPS_CONFIG\`).`;
    case undefined:
      return mrkdwn`Slack could not be reached (${escapeMrkdwn(describe(err))}); I will keep trying.`;
    default:
      if (isAuthError(code)) return mrkdwn`Slack refuses my token (\`${c}\`): reinstall the app and set \`SLACK_BOT_TOKEN\` to the new bot token.`;
      return mrkdwn`Slack answered \`${c}\`.`;
  }
}

/**
 * The advice for a refusal stored earlier (`failureReason`'s leading code, or `slack_failures.error`):
 * rows keep plain words for logs and `/healthz`; a person is shown the advice rendered afresh.
 */
export function adviceFromStored(reason: string | null | undefined, channel?: string): Mrkdwn {
  const code = /^([a-z_]+):/.exec(reason ?? '')?.[1] ?? (reason && /^[a-z_]+$/.test(reason) ? reason : undefined);
  if (!code || code === 'error') return escapeMrkdwn(reason ?? 'Slack refused it.');
  return slackAdvice({ code: 'slack_webapi_platform_error', data: { error: code } }, channel);
}

/** Short reason stored on failed rows and shown by `/ops status` and `/healthz`: "not_in_channel: I am not in #ops…". */
export function failureReason(err: unknown, channel?: string): string {
  const code = slackErrorCode(err) ?? 'error';
  // Plain words: the entities mrkdwn needs are read back (`OAuth & Permissions`).
  const plain = slackAdvice(err, channel, true).replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  return `${code}: ${plain}`.slice(0, 500);
}

function describe(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).slice(0, 200);
}

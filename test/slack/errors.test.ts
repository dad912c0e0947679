import { describe, expect, it } from 'vitest';
import { channelLabel, failureReason, isPermanentSlackError, isSlackCallError, slackAdvice, slackErrorCode } from '../../src/slack/errors';

/** What @slack/web-api throws for `{ ok: false, error }`. */
const platform = (error: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(`An API error occurred: ${error}`), { code: 'slack_webapi_platform_error', data: { ok: false, error, ...extra } });

describe('Slack errors in one place', () => {
  it.each(['invalid_auth', 'account_inactive', 'token_revoked', 'channel_not_found', 'not_in_channel', 'is_archived', 'missing_scope'])(
    '%s is permanent',
    (code) => {
      expect(slackErrorCode(platform(code))).toBe(code);
      expect(isPermanentSlackError(platform(code))).toBe(true);
    },
  );

  it('rate limits, server errors and timeouts are not permanent (they are retried)', () => {
    expect(isPermanentSlackError(platform('ratelimited'))).toBe(false);
    expect(isPermanentSlackError(platform('internal_error'))).toBe(false);
    const timeout = Object.assign(new Error('timeout of 10000ms exceeded'), { code: 'slack_webapi_request_error' });
    expect(isPermanentSlackError(timeout)).toBe(false);
    expect(isSlackCallError(timeout)).toBe(true);
    expect(isSlackCallError(new Error('a bug of ours'))).toBe(false);
  });

  it('says what to do, naming the channel', () => {
    expect(slackAdvice(platform('not_in_channel'), 'ops')).toBe('I am not in #ops: `/invite @drainpro-ops` there.');
    expect(slackAdvice(platform('not_in_channel'), 'C0123ABCD')).toBe('I am not in <#C0123ABCD>: `/invite @drainpro-ops` there.');
    expect(slackAdvice(platform('is_archived'), 'ops')).toBe('#ops is archived: unarchive it or point the config (`OPS_CONFIG`) at another channel.');
    expect(slackAdvice(platform('channel_not_found'), 'ops')).toContain('Slack cannot find #ops');
    expect(slackAdvice(platform('invalid_auth'))).toBe(
      'Slack refuses my token (`invalid_auth`): reinstall the app and set `SLACK_BOT_TOKEN` to the new bot token.',
    );
    expect(slackAdvice(platform('token_revoked'))).toContain('`token_revoked`');
    expect(slackAdvice(platform('missing_scope', { needed: 'channels:manage' }))).toBe(
      'The app lacks a Slack permission (`channels:manage`): add it under OAuth &amp; Permissions and reinstall the app.',
    );
  });

  it('a channel name from config cannot form markup; the stored reason is plain', () => {
    expect(channelLabel('<!channel>')).toBe('#&lt;!channel&gt;');
    expect(failureReason(platform('not_in_channel'), 'ops')).toBe('not_in_channel: I am not in #ops: `/invite @drainpro-ops` there.');
    // A page is a DM: the member id is what to check, not an invitation.
    expect(failureReason(platform('channel_not_found'), 'UOPS')).toBe(
      'channel_not_found: Slack will not let me message UOPS (`channel_not_found`): check that member id in the config (`roles.*.members` in `OPS_CONFIG`).',
    );
  });
});

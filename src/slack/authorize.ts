import type { Authorize, AuthorizeResult } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { describeError } from '../errors';
import type { Logger } from '../logger';

/**
 * Bolt's own single-token authorization calls `auth.test` once in the App constructor and caches
 * the promise: if Slack is slow or down at that moment, the rejection is unhandled (Node exits)
 * and every later event fails authorization until a restart. Here the lookup is warmed at start,
 * retried after a failure, and never awaited on the ack path: until it succeeds the bot answers
 * with just its token (ignoreSelf cannot tell its own messages yet, which no listener relies on).
 */
export function singleWorkspaceAuthorize(client: WebClient, botToken: string, logger: Logger): { authorize: Authorize<boolean>; warm(): Promise<void> } {
  let known: Pick<AuthorizeResult, 'botId' | 'botUserId' | 'teamId'> | undefined;
  let inFlight: Promise<void> | undefined;
  let retryAt = 0;
  const lookUp = (): Promise<void> => {
    if (known) return Promise.resolve();
    if (inFlight || Date.now() < retryAt) return inFlight ?? Promise.resolve();
    inFlight = client.auth
      .test({ token: botToken })
      .then((r) => {
        known = { ...(r.bot_id ? { botId: r.bot_id } : {}), ...(r.user_id ? { botUserId: r.user_id } : {}), ...(r.team_id ? { teamId: r.team_id } : {}) };
      })
      .catch((err: unknown) => {
        retryAt = Date.now() + 10_000;
        logger.warn({ err: describeError(err) }, 'auth.test failed; will retry');
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };
  return {
    authorize: async () => {
      void lookUp();
      return { botToken, ...known };
    },
    warm: lookUp,
  };
}

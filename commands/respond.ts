import { escapeMrkdwn, mrkdwn } from '../blocks/format';
import type { RespondFn } from '@slack/bolt';
import { buildNotice } from '../blocks/help';
import type { Message } from '../blocks/limits';
import type { Deps } from '../src/deps';
import { describeError, isDatabaseUnavailable, newRef } from '../src/errors';
import { isPermanentSlackError, slackAdvice } from '../src/slack/errors';
import { replayScope } from '../src/slack/request-scope';

/**
 * Tells only the person who acted; never throws (there is nobody left to tell). `replace`: the
 * answer takes the place of the "⏳ …" placeholder the command was acknowledged with. Where the
 * response_url cannot take it (a request replayed after a crash, whose url may have expired), the
 * reply goes to the person by DM instead.
 */
export async function tellUser(deps: Deps, respond: RespondFn | undefined, message: Message, opts: { replace?: boolean } = {}): Promise<void> {
  try {
    if (!respond) throw new Error('no response_url');
    await respond({ response_type: 'ephemeral', replace_original: opts.replace ?? false, ...message });
    return;
  } catch (err) {
    const scope = replayScope();
    if (!scope?.userId) {
      if (respond) deps.logger.warn({ err: describeError(err) }, 'could not send ephemeral reply');
      return;
    }
    try {
      await deps.slack.chat.postMessage({ channel: scope.userId, ...message });
    } catch (dmErr) {
      deps.logger.warn({ err: describeError(err), dmErr: describeError(dmErr), user: scope.userId }, 'could not reply by response_url nor by DM');
    }
  }
}

/**
 * The one place errors from listeners end: Slack's refusals and a database outage are explained;
 * anything else is logged with a short ref that the user also sees, so a report can be matched to the log line.
 */
export async function reportError(
  deps: Deps,
  err: unknown,
  respond: RespondFn | undefined,
  context: Record<string, unknown>,
  opts: { replace?: boolean } = {},
): Promise<void> {
  const ref = newRef();
  if (isPermanentSlackError(err)) {
    // Not a bug: Slack refused for a reason a person can fix, so say which and how.
    deps.logger.error({ ...context, ref, err: describeError(err) }, 'Slack refused the request');
    await tellUser(deps, respond, buildNotice(mrkdwn`:warning: ${slackAdvice(err)}`), opts);
    return;
  }
  if (isDatabaseUnavailable(err)) {
    deps.logger.warn({ ...context, ref, err: describeError(err) }, 'database unavailable');
    await tellUser(
      deps,
      respond,
      buildNotice(
        mrkdwn`:hourglass: The database is not answering right now, so nothing was done. Please try again in a minute (ref \`${escapeMrkdwn(ref)}\`).`,
      ),
      opts,
    );
    return;
  }
  deps.logger.error({ ...context, ref, err: describeError(err) }, 'listener failed');
  await tellUser(
    deps,
    respond,
    buildNotice(mrkdwn`:x: Something went wrong (ref \`${escapeMrkdwn(ref)}\`). Please try again; if it keeps failing, tell the ops team the ref.`),
    opts,
  );
}

import { buildIncidentControl } from '../../blocks/incident-control';
import { mrkdwn } from '../../blocks/format';
import type { Deps } from '../deps';
import { describeError } from '../errors';
import { slackAdvice, slackErrorCode } from '../slack/errors';
import { postOnce, sendKey } from '../slack/send-once';
import { updateMessage } from '../slack/slack-io';
import { recordEvent } from './steps';
import { getIncident, type IncidentRow } from './store';
import { timelineChanged } from './timeline';
import { toView } from './view';

/**
 * The control message in the incident's own channel: posted once (keyed, so a repeat attempt
 * adopts the one an earlier attempt posted), its ts stored with the channel, then pinned. It is
 * re-rendered in place with the announcement (src/incidents/publish.ts `refreshIncident`).
 */
export async function postControl(deps: Deps, row: IncidentRow, channel: string): Promise<string> {
  const sent = await postOnce(deps, sendKey('incident', row, row.declaredAt, 'control'), {
    channel,
    ...buildIncidentControl(toView(row, deps.clock.now())),
  });
  return sent.ts;
}

/**
 * Pins the control message. Pinning is a convenience: when Slack refuses (no `pins:write` scope,
 * the bot not in the channel) the message stays where it was posted, and the log and the
 * timeline say why and what to do.
 */
export async function pinControl(deps: Deps, id: number, channel: string, ts: string): Promise<boolean> {
  try {
    await deps.slack.pins.add({ channel, timestamp: ts });
    return true;
  } catch (err) {
    const code = slackErrorCode(err);
    if (code === 'already_pinned') return true;
    deps.logger.warn({ incident: id, channel, err: describeError(err) }, 'could not pin the incident control message; it is posted unpinned');
    const why =
      code === 'missing_scope'
        ? mrkdwn`Slack refused the pin (\`missing_scope\`): add the \`pins:write\` scope (manifest.yml) and reinstall the app.`
        : slackAdvice(err, channel);
    await deps.db.transaction(async (tx) => {
      const row = await getIncident(tx, id);
      if (row) await recordEvent(tx, row, { kind: 'control', markup: mrkdwn`The control message is posted but not pinned. ${why}` }, deps.clock.now());
    });
    timelineChanged(deps, id);
    return false;
  }
}

/** Re-renders the control message in place; a failure is logged, never in the way of the change. */
export async function refreshControl(deps: Deps, row: IncidentRow): Promise<void> {
  if (!row.controlTs || !row.incidentChannel) return;
  await updateMessage(deps, { channel: row.incidentChannel, ts: row.controlTs, ...buildIncidentControl(toView(row, deps.clock.now())) }).catch((err: unknown) =>
    deps.logger.warn({ incident: row.id, err: describeError(err) }, 'could not update the incident control message'),
  );
}

import { buildIncidentAnnouncement, buildIncidentChannelIntro } from '../../blocks/incident';
import { countdownKey } from '../../blocks/countdown';
import { channelLink, escapeMrkdwn, mrkdwn } from '../../blocks/format';
import type { Deps } from '../deps';
import { describeError } from '../errors';
import { conversationId, firstAttempt, postOnce, sendKey } from '../slack/send-once';
import { updateMessage } from '../slack/slack-io';
import { isPermanentSlackError } from '../slack/errors';
import { recordSlackFailure } from '../slack/failures';
import { whileLeased } from '../lease';
import { incidentChannelName } from './machine';
import { pagedGroups, pagedPeople } from './policy';
import { getIncident, leaseIncident, policyOf, releaseIncident, renewIncidentLease, updateIncident, type IncidentRow } from './store';
import { recordEvent } from './steps';
import { pinControl, postControl, refreshControl } from './control';
import { queueTimelineBatch, timelineChanged } from './timeline';
import { toView } from './view';

/**
 * Posts the announcement of a stored incident, once: the incident is leased while Slack is
 * called (no transaction open meanwhile), so the declaring request and the sweep never both post
 * it. Then queues the timeline entries written before the thread existed.
 */
export async function publishIncident(deps: Deps, id: number): Promise<'posted' | 'already' | 'busy'> {
  const current = await getIncident(deps.db, id);
  if (!current) return 'busy';
  if (!current.messageTs) {
    const row = await leaseIncident(deps.db, id, deps.clock.now());
    if (!row) return 'busy';
    if (!row.messageTs) {
      const posted = await leased(deps, id, () =>
        postOnce(deps, incidentSendKey(row, 'announce'), { channel: row.channel, ...buildIncidentAnnouncement(toView(row, deps.clock.now())) }),
      ).catch(async (err: unknown) => {
        // Not retried by the sweep (unpostedIncidentIds skips it): a person must act first.
        if (isPermanentSlackError(err))
          await recordSlackFailure(deps, deps.db, { owner: 'incident', refId: id, channel: row.channel, err, at: deps.clock.now(), log: { incident: id } });
        throw err;
      });
      const stored = await deps.db.transaction(async (tx) => {
        const updated = await updateIncident(tx, id, { channel: posted.channel, messageTs: posted.ts, leaseUntil: null });
        // What happened before the thread existed: one reply.
        await queueTimelineBatch(tx, updated, deps.clock.now());
        return updated;
      });
      deps.logger.info({ incident: id, channel: posted.channel, ts: posted.ts }, 'incident announced');
      deps.home.changed();
      // Acknowledged (or otherwise changed) while Slack was answering: show the current state.
      if (stored.version !== row.version + 1) await refreshIncident(deps, id);
      await ensureIncidentChannel(deps, id);
      return 'posted';
    }
    await releaseIncident(deps.db, id);
  }
  await ensureIncidentChannel(deps, id);
  return 'already';
}

/** Runs Slack work under the incident's lease; a failure gives the lease back for the next try. */
async function leased<T>(deps: Deps, id: number, work: () => Promise<T>): Promise<T> {
  try {
    return await whileLeased(() => renewIncidentLease(deps.db, id, deps.clock.now()), work);
  } catch (err) {
    await releaseIncident(deps.db, id).catch(() => undefined);
    throw err;
  }
}

const incidentSendKey = (row: IncidentRow, what: string) => sendKey('incident', row, row.declaredAt, what);

const slackError = (err: unknown) => (err as { data?: { error?: string } }).data?.error;

/** P0/P1 (config): a dedicated `inc-<id>-<slug>` channel with the declarer and the paged invited. */
export async function ensureIncidentChannel(deps: Deps, id: number): Promise<void> {
  const cfg = deps.config.incidents;
  const wanted = (r: IncidentRow | undefined): r is IncidentRow & { messageTs: string } =>
    !!r && !r.incidentChannel && !!r.messageTs && cfg.dedicatedChannel && cfg.dedicatedChannelFor.includes(r.severity) && r.state !== 'resolved';
  if (!wanted(await getIncident(deps.db, id))) return;
  const row = await leaseIncident(deps.db, id, deps.clock.now());
  if (!row) return;
  if (!wanted(row)) return releaseIncident(deps.db, id);
  const { channelId, name, controlTs } = await leased(deps, id, async () => {
    // A repeat attempt (an earlier one was cut short) may find its own channel already made: the
    // name carries the incident's id, so a taken name is then adopted rather than a `-2` made.
    const repeat = !(await firstAttempt(deps, incidentSendKey(row, 'channel')));
    let channelId: string | undefined;
    let name = '';
    for (let n = 1; n <= 10 && !channelId; n += 1) {
      name = incidentChannelName(row.id, row.summary, n === 1 ? '' : `-${n}`);
      try {
        channelId = (await deps.slack.conversations.create({ name })).channel?.id;
      } catch (err) {
        if (slackError(err) !== 'name_taken') throw err;
        if (repeat) channelId = await conversationId(deps, name).catch(() => undefined);
        if (channelId) deps.logger.info({ incident: id, channel: channelId, name }, 'incident channel made by an earlier attempt; adopted');
      }
    }
    if (!channelId) throw new Error(`no free channel name for incident ${id}`);
    const people = await peopleToInvite(deps, row, [row.declaredBy]);
    if (people.length) {
      await deps.slack.conversations.invite({ channel: channelId, users: people.join(',') }).catch((err: unknown) => {
        deps.logger.warn({ incident: id, channel: channelId, err: describeError(err) }, 'could not invite everyone to the incident channel');
      });
    }
    const permalink = (await deps.permalinks.of(row.channel, row.messageTs)) ?? null;
    await postOnce(deps, incidentSendKey(row, 'intro'), { channel: channelId, ...buildIncidentChannelIntro(toView(row, deps.clock.now()), permalink) });
    return { channelId, name, controlTs: await postControl(deps, row, channelId) };
  });
  // Stored before it is pinned: every later change updates it in place.
  await deps.db.transaction(async (tx) => {
    const updated = await updateIncident(tx, id, { incidentChannel: channelId, controlTs, leaseUntil: null });
    await recordEvent(
      tx,
      updated,
      { kind: 'channel', markup: mrkdwn`Incident channel ${channelLink(channelId)} (${escapeMrkdwn(name)}) opened` },
      deps.clock.now(),
    );
  });
  await pinControl(deps, id, channelId, controlTs);
  await refreshIncident(deps, id);
}

/**
 * Who belongs in the incident channel: `also`, the people paged so far, and the members of the
 * user groups paged so far (`usergroups.users.list`; a group Slack will not list is skipped with a
 * warning — its members were still paged by mention).
 */
async function peopleToInvite(deps: Deps, row: IncidentRow, also: string[]): Promise<string[]> {
  const policy = policyOf(row);
  const people = [...also, ...pagedPeople(policy, row.level)];
  for (const usergroup of pagedGroups(policy, row.level)) {
    try {
      people.push(...((await deps.slack.usergroups.users.list({ usergroup })).users ?? []));
    } catch (err) {
      deps.logger.warn({ incident: row.id, usergroup, err: describeError(err) }, 'could not list a paged user group; its members are not invited');
    }
  }
  return [...new Set(people)].filter((u) => /^[UW][A-Z0-9]+$/.test(u));
}

/** Invites people paged after the channel was made (an escalation). Best effort. */
export async function inviteToIncidentChannel(deps: Deps, id: number): Promise<void> {
  const row = await getIncident(deps.db, id);
  if (!row?.incidentChannel) return;
  const people = await peopleToInvite(deps, row, []);
  if (!people.length) return;
  await deps.slack.conversations.invite({ channel: row.incidentChannel, users: people.join(',') }).catch((err: unknown) => {
    // already_in_channel and friends: nothing to do.
    deps.logger.debug({ incident: id, err: describeError(err) }, 'incident channel invite');
  });
}

/**
 * Re-renders the announcement and the control message in place (state, lead, level, SLA
 * countdown) and posts the timeline's new entries; concurrent calls coalesce.
 */
export function refreshIncident(deps: Deps, id: number): Promise<void> {
  timelineChanged(deps, id);
  return deps.refreshes.incidents.run(`incident:${id}`, async () => {
    deps.home.changed();
    const row = await getIncident(deps.db, id);
    if (!row?.messageTs) return;
    const view = toView(row, deps.clock.now());
    deps.refreshes.countdowns.set(id, countdownKey(view.sla));
    await refreshControl(deps, row);
    await updateMessage(deps, { channel: row.channel, ts: row.messageTs, ...buildIncidentAnnouncement(view) });
  });
}

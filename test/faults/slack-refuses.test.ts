import { eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { IncidentIds } from '../../blocks/ids';
import { run as runEscalation } from '../../jobs/escalation';
import { checklistRuns, incidents, outbox, slackFailures } from '../../src/db/schema';
import { redeliverRuns } from '../../src/runs/flow';
import { deliverOutbox } from '../../src/outbox';
import { FakeClock, startTestBot, type TestBot } from '../support/harness';
import { latestIncident, quiesce } from '../incidents/support';

/**
 * Slack refuses for good (the bot is not in the channel, the channel is gone, the token is
 * revoked) or nobody is configured: every reply says what happened and what to do, nothing is
 * retried forever, `/healthz` says degraded and `/ops status` lists it.
 */
const clock = new FakeClock(new Date('2026-03-02T14:00:00Z'));
let t: TestBot;
beforeAll(async () => {
  t = await startTestBot({
    clock,
    config: {
      roles: {
        'ops-team': { name: 'Operations team', members: ['UOPS'] },
        'tech-lead': { name: 'Technical Lead', members: ['UTECH'] },
        cto: { name: 'CTO', members: [] },
      },
      disasterRecovery: { enabled: false },
    },
  });
});
afterAll(() => t.close());
afterEach(async () => {
  t.slack.clearFaults();
  await quiesce(t);
  // Each test starts healthy: earlier incidents are closed, so no sweep retries them once their
  // recorded failures are cleared.
  await t.database.db.update(incidents).set({ state: 'resolved', messageTs: sql`coalesce(${incidents.messageTs}, 'gone')` });
  await t.database.db.delete(slackFailures);
  expect(t.slack.problems).toEqual([]);
});

/** Runs a slash command and returns the answer that replaced its "⏳" placeholder. */
async function answerTo(command: string, text: string, match: RegExp, userId = 'UDECL') {
  const from = t.slack.responses.length;
  const res = await t.slash(command, text, { userId });
  expect(res.status).toBe(200);
  const answer = await t.slack.waitFor(() => t.slack.responses.slice(from).find((r) => match.test(String(r.body.text))));
  await t.settle();
  return { ack: res.json, body: answer.body as { text: string; replace_original?: boolean } };
}

async function health() {
  const res = await fetch(`${t.bot.url}/healthz`);
  return { status: res.status, json: (await res.json()) as { status: string; reasons?: string[] } };
}

const errorLines = () => t.logs.map((l) => JSON.parse(l)).filter((l) => l.level === 50);

describe('honest outcomes when Slack refuses', () => {
  it('all well: the reply says the announcement was posted and who was paged, replacing the placeholder', async () => {
    const { ack, body } = await answerTo('/incident', 'p1 Calls drop after ten seconds', /Declared #/);
    expect(ack.text).toContain('Declaring a P1');
    const id = (await latestIncident(t)).id;
    expect(body.replace_original).toBe(true);
    expect(body.text).toBe(`:white_check_mark: Declared #${id} (P1). Announced in #incidents. Paged Technical Lead (<@UTECH>).`);
    expect((await health()).json.status).toBe('ok');
  });

  it('bot not in #incidents: says so and how to fix it; the sweep does not retry; /healthz degraded; /ops status lists it', async () => {
    t.slack.fault({ method: 'chat.postMessage', channel: 'incidents', error: 'not_in_channel', times: Infinity });
    const { body } = await answerTo('/incident', 'p1 Checkout slow', /Declared #/);
    const id = (await latestIncident(t)).id;
    expect(body.text).toContain(
      `:warning: Declared #${id} (P1). I could not announce it in #incidents: I am not in #incidents: \`/invite @drainpro-ops\` there.`,
    );
    expect(body.text).toContain('Paged Technical Lead (<@UTECH>).');
    expect(body.text).not.toContain('Announced');
    expect(errorLines().some((l) => l.slackError === 'not_in_channel' && l.owner === 'incident')).toBe(true);
    // The escalation sweep would have retried the announcement every few seconds, forever.
    const calls = () => t.slack.callsOf('chat.postMessage').filter((c) => c.args.channel === 'incidents').length;
    const before = calls();
    for (let n = 1; n <= 3; n += 1) await runEscalation(t.bot.deps, new Date(clock.now().getTime() + n * 60_000));
    expect(calls()).toBe(before);
    const h = await health();
    expect(h.status).toBe(200);
    expect(h.json.status).toBe('degraded');
    expect(h.json.reasons).toEqual(['slack: not_in_channel: I am not in #incidents: `/invite @drainpro-ops` there.']);
    const { body: status } = await answerTo('/ops', 'status', /Today/);
    expect(status.replace_original).toBe(true);
    const blocks = JSON.stringify((t.slack.responses.at(-1)!.body as { blocks: unknown[] }).blocks);
    expect(blocks).toContain(`Announcement of incident #${id}`);
    expect(blocks).toContain('I am not in #incidents: `/invite @drainpro-ops` there.');
  });

  it('nobody configured for a level: the reply names the level and the setting', async () => {
    const { body } = await answerTo('/incident', 'p0 Everything is down', /Declared #/);
    // P0 pages the ops team and the CTO at once; no CTO is configured here.
    expect(body.text).toContain('Paged Operations team (<@UOPS>).');
    expect(body.text).toContain('Nobody is configured for CTO: set `roles.cto.members` in the config.');
    expect(body.text.startsWith(':warning:')).toBe(true);
    // One `level` per log line: pino's severity; the escalation level is `escalationLevel`.
    const raw = t.logs.find((l) => l.includes('escalation level has nobody configured'))!;
    expect(raw.match(/"level":/g)).toHaveLength(1);
    expect(JSON.parse(raw)).toMatchObject({ level: 50, escalationLevel: 'cto', msg: 'escalation level has nobody configured: set roles.cto.members' });
  });

  it('missing_scope for the dedicated channel: announced, the reply says the channel could not be made, and it is not retried', async () => {
    t.slack.fault({ method: 'conversations.create', error: 'missing_scope', times: Infinity });
    const { body } = await answerTo('/incident', 'p1 Phones ring out', /Declared #/);
    expect(body.text).toContain('Announced in <#');
    expect(body.text).toContain(
      "I could not open the incident's own channel: The app lacks a Slack permission: add it under OAuth &amp; Permissions and reinstall the app.",
    );
    const creates = () => t.slack.callsOf('conversations.create').length;
    const before = creates();
    for (let n = 1; n <= 3; n += 1) await runEscalation(t.bot.deps, new Date(clock.now().getTime() + n * 60_000));
    expect(creates()).toBe(before);
    expect((await health()).json.reasons).toEqual([
      'slack: missing_scope: The app lacks a Slack permission: add it under OAuth & Permissions and reinstall the app.',
    ]);
  });

  it('the declare modal has no response_url: the outcome reaches the declarer by DM', async () => {
    t.slack.fault({ method: 'chat.postMessage', channel: 'incidents', error: 'not_in_channel', times: Infinity });
    const values = {
      [IncidentIds.severityBlock]: { [IncidentIds.severityInput]: { type: 'static_select', selected_option: { value: 'p1' } } },
      [IncidentIds.summaryBlock]: { [IncidentIds.summaryInput]: { type: 'plain_text_input', value: 'Search is slow' } },
      [IncidentIds.systemBlock]: { [IncidentIds.systemInput]: { type: 'static_select', selected_option: { value: 'ai-agents' } } },
    };
    const res = await t.submitView({ callbackId: IncidentIds.declareModal, privateMetadata: '', values, viewId: 'VHONEST1', userId: 'UERIN' });
    expect(res.status).toBe(200);
    const dm = await t.slack.waitFor(() =>
      t.slack.callsOf('chat.postMessage').find((c) => c.args.channel === 'UERIN' && String(c.args.text).includes('Declared #')),
    );
    expect(String(dm.args.text)).toContain('I could not announce it in #incidents: I am not in #incidents: `/invite @drainpro-ops` there.');
    expect(String(dm.args.text)).toContain('Paged Technical Lead (<@UTECH>).');
    await t.settle();
  });

  it('token revoked (invalid_auth): the reply says so; pages are failed with the reason, not retried', async () => {
    t.slack.fault({ error: 'invalid_auth', times: Infinity });
    const { body } = await answerTo('/incident', 'p1 Webhooks failing', /Declared #/);
    expect(body.text).toContain('Slack refuses my token (`invalid_auth`): reinstall the app and set `SLACK_BOT_TOKEN` to the new bot token.');
    expect(body.text).toContain('Could not page <@UTECH> (Technical Lead)');
    expect(body.text).not.toMatch(/Paged|Announced/);
    const id = (await latestIncident(t)).id;
    const [page] = await t.database.db
      .select()
      .from(outbox)
      .where(eq(outbox.ref, `page:${id}:UTECH`));
    expect(page!.failedAt).toBeInstanceOf(Date);
    expect(page!.lastError).toMatch(/^invalid_auth: Slack refuses my token/);
    const posts = t.slack.callsOf('chat.postMessage').length;
    clock.advance(3_600_000);
    await deliverOutbox(t.bot.deps, clock.now());
    expect(t.slack.callsOf('chat.postMessage').length).toBe(posts);
    expect((await health()).json.reasons).toContain(
      'slack: invalid_auth: Slack refuses my token (`invalid_auth`): reinstall the app and set `SLACK_BOT_TOKEN` to the new bot token.',
    );
  });

  it('a page to a person Slack cannot find: that page fails with the reason, the others go out', async () => {
    t.slack.fault({ method: 'chat.postMessage', channel: 'UOPS', error: 'channel_not_found', times: Infinity });
    const { body } = await answerTo('/incident', 'p0 Database on fire', /Declared #/);
    expect(body.text).toContain(
      'Could not page <@UOPS> (Operations team): Slack will not let me message <@UOPS> (`channel_not_found`): check that member id in the config (`roles.*.members` in `OPS_CONFIG`). Nobody',
    );
    expect(body.text).toContain('Announced in #incidents.');
    const [row] = await t.database.db.select().from(slackFailures).where(eq(slackFailures.owner, 'outbox'));
    expect(row).toMatchObject({ channel: 'UOPS', error: 'channel_not_found' });
  });

  it('/incident ack when the announcement cannot be updated: the change is saved and the reply says what failed', async () => {
    await answerTo('/incident', 'p1 Slow search', /Declared #/);
    const id = (await latestIncident(t)).id;
    t.slack.fault({ method: 'chat.update', error: 'is_archived', times: Infinity });
    const { body } = await answerTo('/incident', `ack ${id}`, /acknowledged/, 'UTECH');
    expect(body.replace_original).toBe(true);
    expect(body.text).toBe(
      `:warning: You acknowledged incident #${id}; paging has stopped. The change is saved, but the announcement does not show it: <#${t.slack.channelId('incidents')}> is archived: unarchive it or point the config (\`OPS_CONFIG\`) at another channel.`,
    );
  });

  it('/ops morning with the bot not in #ops: "I am not in #ops", not "something went wrong"; never re-posted', async () => {
    t.slack.fault({ method: 'chat.postMessage', channel: 'ops', error: 'not_in_channel', times: Infinity });
    const { body } = await answerTo('/ops', 'morning', /Morning/);
    expect(body.replace_original).toBe(true);
    expect(body.text).toBe(
      ':warning: *Morning Checklist* is saved, but I could not post it: I am not in #ops: `/invite @drainpro-ops` there. Then run `/ops morning` again.',
    );
    const [run] = await t.database.db.select().from(checklistRuns).orderBy(checklistRuns.id);
    const calls = t.slack.callsOf('chat.postMessage').length;
    const later = new Date(clock.now().getTime() + 3_600_000);
    expect((await redeliverRuns(t.bot.deps, later)).posted).toEqual([]);
    expect(t.slack.callsOf('chat.postMessage').length).toBe(calls);
    const [failure] = await t.database.db.select().from(slackFailures).where(eq(slackFailures.owner, 'run'));
    expect(failure).toMatchObject({ refId: String(run!.id), error: 'not_in_channel', channel: 'ops' });
    // Invited: the next /ops morning posts and says so.
    t.slack.clearFaults();
    const { body: again } = await answerTo('/ops', 'morning', /Morning/);
    expect(again.text).toBe(`:white_check_mark: Posted *Morning Checklist* to <#${t.slack.channelId('ops')}>.`);
  });
});

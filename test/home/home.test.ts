import { describe, expect, it } from 'vitest';
import { IncidentIds } from '../../blocks/ids';
import { appHomeOpened, postSignedJson, viewBlockAction } from '../../sandbox/payloads';
import { slackViewProblems } from '../../sandbox/slack-limits';
import { declareIncident } from '../../src/incidents/flows';
import { getIncident } from '../../src/incidents/store';
import { probeResults } from '../../src/db/schema';
import { HOME_TIMING } from '../../src/home/publisher';
import { FakeClock, type TestBot } from '../support/harness';
import { postSigned, SIGNING_SECRET } from '../support/slack-requests';
import { deliver, INCIDENT_CONFIG, latestIncident, useIncidentBot } from '../incidents/support';
import { homeAtOnce } from './support';

const clock = new FakeClock(new Date('2026-03-02T14:00:00Z'));
const CONFIG = { ...INCIDENT_CONFIG, roles: { ...INCIDENT_CONFIG.roles, 'ops-manager': { name: 'Operations Manager', members: ['UOPSM'] } } };
let t: TestBot;
const REOPEN_MS = HOME_TIMING.reopenMs;
// Every open publishes here, and rounds follow each other at once; the last test puts the re-open window back.
useIncidentBot({ clock, config: CONFIG, ...homeAtOnce() }, (bot) => {
  t = bot;
});

/** A person opens the Home tab: the signed `app_home_opened` event, then the publish it causes. */
async function openHome(user: string) {
  const before = t.slack.callsOf('views.publish').length;
  const res = await postSignedJson(t.bot.url, appHomeOpened(user, `D${user}`), { secret: SIGNING_SECRET });
  expect(res.status).toBe(200);
  await t.slack.waitFor(() =>
    t.slack
      .callsOf('views.publish')
      .slice(before)
      .some((c) => c.args.user_id === user),
  );
  await t.bot.deps.home.idle();
  return home(user);
}

function home(user: string) {
  const h = t.slack.homes.get(user)!;
  expect(h).toBeTruthy();
  expect(slackViewProblems(h.view, 'home')).toBeNull();
  return { view: h.view, body: JSON.stringify(h.view.blocks) };
}

const texts = (view: any) => (view.blocks as any[]).filter((b) => b.type === 'header').map((b) => b.text.text);

describe('the Home tab', () => {
  it('a person with no role sees the day, the incidents, who is on call and what comes next', async () => {
    const { view, body } = await openHome('UNOBODY');
    expect(t.slack.callsOf('views.publish').at(-1)!.args.user_id).toBe('UNOBODY');
    expect(texts(view)).toEqual([
      'DrainPro Ops',
      'Waiting for you (0)',
      'Open incidents (0)',
      "Today's checklists (0)",
      'On call now',
      'Next checklists',
      'Scorecard this week',
    ]);
    expect(body).toContain('0 met · 0 missed · 12 without data (2026-W10');
    expect(body).toContain('You hold no role in the ops config');
    expect(body).toContain('*Technical Lead*: <@UTECH>');
    expect(body).toContain('*CEO*: <@UCEO>');
    expect(body).toContain('Morning Checklist');
  });

  it("shows this week's scorecard: the headline and each metric off its target", async () => {
    await t.database.db.insert(probeResults).values(
      [0, 1, 2].map((i) => ({
        probe: 'health',
        status: i === 0 ? 'fail' : 'ok',
        summary: 'seeded',
        evidence: { responseMs: 120 },
        durationMs: 5,
        checkedAt: new Date(clock.now().getTime() - i * 60_000),
      })),
    );
    clock.advance(2 * 60_000); // past the minute one computation serves
    const { body } = await openHome('UNOBODY');
    expect(body).toContain('1 met · 1 missed · 10 without data (2026-W10');
    expect(body).toContain('Uptime: *66.67%* (target &gt; 99.9%)');
    expect(body).not.toMatch(/Response time: \*/);
  });

  it('/ops oncall answers anyone with who each level pages now', async () => {
    const res = await t.slash('/ops', 'oncall', { userId: 'UNOBODY' });
    expect(res.status).toBe(200);
    expect(res.json.response_type).toBe('ephemeral');
    const body = JSON.stringify(res.json.blocks);
    expect(body).toContain('*Operations team*: <@UOPS>');
    expect(body).toContain('*CEO*: <@UCEO>');
    expect(t.slack.problems).toEqual([]);
  });

  it("the checklist owner sees today's checklist with progress and link and the items waiting for them; a new incident re-publishes their Home", async () => {
    const res = await t.slash('/ops', 'morning', { userId: 'UOPSM' });
    expect(res.status).toBe(200);
    await t.slack.waitFor(() => t.slack.channelMessages('ops').some((m) => m.text.includes('Morning')));
    const { view, body } = await openHome('UOPSM');
    expect(body).toContain('You are Operations Manager.');
    const waiting = texts(view).find((h: string) => h.startsWith('Waiting for you'))!;
    expect(Number(/\((\d+)\)/.exec(waiting)![1])).toBeGreaterThan(0);
    expect(body).toMatch(/<https:\/\/drainpro\.slack\.test\/archives\/[^|]+\|Morning Checklist> — 0\/\d+ signed/);
    // Someone without a role has nothing waiting, though the checklist is open.
    expect((await openHome('UNOBODY')).body).toContain('Nothing is assigned to you');

    const published = t.slack.callsOf('views.publish').filter((c) => c.args.user_id === 'UOPSM').length;
    await t.slash('/incident', 'p1 Card payments fail at checkout', { userId: 'UOPS' });
    const row = await t.slack.waitFor(async () => {
      const r = await latestIncident(t);
      return r?.messageTs ? r : undefined;
    });
    await t.slack.waitFor(() => t.slack.callsOf('views.publish').filter((c) => c.args.user_id === 'UOPSM').length > published);
    await t.bot.deps.home.idle();
    const after = home('UOPSM').body;
    expect(after).toContain(`#${row.id} P1*`);
    expect(after).toContain('Card payments fail at checkout');
    expect(after).toContain('response ≤ 2 h left');
  });

  it('buttons on Home act through the same rights: a refusal comes by DM, an acknowledgement re-publishes Home', async () => {
    const row = await latestIncident(t);
    const { view } = await openHome('UTECH');
    const actions = (view.blocks as any[]).find((b) => b.type === 'actions' && b.block_id.endsWith(`:${row.id}`));
    expect(actions.elements.map((e: any) => e.text.text)).toEqual(['Acknowledge', 'Resolve', 'Escalate now']);
    const ack = actions.elements[0];
    const click = (userId: string, actionId: string) =>
      postSigned(t.bot.url, viewBlockAction({ actionId, value: ack.value, userId, view: { id: `VHOME${userId}`, type: 'home' } }));

    expect((await click('UNOBODY', IncidentIds.resolve)).status).toBe(200);
    await t.settle();
    const dm = await t.slack.waitFor(() =>
      t.slack.callsOf('chat.postMessage').find((c) => c.args.channel === 'UNOBODY' && String(c.args.text).includes('may resolve')),
    );
    expect(String(dm.args.text)).toContain(`may resolve incident #${row.id}`);
    expect((await getIncident(t.database.db, row.id))!.state).toBe('open');

    expect((await click('UTECH', IncidentIds.ack)).status).toBe(200);
    await t.settle();
    await deliver(t);
    await t.slack.waitFor(async () => (await getIncident(t.database.db, row.id))!.state === 'acknowledged');
    await t.slack.waitFor(() => !JSON.stringify(t.slack.homes.get('UTECH')!.view.blocks).includes('"Acknowledge"'));
    await t.bot.deps.home.idle();
    expect(home('UTECH').body).toContain('acknowledged');
  });

  it('stays within 100 blocks with many open incidents (the CEO)', async () => {
    for (let i = 0; i < 40; i += 1) {
      await declareIncident(t.bot.deps, {
        severity: i % 2 ? 'p2' : 'p3',
        summary: `Noise ${i} ${'x'.repeat(150)}`,
        declaredBy: 'UOPS',
        source: 'slash',
        dedupeKey: `home-many-${i}`,
      });
    }
    const { view, body } = await openHome('UCEO');
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(body).toContain('You are CEO.');
    expect(texts(view)).toContain('Open incidents (41)');
    expect(body).toContain('…and 31 more: `/incident list`');
  });

  it('opening Home again within seconds publishes once; an event for no real user publishes nothing', async () => {
    HOME_TIMING.reopenMs = REOPEN_MS;
    await openHome('UREOPEN');
    const n = t.slack.callsOf('views.publish').length;
    for (let i = 0; i < 5; i += 1) expect((await postSignedJson(t.bot.url, appHomeOpened('UREOPEN', 'DREOPEN'), { secret: SIGNING_SECRET })).status).toBe(200);
    expect(
      (
        await postSignedJson(
          t.bot.url,
          { ...appHomeOpened('UREOPEN', 'DREOPEN'), event: { type: 'app_home_opened', user: 'not a user', tab: 'home', channel: 'D1', event_ts: '1.2' } },
          { secret: SIGNING_SECRET },
        )
      ).status,
    ).toBe(200);
    await t.settle();
    await t.bot.deps.home.idle();
    expect(t.slack.callsOf('views.publish').length).toBe(n);
  });
});

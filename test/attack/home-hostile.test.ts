import { describe, expect, it } from 'vitest';
import { appHomeOpened, postSignedJson } from '../../sandbox/payloads';
import { slackViewProblems } from '../../sandbox/slack-limits';
import { incidentFollowups } from '../../src/db/schema';
import { HOME_TIMING } from '../../src/home/publisher';
import { FakeClock, type TestBot } from '../support/harness';
import { SIGNING_SECRET } from '../support/slack-requests';
import { useIncidentBot } from '../incidents/support';
import { declare } from '../review/support';

/** The Home tab's follow-ups section fed hostile follow-ups: no ping, no link, a view Slack accepts. */
const clock = new FakeClock(new Date('2026-03-02T14:00:00Z'));
let t: TestBot;
const REOPEN_MS = HOME_TIMING.reopenMs;
useIncidentBot(
  {
    clock,
    before: async () => {
      HOME_TIMING.reopenMs = 0;
    },
    after: async () => {
      HOME_TIMING.reopenMs = REOPEN_MS;
    },
  },
  (bot) => {
    t = bot;
  },
);

describe('Home: hostile follow-ups', () => {
  it('shows them escaped, within the view limits', async () => {
    const inc = await declare(t, 'p2 Slow dashboard');
    const texts = [
      '&lt;!channel&gt; call everyone',
      '&lt;http://evil.example|click&gt; here *bold*',
      `&lt;@U123&gt; \u0000 \ud800 ${'👩‍👩‍👧‍👦'.repeat(200)}`,
      'x'.repeat(5000),
    ];
    for (const [i, text] of texts.entries()) await t.slash('/incident', `followup ${inc.id} ${text} 2026-03-0${i + 3}`, { userId: 'UTECH' });
    await t.settle();
    await t.slack.waitFor(async () => (await t.database.db.select().from(incidentFollowups)).length === texts.length);
    const before = t.slack.callsOf('views.publish').length;
    expect((await postSignedJson(t.bot.url, appHomeOpened('UTECH', 'DUTECH'), { secret: SIGNING_SECRET })).status).toBe(200);
    await t.slack.waitFor(() =>
      t.slack
        .callsOf('views.publish')
        .slice(before)
        .some((c) => c.args.user_id === 'UTECH'),
    );
    await t.bot.deps.home.idle();
    const view = t.slack.homes.get('UTECH')!.view;
    expect(slackViewProblems(view, 'home')).toBeNull();
    const body = JSON.stringify(view.blocks);
    expect(body).toContain('call everyone');
    expect(body).not.toMatch(/<!channel>|<@U123>|<http:\/\/evil/);
  });
});

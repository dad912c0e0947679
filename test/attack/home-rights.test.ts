import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appHomeOpened, postSignedJson } from '../../sandbox/payloads';
import { HOME_TIMING } from '../../src/home/publisher';
import { FakeClock, startTestBot, type TestBot } from '../support/harness';
import { SIGNING_SECRET } from '../support/slack-requests';
import { INCIDENT_CONFIG } from '../incidents/support';

/** The Home tab shows what its viewer may read: a scorecard kept to some roles (`rights.scorecard`) is not on everyone's Home. */
const CONFIG = { ...INCIDENT_CONFIG, rights: { scorecard: ['cto', 'ceo'] } };
const clock = new FakeClock(new Date('2026-03-02T14:00:00Z'));
let t: TestBot;
const REOPEN_MS = HOME_TIMING.reopenMs;
beforeAll(async () => {
  HOME_TIMING.reopenMs = 0;
  t = await startTestBot({ config: CONFIG, clock });
});
afterAll(async () => {
  HOME_TIMING.reopenMs = REOPEN_MS;
  await t.close();
});

async function homeOf(user: string): Promise<string> {
  const before = t.slack.callsOf('views.publish').length;
  expect((await postSignedJson(t.bot.url, appHomeOpened(user, `D${user}`), { secret: SIGNING_SECRET })).status).toBe(200);
  await t.slack.waitFor(() =>
    t.slack
      .callsOf('views.publish')
      .slice(before)
      .some((c) => c.args.user_id === user),
  );
  await t.bot.deps.home.idle();
  return JSON.stringify(t.slack.homes.get(user)!.view.blocks);
}

describe('Home and rights.scorecard', () => {
  it('shows the scorecard to whoever may read it, and not to the others', async () => {
    expect((await t.slash('/ops', 'scorecard', { userId: 'UNOBODY' })).json.text).toContain('may read the scorecard');
    expect(await homeOf('UCTO')).toContain('Scorecard this week');
    expect(await homeOf('UNOBODY')).not.toContain('Scorecard this week');
    expect(t.slack.problems).toEqual([]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checklistRuns } from '../../src/db/schema';
import { appHomeOpened, postSignedJson } from '../../sandbox/payloads';
import { HOME_TIMING } from '../../src/home/publisher';
import { FakeClock, startTestBot, type TestBot } from '../support/harness';
import { SIGNING_SECRET } from '../support/slack-requests';
import { INCIDENT_CONFIG } from '../incidents/support';

/**
 * What a person may not read by its own command is not shown to them elsewhere: a scorecard kept
 * to some roles (`rights.scorecard`) is not on everyone's Home, a DR history kept to some roles
 * (`rights.drHistory`) not in everyone's `/ops status`.
 */
const CONFIG = { ...INCIDENT_CONFIG, rights: { scorecard: ['cto', 'ceo'], drHistory: ['cto', 'ceo'] } };
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

describe('/ops status and rights.drHistory', () => {
  async function status(user: string): Promise<string> {
    const before = t.slack.responses.length;
    await t.slash('/ops', 'status', { userId: user });
    await t.settle();
    return t.slack.responses
      .slice(before)
      .map((r) => JSON.stringify(r.body))
      .join('\n');
  }
  it('shows the latest DR test to whoever may read the DR history, and not to the others', async () => {
    await t.slash('/ops', 'dr-test', { userId: 'UTECH' });
    await t.slack.waitFor(async () => (await t.database.db.select().from(checklistRuns)).some((r) => r.checklistId === 'dr-test' && r.messageTs));
    await t.settle();
    expect((await t.slash('/ops', 'dr', { userId: 'UNOBODY' })).json.text).toContain('may read the DR test history');
    expect(await status('UCTO')).toContain('Latest DR test');
    expect(await status('UNOBODY')).not.toContain('Latest DR test');
    expect(t.slack.problems).toEqual([]);
  });
});

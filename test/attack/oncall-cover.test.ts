import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { oncallOverrides } from '../../src/db/schema';
import { FakeClock, startTestBot, type TestBot } from '../support/harness';
import { quiesce } from '../incidents/support';

/**
 * `/ops oncall cover` from outside: the reply must not claim a DM that Slack refused, and a slow
 * Slack (or a backlog in the outbox) must not hold the slash command's ack past its deadline.
 */
const CONFIG = {
  timezone: 'America/New_York',
  roles: {
    'ops-team': { name: 'Operations team', members: ['UOPS'] },
    'ops-manager': { name: 'Operations Manager', members: ['UMGR'] },
    'tech-lead': { name: 'Technical Lead', members: ['UTA', 'UTB'], rotation: { members: ['UTA', 'UTB'], start: '2026-03-02' } },
    cto: { name: 'CTO', members: ['UCTO'] },
    ceo: { name: 'CEO', members: ['UCEO'] },
  },
  disasterRecovery: { enabled: false },
};
const clock = new FakeClock(new Date('2026-03-10T15:00:00Z'));
let t: TestBot;
beforeAll(async () => {
  t = await startTestBot({ config: CONFIG, clock });
});
afterAll(async () => {
  await t.close();
});
afterEach(async () => {
  t.slack.clearFaults();
  await t.slash('/ops', 'oncall cover tech-lead clear', { userId: 'UMGR' });
  await t.settle();
  await quiesce(t);
  expect(t.slack.problems).toEqual([]);
});

/** Everything the person who typed the command was told: the ack, then replies by response_url. */
async function coverReplies(text: string, userId: string): Promise<string[]> {
  const before = t.slack.responses.length;
  const res = await t.slash('/ops', `oncall cover ${text}`, { userId });
  expect(res.status).toBe(200);
  await t.settle();
  return [String(res.json?.text ?? ''), ...t.slack.responses.slice(before).map((r) => String(r.body?.text ?? ''))];
}

describe('/ops oncall cover tells the truth about its DM', () => {
  it('says the DM could not be sent when Slack refuses it, and the cover still holds', async () => {
    t.slack.fault({ method: 'chat.postMessage', channel: 'UBOT', error: 'cannot_dm_bot', times: 1 });
    const replies = await coverReplies('tech-lead <@UBOT> 2026-03-11', 'UMGR');
    expect(replies[0]).toContain('<@UBOT> covers the *Technical Lead*');
    const all = replies.join('\n');
    expect(all).toMatch(/could not (send|DM)/i);
    const rows = await t.database.db.select().from(oncallOverrides);
    expect(rows.filter((r) => r.userId === 'UBOT' && !r.clearedAt)).toHaveLength(1);
  });

  it('answers within the ack deadline while Slack is slow, and sends the DM after', async () => {
    t.slack.fault({ method: 'chat.postMessage', channel: 'UTA', delayMs: 3_000, times: 1 });
    // Held past the dispatcher's deadline, the ack would go out empty: the person would see nothing.
    const res = await t.slash('/ops', 'oncall cover tech-lead <@UTA> 2026-03-11', { userId: 'UMGR' });
    expect(String(res.json?.text)).toContain('<@UTA> covers the *Technical Lead*');
    await t.settle();
    expect(t.slack.callsOf('chat.postMessage').some((c) => c.args.channel === 'UTA' && String(c.args.text).includes('set you to cover'))).toBe(true);
  });

  it('does not promise a DM again when the same cover is asked again', async () => {
    await coverReplies('tech-lead <@UOPS> 2026-03-11 12:00', 'UMGR');
    const again = await coverReplies('tech-lead <@UOPS> 2026-03-11 12:00', 'UMGR');
    expect(again.join('\n')).not.toContain('I am sending them a DM');
    expect(again[0]).toContain('already');
  });
});

describe('/ops oncall cover asked by two people at once', () => {
  it('leaves one cover in force, and each reply is true of what is stored', async () => {
    const [a, b] = await Promise.all([
      t.slash('/ops', 'oncall cover tech-lead <@UOPS> 2026-03-11', { userId: 'UMGR' }),
      t.slash('/ops', 'oncall cover tech-lead <@UCEO> 2026-03-12', { userId: 'UCTO' }),
    ]);
    await t.settle();
    const active = (await t.database.db.select().from(oncallOverrides)).filter((r) => r.role === 'tech-lead' && !r.clearedAt);
    expect(active).toHaveLength(1);
    // The one set second says it replaced the first.
    const texts = [String(a.json?.text), String(b.json?.text)];
    expect(texts.filter((x) => x.includes('It replaces'))).toHaveLength(1);
  });
});

describe('/ops oncall cover: the person whose cover ends early is told', () => {
  const dmsTo = (user: string, words: string) =>
    t.slack.callsOf('chat.postMessage').filter((c) => c.args.channel === user && String(c.args.text).includes(words)).length;
  it('when another cover replaces theirs, and when it is cleared', async () => {
    const ops0 = dmsTo('UOPS', 'no longer cover');
    const ceo0 = dmsTo('UCEO', 'no longer cover');
    await coverReplies('tech-lead <@UOPS> 2026-03-11', 'UMGR');
    await coverReplies('tech-lead <@UCEO> 2026-03-12', 'UMGR');
    expect(dmsTo('UOPS', 'no longer cover') - ops0).toBe(1);
    await coverReplies('tech-lead clear', 'UMGR');
    expect(dmsTo('UCEO', 'no longer cover') - ceo0).toBe(1);
    // Nothing ended, nobody told.
    await coverReplies('tech-lead clear', 'UMGR');
    expect(dmsTo('UCEO', 'no longer cover') - ceo0).toBe(1);
  });
});

describe('/ops oncall cover with a plain @name (the manifest sends /ops text unescaped)', () => {
  it('looks the person up by handle, and says so when nobody has that name', async () => {
    const replies = await coverReplies('tech-lead @alice 2026-03-11', 'UMGR');
    expect(replies.join('\n')).toContain('<@UALICE> covers the *Technical Lead*');
    const rows = await t.database.db.select().from(oncallOverrides);
    expect(rows.filter((r) => r.userId === 'UALICE' && !r.clearedAt)).toHaveLength(1);
    const unknown = await coverReplies('tech-lead @nobody-here 2026-03-11', 'UMGR');
    expect(unknown.join('\n')).toContain('I know nobody called @nobody-here');
  });
});

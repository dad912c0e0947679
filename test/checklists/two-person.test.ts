import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActionIds, itemRef } from '../../blocks/ids';
import { blockAction } from '../../sandbox/payloads';
import { checklistItems, checklistRuns } from '../../src/db/schema';
import { startTestBot, type TestBot } from '../support/harness';
import { postSigned } from '../support/slack-requests';

// The two-person rule of any checklist (`differentSignerFrom`); the DR tests' records, which
// add their own rules on top, are tested in test/dr/dr-tests.test.ts.
const PAIR = {
  name: 'Release sign-off',
  aliases: ['release'],
  schedule: '0 9 * * 1',
  durationMinutes: 30,
  ownerRole: 'tech-lead',
  channel: 'ops',
  sections: [
    {
      id: 'release',
      title: 'Release',
      items: [
        { id: 'restore-test', title: 'Restore a random daily backup', checks: ['Restore it'] },
        {
          id: 'verify-restore',
          title: 'Verify the restore (a second person)',
          checks: ['Check it'],
          differentSignerFrom: 'restore-test',
        },
      ],
    },
  ],
};

let t: TestBot;
let runId: number;
async function post(): Promise<number> {
  const before = (await t.database.db.select().from(checklistRuns)).map((r) => r.id);
  await t.slash('/ops', 'release');
  const id = await t.slack.waitFor(
    async () => (await t.database.db.select().from(checklistRuns)).find((r) => r.checklistId === 'release' && r.messageTs && !before.includes(r.id))?.id,
  );
  await t.settle();
  return id;
}
beforeAll(async () => {
  t = await startTestBot({ config: { checklists: { release: PAIR } } });
  runId = await post();
});
afterAll(() => t?.close());

async function done(itemId: string, userId: string, run = runId) {
  const before = t.slack.responses.length;
  const res = await postSigned(
    t.bot.url,
    blockAction({
      actionId: ActionIds.itemDone,
      value: itemRef(run, itemId),
      userId,
      channelId: 'COPS',
      messageTs: '1.1',
      responseUrl: t.slack.responseUrl(randomUUID()),
    }),
  );
  expect(res.status).toBe(200);
  await t.settle();
  return t.slack.responses.slice(before).map((r) => String(r.body.text ?? ''));
}
const status = async (itemId: string, run = runId) => (await t.database.db.select().from(checklistItems)).find((i) => i.runId === run && i.itemId === itemId)!;

describe('the two-person rule', () => {
  it('whoever restored cannot verify; someone else can', async () => {
    expect(await done('restore-test', 'UTECH')).toEqual([]);
    expect((await status('restore-test')).signedBy).toBe('UTECH');
    const refused = await done('verify-restore', 'UTECH');
    expect(refused.join('\n')).toContain(
      'You signed “Restore a random daily backup”: “Verify the restore (a second person)” must be signed by someone else (two-person rule).',
    );
    expect((await status('verify-restore')).status).toBe('pending');
    expect(await done('verify-restore', 'UCTO')).toEqual([]);
    expect((await status('verify-restore')).signedBy).toBe('UCTO');
  });

  it('the other way round too: the verifier cannot sign the restore afterwards', async () => {
    const refused = await done('restore-test', 'UCTO');
    expect(refused.join('\n')).toContain('“Restore a random daily backup” must be signed by someone else (two-person rule).');
    expect((await status('restore-test')).signedBy).toBe('UTECH');
  });

  it('one person clicking both items at once: exactly one of the two is signed', async () => {
    const run = await post();
    const replies = await Promise.all([done('restore-test', 'UTECH', run), done('verify-restore', 'UTECH', run)]);
    const signed = [await status('restore-test', run), await status('verify-restore', run)].filter((i) => i.status === 'done');
    expect(signed).toHaveLength(1);
    expect(signed[0]!.signedBy).toBe('UTECH');
    expect(replies.flat().join('\n')).toContain('must be signed by someone else (two-person rule).');
  });
});

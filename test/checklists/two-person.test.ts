import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActionIds, itemRef } from '../../blocks/ids';
import { blockAction } from '../../sandbox/payloads';
import { checklistItems, checklistRuns } from '../../src/db/schema';
import { startTestBot, type TestBot } from '../support/harness';
import { postSigned } from '../support/slack-requests';

let t: TestBot;
let runId: number;
beforeAll(async () => {
  t = await startTestBot();
  await t.slash('/ops', 'dr-test');
  runId = await t.slack.waitFor(async () => (await t.database.db.select().from(checklistRuns)).find((r) => r.checklistId === 'dr-test' && r.messageTs)?.id);
  await t.settle();
});
afterAll(() => t?.close());

async function done(itemId: string, userId: string) {
  const before = t.slack.responses.length;
  const res = await postSigned(
    t.bot.url,
    blockAction({
      actionId: ActionIds.itemDone,
      value: itemRef(runId, itemId),
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
const status = async (itemId: string) => (await t.database.db.select().from(checklistItems)).find((i) => i.runId === runId && i.itemId === itemId)!;

describe('DR test: the two-person rule', () => {
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
});

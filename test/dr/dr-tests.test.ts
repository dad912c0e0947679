import { and, desc, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ActionIds, CallbackIds, itemRef } from '../../blocks/ids';
import { checklistItems, checklistRuns, drTests, incidents, itemEvents } from '../../src/db/schema';
import { DR_INPUT_ACTION, DrFields } from '../../src/dr/tests-input';
import { fallbackProse } from '../../src/summary/fallback';
import { gatherWeekFacts } from '../../src/summary/facts';
import { checkProse } from '../../src/summary/validate';
import { isoWeekOf } from '../../src/summary/week';
import { FakeClock, startTestBot, type TestBot } from '../support/harness';
import { INCIDENT_CONFIG, quiesce } from '../incidents/support';

// The guide's monthly DR test (last Friday, 14:00 New York = 19:00 UTC) as a record: the operator
// records it through the modal, a second person verifies, the targets decide, a miss is an incident.
let t: TestBot;
const clock = new FakeClock(new Date('2026-02-27T19:00:00Z'));
const MIN = 60_000;
const secs = (iso: string) => Math.floor(new Date(iso).getTime() / 1000);

beforeAll(async () => {
  t = await startTestBot({
    clock,
    config: { ...INCIDENT_CONFIG, roles: { ...INCIDENT_CONFIG.roles, 'ops-team': { name: 'Operations team', members: ['UOPS', 'UOPS2'] } } },
  });
});
afterAll(async () => {
  await quiesce(t);
  await t?.close();
});
afterEach(() => expect(t.slack.problems).toEqual([]));

async function postDrTest(): Promise<number> {
  const before = (await t.database.db.select().from(checklistRuns)).length;
  await t.slash('/ops', 'dr-test', { userId: 'UTECH' });
  const id = await t.slack.waitFor(async () => {
    const rows = await t.database.db.select().from(checklistRuns).orderBy(desc(checklistRuns.id));
    return rows.length > before && rows[0]!.messageTs ? rows[0]!.id : undefined;
  });
  await t.settle();
  return id;
}
const runOf = async (runId: number) => (await t.database.db.select().from(checklistRuns).where(eq(checklistRuns.id, runId)))[0]!;
const record = async (runId: number) => (await t.database.db.select().from(drTests).where(eq(drTests.runId, runId)))[0];
const item = async (runId: number, itemId: string) =>
  (
    await t.database.db
      .select()
      .from(checklistItems)
      .where(and(eq(checklistItems.runId, runId), eq(checklistItems.itemId, itemId)))
  )[0]!;
const messageText = async (runId: number) => {
  const run = await runOf(runId);
  return JSON.stringify(t.slack.findMessage(run.channel, run.messageTs!)!.blocks);
};

async function openModal(runId: number, userId: string) {
  const run = await runOf(runId);
  const opens = t.slack.callsOf('views.open').length;
  const res = await t.click({
    actionId: ActionIds.itemDrRecord,
    value: itemRef(runId, 'restore-test'),
    channelId: run.channel,
    messageTs: run.messageTs!,
    userId,
  });
  expect(res.status).toBe(200);
  return (await t.slack.waitFor(() => t.slack.callsOf('views.open')[opens])).args.view;
}

interface Entry {
  start?: string;
  end?: string;
  backup?: string;
  loss?: string;
  evidence?: string;
}
function values(e: Entry) {
  const picker = (iso?: string) => ({ [DR_INPUT_ACTION]: { type: 'datetimepicker', selected_date_time: iso ? secs(iso) : null } });
  const text = (v?: string) => ({ [DR_INPUT_ACTION]: { type: 'plain_text_input', value: v ?? null } });
  return {
    [DrFields.start]: picker(e.start),
    [DrFields.end]: picker(e.end),
    [DrFields.backup]: text(e.backup),
    [DrFields.dataLoss]: text(e.loss),
    [DrFields.evidence]: text(e.evidence),
  };
}
const GOOD: Entry = {
  start: '2026-02-27T19:05:00Z',
  end: '2026-02-27T19:47:00Z',
  backup: 'database/2026-02-26.sql.gz',
  loss: '5',
  evidence: 'https://wiki.example.com/dr/2026-02 restored, row counts match',
};
async function submit(view: { callback_id: string; private_metadata: string }, userId: string, e: Entry) {
  const res = await t.submitView({ callbackId: view.callback_id, privateMetadata: view.private_metadata, values: values(e), userId });
  expect(res.status).toBe(200);
  await t.settle();
  return res;
}

async function click(runId: number, itemId: string, userId: string) {
  const run = await runOf(runId);
  const before = t.slack.responses.length;
  const res = await t.click({ actionId: ActionIds.itemDone, value: itemRef(runId, itemId), channelId: run.channel, messageTs: run.messageTs!, userId });
  expect(res.status).toBe(200);
  return before;
}
const repliesSince = async (n: number) => {
  await t.settle();
  return t.slack.responses.slice(n).map((r) => String(r.body.text ?? ''));
};
const drIncidents = async (runId: number) => (await t.database.db.select().from(incidents)).filter((i) => i.dedupeKey === `dr-test:${runId}`);

describe('a monthly DR test recorded through the modal', () => {
  let runId: number;

  it('the restore item offers "Record DR test"; the modal asks for start, end, backup, data loss and evidence', async () => {
    runId = await postDrTest();
    expect(await messageText(runId)).toContain('"action_id":"item_dr_record"');
    const view = await openModal(runId, 'UTECH');
    expect(view.callback_id).toBe(CallbackIds.drRecord);
    expect(view.blocks.filter((b: { type: string }) => b.type === 'input').map((b: { block_id: string }) => b.block_id)).toEqual([
      DrFields.start,
      DrFields.end,
      DrFields.backup,
      DrFields.dataLoss,
      DrFields.evidence,
    ]);
    expect(JSON.stringify(view.blocks)).toContain('recovery under 1 h 00 min, data loss at most 24 h 00 min');
  });

  it('bad input is answered field by field and stores nothing', async () => {
    const view = await openModal(runId, 'UTECH');
    const bad = await submit(view, 'UTECH', { ...GOOD, end: '2026-02-27T19:00:00Z', loss: 'lots', evidence: '  ' });
    expect(bad.json.response_action).toBe('errors');
    expect(bad.json.errors).toEqual({
      [DrFields.end]: 'The end must be after the start.',
      [DrFields.dataLoss]: 'Enter minutes, e.g. 45.',
      [DrFields.evidence]: 'Add a link to the evidence (test report, log, ticket) or a short note of what was checked.',
    });
    const future = await submit(view, 'UTECH', { ...GOOD, end: '2026-02-27T23:00:00Z' });
    expect(future.json.errors).toEqual({ [DrFields.end]: 'This is in the future: record a restore once it is over.' });
    const none = await submit(view, 'UTECH', {});
    expect(Object.keys(none.json.errors).sort()).toEqual(Object.values(DrFields).sort());
    expect(await record(runId)).toBeUndefined();
    expect((await item(runId, 'restore-test')).status).toBe('pending');
  });

  it('a restore within the hour is recorded, signs the restore item and opens no incident', async () => {
    clock.set('2026-02-27T20:00:00Z');
    const view = await openModal(runId, 'UTECH');
    const ok = await submit(view, 'UTECH', GOOD);
    expect(ok.json?.response_action).toBeUndefined();
    const rec = (await record(runId))!;
    expect(rec).toMatchObject({ operator: 'UTECH', backupUsed: GOOD.backup, dataLossMinutes: 5, rtoMinutes: 60, rpoMinutes: 1440, verifier: null });
    expect(rec.endedAt.getTime() - rec.startedAt.getTime()).toBe(42 * MIN);
    expect(await item(runId, 'restore-test')).toMatchObject({ status: 'done', signedBy: 'UTECH' });
    expect(await drIncidents(runId)).toEqual([]);
    const text = await messageText(runId);
    expect(text).toContain('Time to restore: *42 min*');
    expect(text).toContain('recovery 42 min (target &lt; 1 h 00 min): met');
  });

  it('the operator cannot verify their own restore; someone else can, and the record names both', async () => {
    const n = await click(runId, 'verify-restore', 'UTECH');
    expect((await repliesSince(n)).join('\n')).toContain(
      'You signed “Restore a random daily backup”: “Verify the restore (a second person)” must be signed by someone else (two-person rule).',
    );
    expect((await record(runId))!.verifier).toBeNull();
    const m = await click(runId, 'verify-restore', 'UOPS');
    expect(await repliesSince(m)).toEqual([]);
    expect((await record(runId))!.verifier).toBe('UOPS');
    expect(await item(runId, 'verify-restore')).toMatchObject({ status: 'done', signedBy: 'UOPS' });
    // And the verifier may not re-record it: the record is final once verified.
    const view = await openModal(runId, 'UOPS');
    const refused = await submit(view, 'UOPS', GOOD);
    expect(refused.json.errors[DrFields.start]).toBe(
      'You signed “Verify the restore (a second person)”: “Restore a random daily backup” must be signed by someone else (two-person rule).',
    );
  });

  it('a bare Done on the restore item asks for the record', async () => {
    const other = await postDrTest();
    const n = await click(other, 'restore-test', 'UTECH');
    expect((await repliesSince(n)).join('\n')).toContain('Use “Record DR test” on “Restore a random daily backup”');
    expect((await item(other, 'restore-test')).status).toBe('pending');
    const m = await click(other, 'verify-restore', 'UOPS');
    expect((await repliesSince(m)).join('\n')).toContain('Nothing to verify yet');
  });
});

describe('a DR test over its target', () => {
  it('opens one incident of the configured severity, however often it is recorded', async () => {
    const runId = await postDrTest();
    const view = await openModal(runId, 'UTECH');
    await submit(view, 'UTECH', { ...GOOD, start: '2026-02-27T18:30:00Z', end: '2026-02-27T19:45:00Z' });
    await t.slack.waitFor(async () => (await drIncidents(runId)).length === 1);
    const [inc] = await drIncidents(runId);
    expect(inc!.severity).toBe('p1');
    expect(inc!.summary).toContain('Monthly disaster recovery test missed its target: recovery 1 h 15 min (target < 1 h 00 min): MISSED');
    expect(t.slack.callsOf('chat.postMessage').some((c) => c.args.channel === 'UTECH' && String(c.args.text).includes(`incident #${inc!.id} is open`))).toBe(
      true,
    );
    // Corrected (still too slow): the same test, the same incident.
    const again = await openModal(runId, 'UTECH');
    await submit(again, 'UTECH', { ...GOOD, start: '2026-02-27T18:20:00Z', end: '2026-02-27T19:45:00Z', evidence: 'second try of the notes' });
    expect((await record(runId))!.evidence).toBe('second try of the notes');
    expect(await drIncidents(runId)).toHaveLength(1);
    expect(await messageText(runId)).toContain('1 h 25 min (target &lt; 1 h 00 min): MISSED');
  });
});

describe('the two-person rule under concurrency', () => {
  it('two people verifying at once: exactly one is the verifier', async () => {
    const runId = await postDrTest();
    await submit(await openModal(runId, 'UTECH'), 'UTECH', GOOD);
    const n = t.slack.responses.length;
    const run = await runOf(runId);
    const press = (userId: string) =>
      t.click({ actionId: ActionIds.itemDone, value: itemRef(runId, 'verify-restore'), channelId: run.channel, messageTs: run.messageTs!, userId });
    await Promise.all([press('UOPS'), press('UOPS2'), press('UCTO')]);
    const replies = await repliesSince(n);
    const rec = (await record(runId))!;
    expect(['UOPS', 'UOPS2', 'UCTO']).toContain(rec.verifier);
    expect(await item(runId, 'verify-restore')).toMatchObject({ status: 'done', signedBy: rec.verifier });
    const events = (await t.database.db.select().from(itemEvents)).filter((e) => e.runId === runId && e.itemId === 'verify-restore');
    expect(events.map((e) => e.userId)).toEqual([rec.verifier]);
    expect(replies.filter((r) => r.includes('already verified by someone else'))).toHaveLength(2);
  });

  it('the operator recording and verifying at once: only one of the two passes', async () => {
    const runId = await postDrTest();
    const view = await openModal(runId, 'UTECH');
    const run = await runOf(runId);
    const n = t.slack.responses.length;
    const [recorded] = await Promise.all([
      t.submitView({ callbackId: view.callback_id, privateMetadata: view.private_metadata, values: values(GOOD), userId: 'UTECH' }),
      t.click({ actionId: ActionIds.itemDone, value: itemRef(runId, 'verify-restore'), channelId: run.channel, messageTs: run.messageTs!, userId: 'UTECH' }),
    ]);
    const replies = (await repliesSince(n)).join('\n');
    const rec = await record(runId);
    const verify = await item(runId, 'verify-restore');
    // Whichever came first, the same person never holds both signatures.
    expect(rec?.verifier ?? null).toBeNull();
    expect(verify.status).toBe('pending');
    if (rec) {
      expect(recorded.json?.response_action).toBeUndefined();
      expect(replies).toMatch(/You signed “Restore a random daily backup”|Nothing to verify yet/);
    }
  });
});

describe('where DR tests are shown', () => {
  it('/ops dr lists them newest first, a page at a time; bad pages get the usage', async () => {
    // Twelve older monthly tests, not recorded: the history pages.
    const def = t.config.checklists.find((c) => c.id === 'dr-test')!;
    for (let m = 1; m <= 12; m++) {
      await t.database.db.insert(checklistRuns).values({
        checklistId: 'dr-test',
        periodKey: `2025-${String(m).padStart(2, '0')}-old`,
        kind: 'scheduled',
        state: 'missed',
        scheduledFor: new Date(`2025-${String(m).padStart(2, '0')}-20T19:00:00Z`),
        definition: def,
        channel: 'ops',
        createdAt: new Date(`2025-${String(m).padStart(2, '0')}-20T19:00:00Z`),
      });
    }
    const ask = async (text: string) => {
      const n = t.slack.responses.length;
      const res = await t.slash('/ops', text, { userId: 'UCEO' });
      if (res.json.text?.includes('Usage')) return res.json;
      return (await t.slack.waitFor(() => t.slack.responses.slice(n).find((r) => r.body.blocks))).body;
    };
    const first = await ask('dr');
    const sections = first.blocks.filter((b: { type: string }) => b.type === 'section');
    expect(sections).toHaveLength(10);
    expect(first.blocks.length).toBeLessThanOrEqual(50);
    expect(JSON.stringify(first).length).toBeLessThan(13_000);
    // Newest first: this February's tests before last year's.
    expect(sections[0].text.text).toContain('Fri, 27 Feb 2026');
    const all = JSON.stringify(first.blocks);
    expect(all).toContain(':white_check_mark: *Monthly disaster recovery test*');
    expect(all).toContain('Operator <@UTECH>, verified by <@UOPS>');
    expect(all).toContain(':red_circle:');
    expect(all).toContain('Page 1 of 2 · 17 in all · `/ops dr 2` for older ones');
    const second = await ask('dr 2');
    expect(JSON.stringify(second.blocks)).toContain('not posted (the bot was down)');
    expect(JSON.stringify(second.blocks)).toContain('Mon, 20 Jan 2025');
    const bad = await ask('dr soon');
    expect(bad.text).toContain('Usage: `/ops dr [page]`');
  });

  it('/ops status shows the latest DR test and its result', async () => {
    const n = t.slack.responses.length;
    await t.slash('/ops', 'status', { userId: 'UOPS' });
    const reply = await t.slack.waitFor(() => t.slack.responses.slice(n).find((r) => JSON.stringify(r.body.blocks ?? '').includes('Latest DR test')));
    expect(JSON.stringify(reply.body.blocks)).toMatch(/\*Latest DR test:\* .*Monthly disaster recovery test\* · Fri, 27 Feb 2026 — recovery 42 min/);
  });

  it("the week's summary counts the DR tests with their results, in numbers from the facts", async () => {
    const now = clock.now();
    const facts = await gatherWeekFacts(t.database.db, t.config, isoWeekOf(now, t.config.timezone), now);
    const recorded = facts.drTests.filter((d) => d.recorded);
    expect(facts.drTests.length).toBeGreaterThanOrEqual(5);
    expect(recorded.length).toBe(4);
    expect(recorded.filter((d) => d.metTarget === false)).toHaveLength(1);
    expect(recorded.filter((d) => d.verifiedBySecondPerson)).toHaveLength(2);
    const prose = fallbackProse(facts);
    expect(prose.executiveSummary).toContain(
      'Monthly disaster recovery test: recovery 42 min (target under 60 min: met), data loss 5 min (target at most 1440 min: met), verified by a second person.',
    );
    expect(prose.challenges.join(' ')).toContain('DR test over target: Monthly disaster recovery test.');
    expect(checkProse(prose, facts)).toEqual({ ok: true });
  });
});

import { desc, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ActionIds, itemRef } from '../../blocks/ids';
import { remindersJob } from '../../jobs/timers';
import { checklistRuns, drTests, incidents } from '../../src/db/schema';
import { recordDrTest } from '../../src/dr/tests';
import { DR_INPUT_ACTION, DrFields } from '../../src/dr/tests-input';
import { FakeClock, startTestBot, type TestBot } from '../support/harness';
import { INCIDENT_CONFIG, quiesce } from '../incidents/support';

/** The "Record DR test" modal from outside: dates a picker can send that are not this test's restore. */
let t: TestBot;
const clock = new FakeClock(new Date('2026-02-27T19:00:00Z'));
beforeAll(async () => {
  t = await startTestBot({ clock, config: INCIDENT_CONFIG });
});
afterAll(async () => {
  await quiesce(t);
  await t?.close();
});
afterEach(() => expect(t.slack.problems).toEqual([]));

async function openModal(): Promise<{ callback_id: string; private_metadata: string; runId: number }> {
  await t.slash('/ops', 'dr-test', { userId: 'UTECH' });
  const run = await t.slack.waitFor(async () => {
    const [r] = await t.database.db.select().from(checklistRuns).orderBy(desc(checklistRuns.id)).limit(1);
    return r?.messageTs ? r : undefined;
  });
  await t.settle();
  const opens = t.slack.callsOf('views.open').length;
  await t.click({
    actionId: ActionIds.itemDrRecord,
    value: itemRef(run.id, 'restore-test'),
    channelId: run.channel,
    messageTs: run.messageTs!,
    userId: 'UOPS',
  });
  const view = (await t.slack.waitFor(() => t.slack.callsOf('views.open')[opens])).args.view;
  return { ...view, runId: run.id };
}

function values(start: number | null, end: number | null, loss = '5') {
  const picker = (s: number | null) => ({ [DR_INPUT_ACTION]: { type: 'datetimepicker', selected_date_time: s } });
  const text = (v: string) => ({ [DR_INPUT_ACTION]: { type: 'plain_text_input', value: v } });
  return {
    [DrFields.start]: picker(start),
    [DrFields.end]: picker(end),
    [DrFields.backup]: text('database/2026-02-26.sql.gz'),
    [DrFields.dataLoss]: text(loss),
    [DrFields.evidence]: text('restored, row counts match'),
  };
}
const secs = (iso: string) => Math.floor(new Date(iso).getTime() / 1000);

describe('Record DR test: dates that are not this run’s restore', () => {
  it('refuses a picker value no date can hold, under the field, saving nothing', async () => {
    const view = await openModal();
    const res = await t.submitView({ callbackId: view.callback_id, privateMetadata: view.private_metadata, values: values(1e20, 1e20 + 600), userId: 'UOPS' });
    expect(res.status).toBe(200);
    expect(res.json?.response_action).toBe('errors');
    expect(JSON.stringify(res.json?.errors)).not.toContain('Nothing was saved');
    expect(await t.database.db.select().from(drTests).where(eq(drTests.runId, view.runId))).toEqual([]);
  });

  it('refuses a restore that ended before the DR test was posted (last year’s restore is not this month’s test)', async () => {
    const view = await openModal();
    const res = await t.submitView({
      callbackId: view.callback_id,
      privateMetadata: view.private_metadata,
      values: values(secs('2025-02-27T19:05:00Z'), secs('2025-02-27T19:45:00Z')),
      userId: 'UOPS',
    });
    expect(res.json?.response_action).toBe('errors');
    expect(res.json?.errors[DrFields.start]).toContain('more than 2 days before this DR test was due');
    expect(await t.database.db.select().from(drTests).where(eq(drTests.runId, view.runId))).toEqual([]);
  });

  it('still takes a restore done the day before the test was posted', async () => {
    const view = await openModal();
    const res = await t.submitView({
      callbackId: view.callback_id,
      privateMetadata: view.private_metadata,
      values: values(secs('2026-02-26T19:05:00Z'), secs('2026-02-26T19:45:00Z')),
      userId: 'UOPS',
    });
    expect(res.json?.response_action).toBeUndefined();
    await t.settle();
    expect(await t.database.db.select().from(drTests).where(eq(drTests.runId, view.runId))).toHaveLength(1);
  });
});

describe('Record DR test: the same submission twice', () => {
  it('records once, opens one incident and sends one DM about the miss', async () => {
    const view = await openModal();
    const dms = () => t.slack.callsOf('chat.postMessage').filter((c) => c.args.channel === 'UOPS' && String(c.args.text).includes('missed its target')).length;
    const before = dms();
    const input = {
      callbackId: view.callback_id,
      privateMetadata: view.private_metadata,
      values: values(secs('2026-02-27T16:00:00Z'), secs('2026-02-27T18:30:00Z')),
      userId: 'UOPS',
      viewId: 'VREPLAYED',
    };
    expect((await t.submitView(input)).status).toBe(200);
    await t.settle();
    expect((await t.submitView(input)).status).toBe(200);
    await t.settle();
    expect(await t.database.db.select().from(drTests).where(eq(drTests.runId, view.runId))).toHaveLength(1);
    expect(dms() - before).toBe(1);
  });
});

describe('Record DR test: hostile text in the typed fields', () => {
  it('never pings nor links in the checklist message, /ops dr or /ops status', async () => {
    const view = await openModal();
    const hostile = (v: ReturnType<typeof values>) => {
      const out = structuredClone(v);
      (out[DrFields.backup]![DR_INPUT_ACTION] as { value: string }).value = '<!channel> <@U123> db.sql.gz';
      (out[DrFields.evidence]![DR_INPUT_ACTION] as { value: string }).value =
        `<http://evil.example|click> *bold* <!here> \u0000 \ud800 ${'👩‍👩‍👧‍👦'.repeat(300)}`;
      return out;
    };
    const res = await t.submitView({
      callbackId: view.callback_id,
      privateMetadata: view.private_metadata,
      values: hostile(values(secs('2026-02-27T17:05:00Z'), secs('2026-02-27T17:45:00Z'))),
      userId: 'UOPS',
    });
    expect(res.json?.errors ?? null).toBeNull();
    await t.settle();
    const before = t.slack.responses.length;
    await t.slash('/ops', 'dr', { userId: 'UOPS' });
    await t.slash('/ops', 'status', { userId: 'UOPS' });
    await t.settle();
    const [run] = await t.database.db.select().from(checklistRuns).where(eq(checklistRuns.id, view.runId));
    const shown = [
      JSON.stringify(t.slack.findMessage(run!.channel, run!.messageTs!)),
      ...t.slack.responses.slice(before).map((r) => JSON.stringify(r.body)),
    ].join('\n');
    expect(shown).toContain('click');
    expect(shown).not.toMatch(/<!channel>|<!here>|<@U123>|<http:\/\/evil/);
  });
});

describe('Record DR test: the process dies after the record is stored', () => {
  it('a missed target still opens its incident, from the timer sweep, once', async () => {
    const view = await openModal();
    // The record stored with the sign-off (what the submit does before its ack), then nothing: the
    // process died before the incident was declared.
    const out = await recordDrTest(t.bot.deps, {
      runId: view.runId,
      userId: 'UOPS',
      requestKey: 'view:VDIED',
      input: {
        startedAt: new Date('2026-02-27T16:00:00Z'),
        endedAt: new Date('2026-02-27T18:30:00Z'),
        backupUsed: 'database/2026-02-26.sql.gz',
        dataLossMinutes: 5,
        evidence: 'restored',
      },
    });
    expect(out.kind).toBe('recorded');
    const breach = async () => (await t.database.db.select().from(incidents)).filter((i) => i.dedupeKey === `dr-test:${view.runId}`);
    expect(await breach()).toEqual([]);
    clock.advance(5 * 60_000);
    await remindersJob.run(t.bot.deps, clock.now());
    await t.settle();
    expect(await breach()).toHaveLength(1);
    await remindersJob.run(t.bot.deps, clock.now());
    expect(await breach()).toHaveLength(1);
  });
});

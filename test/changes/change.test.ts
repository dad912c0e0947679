import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ActionIds, BlockIds, CallbackIds, InputActionIds, itemRef } from '../../blocks/ids';
import { buildProblemModal } from '../../blocks/problem-modal';
import { timerHandlers } from '../../jobs/timers';
import { checklistRuns, incidentEvents, incidents, probeResults, summaries, timers } from '../../src/db/schema';
import type { WeekFacts } from '../../src/summary/types';
import { deliverOutbox } from '../../src/outbox';
import { sweepTimers } from '../../src/timers';
import { slashCommand } from '../../sandbox/payloads';
import { FakeClock, startTestBot, type TestBot } from '../support/harness';
import { postSigned } from '../support/slack-requests';

let t: TestBot;
const clock = new FakeClock(new Date('2026-03-02T14:00:00Z'));
const HOUR = 3_600_000;

beforeAll(async () => {
  t = await startTestBot({ clock, config: { roles: { 'tech-lead': { name: 'Technical Lead', members: ['UTECH'] } } } });
});
afterAll(() => t?.close());
afterEach(() => expect(t.slack.problems).toEqual([]));

/** `/ops <text>`; `later()` is the answer posted to this request's own response_url (the n-th, from 0). */
async function slash(text: string, userId = 'UTECH') {
  const id = randomUUID();
  const res = await postSigned(t.bot.url, slashCommand({ command: '/ops', text, userId, responseUrl: t.slack.responseUrl(id) }));
  expect(res.status).toBe(200);
  let next = 0;
  const later = async () => {
    const n = next++;
    return (await t.slack.waitFor(() => t.slack.responses.filter((r) => r.id === id)[n])).body as { text: string };
  };
  return { ack: res.json as { text: string }, later };
}

describe("/ops change: the guide's update procedures as runbooks", () => {
  let runId: number;

  it('records the change and posts its steps to the ops channel as a checklist, with the rollback plan', async () => {
    const { ack, later } = await slash('change ghl-workflow Missed-call text-back v2');
    expect(ack.text).toContain('posting the *GHL workflow update* runbook');
    const answer = await later();
    const [run] = await t.database.db.select().from(checklistRuns).where(eq(checklistRuns.checklistId, 'change-ghl-workflow'));
    runId = run!.id;
    expect(answer.text).toContain(
      `Change #${runId} recorded; its 8 steps are in #ops. Rollback plan: Keep previous version as backup; Can revert in 5 minutes if needed.`,
    );
    expect(run!.requestedBy).toBe('UTECH');
    const posted = t.slack.channelMessages('ops').find((m) => m.ts === run!.messageTs)!;
    const body = JSON.stringify(posted.blocks);
    expect(body).toContain('GHL workflow update: Missed-call text-back v2');
    for (const step of ['1. Identify improvement opportunity', '3. Create in GHL (draft mode)', '7. Monitor for 24 hours', '8. Document changes'])
      expect(body).toContain(step);
    expect(body).toContain('Rollback plan ready');
    expect(body).toContain('Can revert in 5 minutes if needed');
  });

  it("a monitoring step signed Done starts its window; at its end the requester is reminded with the probes' verdicts", async () => {
    const run = (await t.database.db.select().from(checklistRuns).where(eq(checklistRuns.id, runId)))[0]!;
    await t.click({ actionId: ActionIds.itemDone, value: itemRef(runId, 'monitor'), channelId: run.channel, messageTs: run.messageTs!, userId: 'UTECH' });
    await t.settle();
    const [timer] = await t.database.db
      .select()
      .from(timers)
      .where(and(eq(timers.kind, 'change-wait'), eq(timers.refId, String(runId))));
    expect(timer!.dueAt.getTime()).toBe(clock.now().getTime() + 24 * HOUR);
    clock.advance(24 * HOUR);
    const swept = await sweepTimers(t.bot.deps.db, clock.now(), timerHandlers(t.bot.deps));
    expect(swept.fired).toContainEqual({ kind: 'change-wait', refId: String(runId), step: 6 });
    await deliverOutbox(t.bot.deps, clock.now());
    const reminder = t.slack.channelMessages('ops').find((m) => m.thread_ts === run.messageTs && m.text.includes('window'))!;
    expect(reminder.text).toContain('<@UTECH>: the 24-hour window of *7. Monitor for 24 hours* (GHL workflow update: Missed-call text-back v2) is over.');
    expect(reminder.text).toContain('`forwarding`');
    expect(reminder.text).toContain('`health`');
    expect((await t.database.db.select().from(probeResults).where(eq(probeResults.runId, runId))).map((p) => p.probe).sort()).toEqual(['forwarding', 'health']);
  });

  it('an incident declared during a monitoring window is linked to the change, on both; one after it is not', async () => {
    // A second change, whose 24-hour window is open.
    await (await slash('change ghl-workflow Review-request timing')).later();
    const run = (await t.database.db.select().from(checklistRuns).where(eq(checklistRuns.checklistId, 'change-ghl-workflow')).orderBy(checklistRuns.id)).at(
      -1,
    )!;
    await t.click({ actionId: ActionIds.itemDone, value: itemRef(run.id, 'monitor'), channelId: run.channel, messageTs: run.messageTs!, userId: 'UTECH' });
    await t.settle();
    clock.advance(2 * HOUR);
    const declare = async (text: string) => {
      await t.slash('/incident', text, { userId: 'UTECH' });
      return t.slack.waitFor(async () => (await t.database.db.select().from(incidents)).find((i) => i.summary === text.slice(3)));
    };
    const during = await declare('p2 Text-back messages not sending');
    await t.settle();
    const links = async (id: number) =>
      (
        await t.database.db
          .select()
          .from(incidentEvents)
          .where(and(eq(incidentEvents.incidentId, id), eq(incidentEvents.kind, 'change')))
      ).map((e) => e.text);
    expect(await t.slack.waitFor(async () => ((await links(during.id)).length ? links(during.id) : undefined))).toEqual([
      `Declared during the monitoring window of change #${run.id} (GHL workflow update: Review-request timing): check its rollback plan`,
    ]);
    const inThread = t.slack.channelMessages('ops').find((m) => m.thread_ts === run.messageTs && m.text.includes(`Incident #${during.id}`))!;
    expect(inThread.text).toContain(`Incident #${during.id} (P2: Text-back messages not sending) was declared during this change's monitoring window.`);
    clock.advance(23 * HOUR); // the window is over
    await sweepTimers(t.bot.deps.db, clock.now(), timerHandlers(t.bot.deps));
    const after = await declare('p2 Unrelated printer jam');
    await t.settle();
    expect(await links(after.id)).toEqual([]);
  });

  it('/ops changes lists it with its progress', async () => {
    const { later } = await slash('changes', 'UOUT');
    const listed = (await later()).text;
    expect(listed).toContain(`#${runId} GHL workflow update: Missed-call text-back v2 — 1/9 steps signed · by <@UTECH>`);
    expect(listed).toContain('Review-request timing — 1/9 steps signed');
  });

  it('the weekly summary counts the changes and the incidents during their windows', async () => {
    const before = t.slack.callsOf('chat.postMessage').length;
    await t.slash('/ops', 'summary this', { userId: 'UTECH' });
    const call = await t.slack.waitFor(
      () =>
        t.slack
          .callsOf('chat.postMessage')
          .slice(before)
          .find((c) => String(c.args.text).startsWith('Weekly summary')),
      15_000,
    );
    const [row] = await t.database.db.select().from(summaries);
    expect((row!.facts as WeekFacts).changes).toEqual({ started: 2, completed: 0, incidentsLinked: 1, failed: 0, probesLinked: 0 });
    expect(JSON.stringify(call.args.blocks)).toContain(
      '*Changes* — 2 recorded · 0 completed · 0 failed · 1 incidents linked to a change (failed, or during its monitoring window)',
    );
    expect((row!.prose as { executiveSummary: string }).executiveSummary).toContain(
      '2 changes recorded, 0 completed, 0 failed, 1 incident linked to a change (a failure or during its monitoring window).',
    );
  });

  it('bad input names the kinds; others are told who may', async () => {
    expect((await slash('change rocket Launch')).ack.text).toContain('Unknown change kind `rocket`');
    expect((await slash('change aws')).ack.text).toContain('kinds: mobile-minor, mobile-major, ghl-workflow, ai-model, ai-prompt, aws, database');
    expect((await slash('change aws New VPC', 'UOUT')).ack.text).toBe(
      ':no_entry: Only the Technical Lead, CTO, CEO, Product Manager or Operations Manager may record changes.',
    );
  });
});

describe('a change marked failed', () => {
  it('opens an incident linked to it on the incident engine; the rollback deadline passing unresolved escalates it, said on both', async () => {
    const { later } = await slash('change mobile-minor Booking screen 2.4.1');
    await later();
    const run = (await t.database.db.select().from(checklistRuns).where(eq(checklistRuns.checklistId, 'change-mobile-minor')))[0]!;
    const marked = await slash(`change failed ${run.id} Crash on launch for Android 12`);
    const answer = (await marked.later()).text;
    const inc = (
      await t.database.db
        .select()
        .from(incidents)
        .where(eq(incidents.sourceRef, `change:${run.id}`))
    )[0]!;
    expect(answer).toContain(`Change #${run.id} is marked failed: incident #${inc.id} follows it on the incident engine; roll back within 4 h.`);
    expect(inc).toMatchObject({ severity: 'p1', source: 'change', summary: `Change #${run.id} failed: Crash on launch for Android 12`, declaredBy: 'UTECH' });
    // The incident engine owns it: its escalation timers are there like any P1's.
    expect(
      (
        await t.database.db
          .select()
          .from(timers)
          .where(eq(timers.refId, String(inc.id)))
      ).map((x) => x.kind),
    ).toEqual(expect.arrayContaining(['incident-response', 'change-rollback']));
    // Marked failed twice: the same incident.
    expect((await (await slash(`change failed ${run.id} Still crashing`)).later()).text).toContain(`incident #${inc.id} (already declared)`);
    await deliverOutbox(t.bot.deps, clock.now());
    expect(t.slack.channelMessages('ops').some((m) => m.thread_ts === run.messageTs && m.text.includes(`incident #${inc.id} declared`))).toBe(true);

    clock.advance(4 * HOUR - 60_000);
    expect((await sweepTimers(t.bot.deps.db, clock.now(), { 'change-rollback': timerHandlers(t.bot.deps)['change-rollback']! })).fired).toEqual([]);
    clock.advance(60_000);
    expect((await sweepTimers(t.bot.deps.db, clock.now(), { 'change-rollback': timerHandlers(t.bot.deps)['change-rollback']! })).fired).toEqual([
      { kind: 'change-rollback', refId: String(inc.id), step: 0 },
    ]);
    await deliverOutbox(t.bot.deps, clock.now());
    const escalated = (
      await t.database.db
        .select()
        .from(incidentEvents)
        .where(and(eq(incidentEvents.incidentId, inc.id), eq(incidentEvents.kind, 'escalated')))
    ).map((e) => e.text);
    expect(escalated).toEqual([
      `Rollback deadline passed: change #${run.id} was to be rolled back within 4 h and the incident is not resolved: escalated to CTO.`,
    ]);
    expect(t.slack.channelMessages('ops').some((m) => m.thread_ts === run.messageTs && m.text.includes('The rollback deadline (4 h) has passed'))).toBe(true);
    expect((await (await slash('change failed 99999 x')).later()).text).toContain('There is no change #99999.');
    expect((await slash('change failed abc')).ack.text).toContain('Usage: `/ops change failed <id> <what happened>`');
  });

  it('a canary step signed Problem is the no-go: the change is marked failed with what was seen', async () => {
    await (await slash('change mobile-minor Booking screen 2.4.2')).later();
    const run = (await t.database.db.select().from(checklistRuns).where(eq(checklistRuns.checklistId, 'change-mobile-minor')).orderBy(checklistRuns.id)).at(
      -1,
    )!;
    expect(JSON.stringify(t.slack.channelMessages('ops').find((m) => m.ts === run.messageTs)!.blocks)).toContain('Go/no-go: Done is go');
    const meta = buildProblemModal({ runId: run.id, itemId: 'canary', itemTitle: 'x', status: 'problem' }).private_metadata!;
    const values = { [BlockIds.noteInput]: { [InputActionIds.note]: { type: 'plain_text_input', value: 'crash rate 3% on the 10%' } } };
    expect((await t.submitView({ callbackId: CallbackIds.problemNote, privateMetadata: meta, values, userId: 'UTECH' })).status).toBe(200);
    const inc = await t.slack.waitFor(
      async () =>
        (
          await t.database.db
            .select()
            .from(incidents)
            .where(eq(incidents.sourceRef, `change:${run.id}`))
        )[0],
    );
    expect(inc.summary).toBe(`Change #${run.id} failed: no-go at "4. Release to 10% of users (canary)": crash rate 3% on the 10%`);
    await t.settle();
    expect(
      (
        await t.database.db
          .select()
          .from(timers)
          .where(and(eq(timers.kind, 'change-rollback'), eq(timers.refId, String(inc.id))))
      ).length,
    ).toBe(1);
  });

  it("after a canary, the monitoring window's end asks for the go/no-go", async () => {
    await (await slash('change mobile-minor Booking screen 2.4.3')).later();
    const run = (await t.database.db.select().from(checklistRuns).where(eq(checklistRuns.checklistId, 'change-mobile-minor')).orderBy(checklistRuns.id)).at(
      -1,
    )!;
    for (const step of ['canary', 'monitor']) {
      await t.click({ actionId: ActionIds.itemDone, value: itemRef(run.id, step), channelId: run.channel, messageTs: run.messageTs!, userId: 'UTECH' });
      await t.settle();
    }
    clock.advance(24 * HOUR);
    await sweepTimers(t.bot.deps.db, clock.now(), timerHandlers(t.bot.deps));
    await deliverOutbox(t.bot.deps, clock.now());
    const ask = t.slack.channelMessages('ops').find((m) => m.thread_ts === run.messageTs && m.text.includes('window'))!;
    expect(ask.text).toContain(
      `*Go/no-go on the canary (4. Release to 10% of users (canary)):* go is signing *6. If no issues, release to 100%*; no-go is \`/ops change failed ${run.id} <what you saw>\` (the rollback clock starts).`,
    );
  });
});

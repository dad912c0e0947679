import { randomUUID } from 'node:crypto';
import { desc, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { slashCommand } from '../../sandbox/payloads';
import { checklistRuns, incidents, timers } from '../../src/db/schema';
import { FakeClock, startTestBot, type TestBot } from '../support/harness';
import { postSigned } from '../support/slack-requests';
import { deliver, INCIDENT_CONFIG, pagesTo, quiesce } from '../incidents/support';

/**
 * A change marked failed, rolled back, its incident resolved; then it fails again. The second
 * `/ops change failed` must not answer with the resolved incident as if it followed the change
 * (nobody paged, no rollback clock): it opens a new incident, and a replay of it joins that one.
 */
let t: TestBot;
const clock = new FakeClock(new Date('2026-03-02T14:00:00Z'));
const MIN = 60_000;
beforeAll(async () => {
  t = await startTestBot({ clock, config: INCIDENT_CONFIG });
});
afterAll(async () => {
  await quiesce(t);
  await t?.close();
});
afterEach(() => expect(t.slack.problems).toEqual([]));

async function command(name: string, text: string, userId = 'UTECH') {
  const id = randomUUID();
  const res = await postSigned(t.bot.url, slashCommand({ command: name, text, userId, responseUrl: t.slack.responseUrl(id) }));
  expect(res.status).toBe(200);
  const done = await t.slack.waitFor(() => t.slack.responses.find((r) => r.id === id && !String((r.body as { text: string }).text).includes('…')));
  await t.settle();
  return String((done.body as { text: string }).text);
}
const changeIncidents = async (runId: number) =>
  t.database.db
    .select()
    .from(incidents)
    .where(eq(incidents.sourceRef, `change:${runId}`))
    .orderBy(desc(incidents.id));

describe('/ops change failed after its incident was resolved', () => {
  it('opens a new incident that pages, with its own rollback clock; a replay joins it', async () => {
    await command('/ops', 'change mobile-major Booking app 3.1');
    const [run] = await t.database.db.select().from(checklistRuns).where(eq(checklistRuns.checklistId, 'change-mobile-major'));
    await command('/ops', `change failed ${run!.id} Payments screen blank`);
    const [first] = await changeIncidents(run!.id);
    await deliver(t);
    clock.advance(20 * MIN);
    expect(await command('/incident', `resolve ${first!.id} rolled back`, 'UTECH')).not.toMatch(/only|may/i);
    await t.slack.waitFor(async () => (await changeIncidents(run!.id))[0]!.state === 'resolved');

    clock.advance(60 * MIN);
    const again = await command('/ops', `change failed ${run!.id} Bookings fail after the roll-forward`);
    const rows = await changeIncidents(run!.id);
    expect(rows).toHaveLength(2);
    const second = rows[0]!;
    expect(second.state).not.toBe('resolved');
    expect(again).toContain(`incident #${second.id}`);
    expect(again).not.toContain('already declared');
    const clocks = await t.database.db.select().from(timers).where(eq(timers.kind, 'change-rollback'));
    expect(clocks.map((c) => c.refId).sort()).toEqual([String(first!.id), String(second.id)].sort());
    await deliver(t);
    expect(pagesTo(t, 'UOPS', second.id).length + pagesTo(t, 'UTECH', second.id).length).toBeGreaterThan(0);

    // The same command again (a replay, or a second person): the open incident, not a third.
    expect(await command('/ops', `change failed ${run!.id} Bookings fail after the roll-forward`)).toContain(`incident #${second.id} (already declared)`);
    expect(await changeIncidents(run!.id)).toHaveLength(2);
  });
});

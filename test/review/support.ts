import { and, eq } from 'drizzle-orm';
import { expect } from 'vitest';
import { IncidentIds, incidentRef } from '../../blocks/ids';
import { checklistItems, incidentReviews, outbox, probeResults } from '../../src/db/schema';
import { getIncident } from '../../src/incidents/store';
import { createRun } from '../../src/runs/store';
import type { TestBot } from '../support/harness';
import { declareBySlash as declare, deliver, MIN } from '../incidents/support';

export { declare, MIN };

/** The final answer of a slash command (the response_url reply after any placeholder). */
export async function reply(t: TestBot, command: string, text: string, userId: string): Promise<{ text: string; blocks: any[] }> {
  const n = t.slack.responses.length;
  await t.slash(command, text, { userId });
  const r = await t.slack.waitFor(() => t.slack.responses.slice(n).find((x) => !/^:hourglass/.test(String(x.body.text))));
  await t.settle();
  await deliver(t);
  return { text: String(r.body.text), blocks: (r.body.blocks as any[]) ?? [] };
}

/** A P1 with a hand escalation, an acknowledgement, a failed probe and a checklist signed Problem in its window; not resolved. */
export async function p1WithHistory(t: TestBot, setClock: (at: Date) => void, t0: Date, summary: string) {
  setClock(t0);
  const inc = await declare(t, `p1 ${summary}`);
  setClock(new Date(t0.getTime() + 5 * MIN));
  await t.click({ actionId: IncidentIds.escalate, value: incidentRef(inc.id, inc.level), channelId: 'CINC', messageTs: inc.messageTs!, userId: 'UTECH' });
  await t.slack.waitFor(async () => (await getIncident(t.database.db, inc.id))!.level > inc.level);
  await t.settle();
  await deliver(t);
  const at10 = new Date(t0.getTime() + 10 * MIN);
  await t.database.db
    .insert(probeResults)
    .values({ probe: 'payments', status: 'fail', summary: 'Stripe: 4 of 9 charges failed', durationMs: 120, checkedAt: at10 });
  const run = await createRun(t.database.db, {
    def: t.config.checklists.find((c) => c.id === 'morning')!,
    periodKey: `adhoc:review-${inc.id}`,
    kind: 'on_demand',
    channel: 'ops',
    now: at10,
  });
  await t.database.db
    .update(checklistItems)
    .set({ status: 'problem' })
    .where(and(eq(checklistItems.runId, run!.id), eq(checklistItems.itemId, 'system-health')));
  setClock(new Date(t0.getTime() + 20 * MIN));
  await reply(t, '/incident', `ack ${inc.id}`, 'UCTO');
  setClock(new Date(t0.getTime() + 50 * MIN));
  return inc;
}

export async function reviewRow(t: TestBot, incidentId: number) {
  return (await t.database.db.select().from(incidentReviews).where(eq(incidentReviews.incidentId, incidentId)))[0];
}

/** The review posts of an incident that reached Slack (by the outbox's ref). */
export async function reviewPosts(t: TestBot, incidentId: number) {
  const rows = await t.database.db
    .select()
    .from(outbox)
    .where(eq(outbox.ref, `incident-review:${incidentId}`));
  return rows;
}

/** The review message in a channel, once posted. */
export async function reviewMessage(t: TestBot, channel: string, incidentId: number) {
  const m = await t.slack.waitFor(() =>
    t.slack.channelMessages(channel).find((x) => String(x.text).includes(`Post-incident review draft for incident #${incidentId}`)),
  );
  expect(m).toBeTruthy();
  return { msg: m, body: JSON.stringify(m.blocks) };
}

import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ActionIds, itemRef } from '../../blocks/ids';
import { timerHandlers } from '../../jobs/timers';
import { slashCommand } from '../../sandbox/payloads';
import { startHealthStandin, type HealthStandin } from '../../sandbox/standins';
import { gatherChangeFacts } from '../../src/changes/facts';
import { checklistRuns, timers } from '../../src/db/schema';
import { deliverOutbox } from '../../src/outbox';
import { sweepTimers } from '../../src/timers';
import { FakeClock, startTestBot, type TestBot } from '../support/harness';
import { postSigned } from '../support/slack-requests';

let t: TestBot;
let health: HealthStandin;
const clock = new FakeClock(new Date('2026-03-02T14:00:00Z'));
const HOUR = 3_600_000;

beforeAll(async () => {
  health = await startHealthStandin();
  t = await startTestBot({
    clock,
    env: { HEALTH_URL: `${health.url}/api/health` },
    config: { roles: { 'tech-lead': { name: 'Technical Lead', members: ['UTECH'] } }, probes: { timeoutMs: 2000, health: { responseTargetMs: 5000 } } },
  });
});
afterAll(async () => {
  await t?.close();
  await health?.close();
});
afterEach(() => expect(t.slack.problems).toEqual([]));

/** `/ops <text>`: the answer that replaced the "…" placeholder, as text plus its blocks' text. */
async function ops(text: string) {
  const id = randomUUID();
  const res = await postSigned(t.bot.url, slashCommand({ command: '/ops', text, userId: 'UTECH', responseUrl: t.slack.responseUrl(id) }));
  expect(res.status).toBe(200);
  const body = (await t.slack.waitFor(() => t.slack.responses.find((r) => r.id === id && !String((r.body as { text: string }).text).endsWith('…')))).body as {
    text: string;
    blocks?: unknown[];
  };
  return `${body.text}\n${JSON.stringify(body.blocks ?? [])}`;
}

/** Records a change and signs its step `stepId` Done, which opens its monitoring window. */
async function changeInWindow(kind: string, what: string, stepId: string) {
  await ops(`change ${kind} ${what}`);
  const run = (
    await t.database.db
      .select()
      .from(checklistRuns)
      .where(eq(checklistRuns.checklistId, `change-${kind}`))
  )[0]!;
  await t.click({ actionId: ActionIds.itemDone, value: itemRef(run.id, stepId), channelId: run.channel, messageTs: run.messageTs!, userId: 'UTECH' });
  await t.settle();
  return run;
}
const thread = (run: { messageTs: string | null }) =>
  t.slack.channelMessages('ops').filter((m) => m.thread_ts === run.messageTs && m.text.includes('probe came back'));
const linkRows = (runId: number) =>
  t.database.db
    .select()
    .from(timers)
    .where(and(eq(timers.kind, 'change-probe-link'), eq(timers.refId, String(runId))));

describe("a failed probe during a change's monitoring window is linked to that change", () => {
  let ghl: Awaited<ReturnType<typeof changeInWindow>>;
  let prompt: Awaited<ReturnType<typeof changeInWindow>>;

  it('a failing health probe is linked to the change that watches health, shown on both, once; not to one that does not', async () => {
    ghl = await changeInWindow('ghl-workflow', 'Missed-call text-back v2', 'monitor'); // watches forwarding, health
    prompt = await changeInWindow('ai-prompt', 'Friendlier booking prompt', 'staging-test'); // watches agents
    clock.advance(2 * HOUR);
    health.setBody({ status: 'degraded', uptime: '97%', all_systems: 'booking api down' });

    const answer = await ops('probe health');
    expect(answer).toContain('*health* — fail');
    expect(answer).toContain(
      `:link: \`health\` fail during the monitoring window of change #${ghl.id} (GHL workflow update: Missed-call text-back v2): if the change caused it, follow its rollback plan.`,
    );
    expect(answer).not.toContain(`change #${prompt.id}`);
    await deliverOutbox(t.bot.deps, clock.now());
    const [line] = thread(ghl);
    expect(line!.text).toContain(`:link: The \`health\` probe came back *fail* during this change's monitoring window`);
    expect(line!.text).toContain(`/ops change failed ${ghl.id} <what happened>`);
    expect(await linkRows(ghl.id)).toHaveLength(1);
    expect(await linkRows(prompt.id)).toEqual([]);
    expect(thread(prompt)).toEqual([]);

    // The same probe failing again: the change is linked once.
    const again = await ops('probe health');
    expect(again).toContain('*health* — fail');
    expect(again).not.toContain(':link:');
    await deliverOutbox(t.bot.deps, clock.now());
    expect(thread(ghl)).toHaveLength(1);
    expect(await linkRows(ghl.id)).toHaveLength(1);
  });

  it('/ops changes shows the link under the change', async () => {
    const listed = await ops('changes');
    expect(listed).toContain(
      `#${ghl.id} GHL workflow update: Missed-call text-back v2 — 1/9 steps signed · by <@UTECH>\n    :link: \`health\` fail during its monitoring window`,
    );
    expect(listed).toContain(`#${prompt.id} AI agent prompt update: Friendlier booking prompt — 1/8 steps signed · by <@UTECH>\n•`);
  });

  it("a checklist's failed probe is linked too, and said in the checklist's thread; after the window nothing is linked", async () => {
    const aws = await changeInWindow('aws', 'RDS minor version upgrade', 'monitor'); // watches health, alarms, errors
    clock.advance(HOUR);
    await t.slash('/ops', 'morning', { userId: 'UTECH' });
    const link = await t.slack.waitFor(() => t.slack.channelMessages('ops').find((m) => m.thread_ts && m.text.includes(`change #${aws.id}`)));
    const morning = t.slack.channelMessages('ops').find((m) => m.ts === link.thread_ts)!;
    expect(morning.text.toLowerCase()).toContain('morning');
    expect(link.text).toContain(
      `:link: \`health\` fail during the monitoring window of change #${aws.id} (AWS infrastructure update: RDS minor version upgrade)`,
    );
    await t.settle();
    await deliverOutbox(t.bot.deps, clock.now());
    expect(thread(aws)).toHaveLength(1);
    expect((await linkRows(aws.id)).map((r) => (r.payload as { probe: string }).probe)).toContain('health');

    const week = await gatherChangeFacts(t.database.db, new Date('2026-03-02T00:00:00Z'), new Date('2026-03-09T00:00:00Z'));
    // The morning's agents probe could not tell (the health stand-in's answer is not the agents' shape):
    // `unknown` counts, and the prompt change watches the agents.
    expect((await linkRows(prompt.id)).map((r) => r.payload)).toEqual([expect.objectContaining({ probe: 'agents', status: 'unknown' })]);
    expect(week).toMatchObject({ started: 3, probesLinked: 3 });

    // Every window is over: a failure now is linked to nothing.
    clock.advance(24 * HOUR);
    await sweepTimers(t.bot.deps.db, clock.now(), timerHandlers(t.bot.deps));
    const before = (await linkRows(aws.id)).length;
    expect(await ops('probe health')).not.toContain(':link:');
    expect(await linkRows(aws.id)).toHaveLength(before);
  });
});

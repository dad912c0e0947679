import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { inboundRequests } from '../../src/db/schema';
import { describe, expect, it } from 'vitest';
import { IncidentIds } from '../../blocks/ids';
import { SUMMARY_MAX } from '../../blocks/incident-modal';
import { run as runEscalation } from '../../jobs/escalation';
import { recordEvent } from '../../src/incidents/steps';
import { getIncident, listEvents } from '../../src/incidents/store';
import { TIMELINE_TIMING } from '../../src/incidents/timeline';
import { messageShortcut } from '../../sandbox/payloads';
import { FakeClock, type TestBot } from '../support/harness';
import { postSigned, SIGNING_SECRET } from '../support/slack-requests';
import { announcement, deliver, latestIncident, newestIncidentId, newIncidentAfter, useIncidentBot } from './support';

/** The message shortcut "Declare an incident", and the compact (batched) timeline. */
const clock = new FakeClock(new Date('2026-03-02T14:00:00Z'));
let t: TestBot;
useIncidentBot({ clock }, (bot) => {
  t = bot;
});

const LONG = `${'🚒 Drain camera 📷 offline; '.repeat(200)}`.slice(0, 5000);
const HOSTILE = `&lt;!channel&gt; <!channel> <http://x|y> *bold* ${LONG}`;

function shortcut(userId: string, text: string, ts = `${Math.floor(Date.now() / 1000)}.000${Math.floor(Math.random() * 900 + 100)}`, triggerId?: string) {
  return postSigned(
    t.bot.url,
    messageShortcut({
      callbackId: IncidentIds.declareShortcut,
      userId,
      channelId: 'COPS',
      message: { ts, text },
      ...(triggerId ? { triggerId } : {}),
      responseUrl: t.slack.responseUrl(randomUUID()),
    }),
    { secret: SIGNING_SECRET },
  );
}

describe('the message shortcut "Declare an incident"', () => {
  it('opens the declare modal prefilled with the message text, cut safely; the incident links back to the message', async () => {
    t.slack.clear();
    const ts = '1772460000.000777';
    const res = await shortcut('UOPS', HOSTILE, ts);
    expect(res.status).toBe(200);
    const open = await t.slack.waitFor(() => t.slack.callsOf('views.open').at(-1));
    const view = open.args.view;
    expect(view.callback_id).toBe(IncidentIds.declareModal);
    const input = view.blocks.find((b: any) => b.block_id === IncidentIds.summaryBlock).element;
    const prefilled = input.initial_value as string;
    // Decoded once (`&lt;` is what Slack sends for a typed `<`), capped between graphemes.
    expect(prefilled.startsWith('<!channel> <!channel> <http://x|y> *bold* 🚒 Drain camera')).toBe(true);
    expect(prefilled.length).toBeLessThanOrEqual(SUMMARY_MAX);
    expect(prefilled).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
    expect(JSON.parse(view.private_metadata)).toEqual({ channel: 'COPS', ts });

    // Submitted as opened (the modal's id and metadata come back with it).
    await t.submitView({
      callbackId: IncidentIds.declareModal,
      privateMetadata: view.private_metadata,
      userId: 'UOPS',
      values: {
        [IncidentIds.severityBlock]: { [IncidentIds.severityInput]: { type: 'static_select', selected_option: { value: 'p2' } } },
        [IncidentIds.summaryBlock]: { [IncidentIds.summaryInput]: { type: 'plain_text_input', value: prefilled } },
        [IncidentIds.systemBlock]: { [IncidentIds.systemInput]: { type: 'static_select', selected_option: { value: 'calls' } } },
      },
    });
    const row = await t.slack.waitFor(async () => {
      const r = await latestIncident(t).catch(() => undefined);
      return r?.source === 'message' && r.messageTs ? r : undefined;
    });
    await t.settle();
    await deliver(t);
    expect(row.summary).toBe(prefilled);
    const permalink = `https://drainpro.slack.test/archives/COPS/p${ts.replace('.', '')}`;
    expect(row.sourceLink).toBe(permalink);
    expect(t.slack.callsOf('chat.getPermalink').some((c) => c.args.channel === 'COPS' && c.args.message_ts === ts)).toBe(true);

    // The announcement links back with the bot's own link; the message's text is inert everywhere.
    const ann = announcement(t, row.id)!;
    const mrkdwnTexts = JSON.stringify(
      (ann.blocks ?? []).filter((b: any) => b.type !== 'header').map((b: any) => [b.text?.text, b.fields, b.elements?.map((e: any) => e.text)]),
    );
    expect(mrkdwnTexts).toContain(`<${permalink}|this message>`);
    for (const raw of ['<!channel>', '<http://x|y>', '*bold*']) {
      expect(mrkdwnTexts).not.toContain(raw);
      expect(ann.text).not.toContain(raw);
    }
    expect(mrkdwnTexts).toContain('&lt;!channel&gt;');
    // The timeline says where it came from, linking the same permalink.
    const source = (await listEvents(t.database.db, row.id)).find((e) => e.kind === 'source')!;
    expect(source.text).toBe(`Declared from <${permalink}|a message> in <#COPS>`);
    const thread = t.slack.channelMessages('incidents').filter((m) => m.thread_ts === row.messageTs);
    expect(thread.map((m) => JSON.stringify(m.blocks)).join()).toContain(`<${permalink}|a message>`);
  });

  it('opens the modal within the trigger id life (3 s), before any queued work', async () => {
    const started = Date.now();
    const triggerId = `trigger-${randomUUID()}`;
    const res = await shortcut('UTECH', 'Forwarding drops calls', undefined, triggerId);
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(3000);
    const open = await t.slack.waitFor(() => t.slack.callsOf('views.open').find((c) => c.args.trigger_id === triggerId));
    expect(open.at - started).toBeLessThan(3000);
    expect(open.args.view.blocks.find((b: any) => b.block_id === IncidentIds.summaryBlock).element.initial_value).toBe('Forwarding drops calls');
    // Through durable intake: the request was stored, and marked done once its work ran.
    await t.settle();
    const [stored] = await t.database.db
      .select()
      .from(inboundRequests)
      .where(eq(inboundRequests.key, `message_action:${triggerId}`));
    expect(stored?.kind).toBe('message_action');
    expect(stored?.doneAt).toBeTruthy();
  });
});

describe('the compact timeline', () => {
  it('20 entries in a second become one or two thread replies; every entry is in the database', async () => {
    const before = await newestIncidentId(t);
    await t.slash('/incident', 'p3 Pricing page typos', { userId: 'UOPS' });
    const row = await newIncidentAfter(t, before);
    await t.settle();
    await deliver(t);
    // The declaration's burst (declared, notified) is already one reply.
    const replies = () => t.slack.callsOf('chat.postMessage').filter((c) => c.args.thread_ts === row.messageTs);
    expect(replies()).toHaveLength(1);
    expect(TIMELINE_TIMING.minGapMs).toBeGreaterThanOrEqual(1000);

    const n = replies().length;
    await Promise.all(Array.from({ length: 20 }, (_, i) => t.slash('/incident', `note ${row.id} Step ${i + 1} checked`, { userId: 'UOPS' })));
    await t.settle();
    await deliver(t);
    const burst = replies().slice(n);
    expect(burst.length).toBeGreaterThanOrEqual(1);
    expect(burst.length).toBeLessThanOrEqual(2);
    const posted = JSON.stringify(burst.map((c) => c.args.blocks));
    for (let i = 1; i <= 20; i += 1) expect(posted).toContain(`Step ${i} checked`);
    const notes = (await listEvents(t.database.db, row.id)).filter((e) => e.kind === 'note');
    expect(notes).toHaveLength(20);
    expect(notes.every((e) => e.threaded)).toBe(true);
  });

  it('entries whose flush never ran (another feature, a crash) are posted by the escalation sweep', async () => {
    const row = (await getIncident(t.database.db, (await latestIncident(t)).id))!;
    const n = t.slack.callsOf('chat.postMessage').filter((c) => c.args.thread_ts === row.messageTs).length;
    const now = clock.now();
    await t.database.db.transaction((tx) => recordEvent(tx, row, { kind: 'procedure', text: 'Left behind by a crash' }, now));
    await runEscalation(t.bot.deps, new Date(now.getTime() + 5_000));
    expect(t.slack.callsOf('chat.postMessage').filter((c) => c.args.thread_ts === row.messageTs)).toHaveLength(n);
    await runEscalation(t.bot.deps, new Date(now.getTime() + TIMELINE_TIMING.sweepAfterMs + 1000));
    const last = t.slack.callsOf('chat.postMessage').filter((c) => c.args.thread_ts === row.messageTs);
    expect(last).toHaveLength(n + 1);
    expect(String(last.at(-1)!.args.text)).toContain('Left behind by a crash');
  });
});

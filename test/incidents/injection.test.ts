import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { ActionIds, BlockIds, IncidentIds, InputActionIds } from '../../blocks/ids';
import { incidentEvents, incidents } from '../../src/db/schema';
import { getIncident, listEvents } from '../../src/incidents/store';
import { FakeClock, type TestBot } from '../support/harness';
import { SUMMARY_MAX } from '../../blocks/incident-modal';
import { userText } from '../../src/user-text';
import { hostileString, markupProblems, seededRandom, textsOf } from '../support/hostile-text';
import { announcement, dayByDay, deliver, newestIncidentId, newIncidentAfter, pagesTo, useIncidentBot } from './support';

/** What a person types; Slack sends slash-command text with `&`, `<`, `>` entity-encoded. */
const TYPED = '<!channel> <!here> <!everyone> <@U123> <#C999> <!subteam^S123> <https://evil.example|click here> *bold* _it_ ~s~ `x`';
const slackEncoded = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const FORBIDDEN = /evil\.example|!channel|!here|!everyone|subteam\^S123|@U123|#C999/;

const clock = new FakeClock(new Date('2026-05-04T14:00:00Z'));
const startDay = dayByDay(clock);
let t: TestBot;
useIncidentBot({ clock }, (bot) => {
  t = bot;
});

/**
 * Everything the bot sent Slack: API calls, response_url posts and the acks of slash commands.
 * Every mrkdwn and fallback string must be free of the tokens people typed.
 */
function everythingSent(acks: unknown[]): { where: string; body: unknown }[] {
  const calls = t.slack.calls
    .filter((c) => /^(chat\.|views\.)/.test(c.method))
    .map((c) => ({ where: `${c.method} → ${String(c.args.channel ?? '')}`, body: c.method.startsWith('views.') ? c.args.view : c.args }));
  const responses = t.slack.responses.map((r) => ({ where: 'response_url', body: r.body }));
  return [...calls, ...responses, ...acks.map((body) => ({ where: 'ack', body }))];
}

function expectNothingPings(acks: unknown[]): number {
  const sent = everythingSent(acks);
  let checked = 0;
  for (const { where, body } of sent) {
    for (const text of textsOf(body)) {
      if (text.kind === 'plain_text') continue;
      checked += 1;
      expect(
        markupProblems(text.text, (token) => !FORBIDDEN.test(token)),
        `${where} ${text.path}: ${text.text.slice(0, 300)}`,
      ).toEqual([]);
    }
  }
  return checked;
}

describe('user text never pings, links or formats (signed requests, real bot)', () => {
  it('/incident p0, note, resolve, show and the declare modal: stored as typed, rendered inert everywhere', async () => {
    startDay();
    t.slack.clear();
    const acks: unknown[] = [];
    const before = await newestIncidentId(t);
    acks.push((await t.slash('/incident', `p0 ${slackEncoded(TYPED)}`, { userId: 'UDECL' })).json);
    const row = await newIncidentAfter(t, before);
    // Decoded once on the way in, stored plain.
    expect(row.summary).toBe(TYPED);
    await deliver(t);

    acks.push((await t.slash('/incident', `note ${row.id} ${slackEncoded(TYPED)}`, { userId: 'UOPS' })).json);
    await t.slack.waitFor(async () => (await listEvents(t.database.db, row.id)).some((e) => e.kind === 'note'));
    acks.push((await t.slash('/incident', `resolve ${row.id} ${TYPED}`, { userId: 'UOPS' })).json);
    await t.slack.waitFor(async () => (await getIncident(t.database.db, row.id))?.state === 'resolved' || undefined);
    await deliver(t);
    acks.push((await t.slash('/incident', `show ${row.id}`, { userId: 'UOPS' })).json);
    await t.slack.waitFor(() => t.slack.responses.some((r) => JSON.stringify(r.body).includes('*Timeline*')));

    // The declare modal: Slack does not encode modal inputs, so `&amp;` typed there is kept.
    await t.submitView({
      callbackId: IncidentIds.declareModal,
      privateMetadata: '',
      userId: 'UDECL',
      values: {
        [IncidentIds.severityBlock]: {
          [IncidentIds.severityInput]: { type: 'static_select', selected_option: { text: { type: 'plain_text', text: 'P1' }, value: 'p1' } },
        },
        [IncidentIds.summaryBlock]: { [IncidentIds.summaryInput]: { type: 'plain_text_input', value: `${TYPED} &amp;` } },
        [IncidentIds.systemBlock]: {
          [IncidentIds.systemInput]: { type: 'static_select', selected_option: { text: { type: 'plain_text', text: 'Payments' }, value: 'payments' } },
        },
      },
    });
    const modal = await newIncidentAfter(t, row.id);
    expect(modal.summary).toBe(`${TYPED} &amp;`);
    await deliver(t);

    const events = await listEvents(t.database.db, row.id);
    expect(events.find((e) => e.kind === 'note')!.text).toBe(TYPED);
    expect((await getIncident(t.database.db, row.id))!.resolutionNote).toBe(TYPED);

    // The paths the issue found leaking: timeline thread replies, the announcement's fallback and
    // its updates, the /incident show timeline. All were sent, and none carries a token.
    const replies = t.slack.callsOf('chat.postMessage').filter((c) => c.args.thread_ts === row.messageTs);
    // Batched (src/incidents/timeline.ts): the declaration's burst, then the later entries.
    expect(replies.length).toBeGreaterThanOrEqual(2);
    expect(t.slack.callsOf('chat.update').filter((c) => c.args.ts === row.messageTs).length).toBeGreaterThan(0);
    expect(JSON.stringify(replies.map((c) => c.args))).toContain('&lt;!channel&gt;');
    expect(expectNothingPings(acks)).toBeGreaterThan(30);

    // plain_text shows the text as typed: the announcement's header.
    const header = announcement(t, row.id)!.blocks![0].text.text as string;
    expect(header).toContain('<!channel> <!here>');
  });

  it('seeded hostile strings through /incident p3, note and list: stored as decoded, nothing pings', async () => {
    startDay();
    t.slack.clear();
    const acks: unknown[] = [];
    let last = await newestIncidentId(t);
    for (let seed = 1; seed <= 6; seed += 1) {
      const typed = hostileString(seededRandom(seed)).replace(/\u0000|[\ud800-\udfff]/g, 'x') || 'x';
      acks.push((await t.slash('/incident', `p3 ${slackEncoded(typed)}`, { userId: 'UDECL' })).json);
      const row = await newIncidentAfter(t, last);
      last = row.id;
      expect(row.summary, `seed ${seed}`).toBe(userText(typed, { slackEncoded: false, max: SUMMARY_MAX }));
      acks.push((await t.slash('/incident', `note ${row.id} ${slackEncoded(typed)}`, { userId: 'UOPS' })).json);
      await t.slack.waitFor(async () => (await listEvents(t.database.db, row.id)).some((e) => e.kind === 'note'));
    }
    acks.push((await t.slash('/incident', 'list', { userId: 'UOPS' })).json);
    await t.slack.waitFor(() => t.slack.responses.some((r) => JSON.stringify(r.body).includes('Open incidents')));
    await deliver(t);
    expect(expectNothingPings(acks)).toBeGreaterThan(30);
  });

  it('a checklist Problem note opens an incident whose every message is inert', async () => {
    startDay();
    t.slack.clear();
    await t.slash('/ops', 'morning');
    const call = await t.slack.waitFor(() => t.slack.callsOf('chat.postMessage').find((c) => c.args.channel === 'ops'));
    const msg = t.slack.messages.find((m) => m.text === call.args.text && m.blocks === call.args.blocks)!;
    const payments = msg.blocks!.filter((b: any) => b.type === 'actions')[5].elements[0].value as string;
    const runId = Number(payments.split('|')[0]);
    await t.click({ actionId: ActionIds.itemProblem, value: payments, channelId: msg.channel, messageTs: msg.ts, userId: 'UCAROL' });
    const view = (await t.slack.waitFor(() => t.slack.callsOf('views.open')[0])).args.view;
    await t.submitView({
      callbackId: view.callback_id,
      privateMetadata: view.private_metadata,
      values: { [BlockIds.noteInput]: { [InputActionIds.note]: { type: 'plain_text_input', value: TYPED } } },
      userId: 'UCAROL',
    });
    const row = await t.slack.waitFor(async () =>
      (
        await t.database.db
          .select()
          .from(incidents)
          .where(eq(incidents.dedupeKey, `checklist:${runId}:payment-processing`))
      )[0]?.messageTs
        ? (
            await t.database.db
              .select()
              .from(incidents)
              .where(eq(incidents.dedupeKey, `checklist:${runId}:payment-processing`))
          )[0]
        : undefined,
    );
    expect(row!.summary).toBe(`Check Payment Processing: ${TYPED}`);
    await t.settle();
    await deliver(t);
    // The checklist message itself, updated with the note.
    await t.slack.waitFor(() => t.slack.callsOf('chat.update').some((c) => JSON.stringify(c.args.blocks).includes('&lt;!channel&gt;')));
    expect(expectNothingPings([])).toBeGreaterThan(10);
  });

  it('Slack\'s &amp; round trip: "Fish & chips" is stored once-decoded and shown as typed, never &amp;amp;', async () => {
    startDay();
    t.slack.clear();
    const before = await newestIncidentId(t);
    await t.slash('/incident', 'p3 Fish &amp; chips &lt;3 &amp;lt;', { userId: 'UDECL' });
    const row = await newIncidentAfter(t, before);
    expect(row.summary).toBe('Fish & chips <3 &lt;');
    await deliver(t);
    const sent = JSON.stringify(t.slack.calls.filter((c) => c.method.startsWith('chat.')).map((c) => c.args));
    expect(sent).toContain('Fish &amp; chips &lt;3 &amp;lt;');
    expect(sent).not.toContain('&amp;amp; chips');
    const [declared] = await t.database.db.select().from(incidentEvents).where(eq(incidentEvents.incidentId, row.id));
    expect(declared!.text).toBe('P3 declared: Fish & chips <3 &lt;');
  });

  it('a page DM carries a real mention of the person paged', async () => {
    startDay();
    t.slack.clear();
    const before = await newestIncidentId(t);
    await t.slash('/incident', 'p0 Payments down', { userId: 'UDECL' });
    const row = await newIncidentAfter(t, before);
    await deliver(t);
    const [page] = pagesTo(t, 'UOPS', row.id);
    expect(page!.args.text).toMatch(/^:rotating_light: <@UOPS> — you are paged/);
    expect(JSON.stringify(page!.args.blocks)).toContain('<@UOPS> — you are paged');
    expect(JSON.stringify(page!.args)).not.toContain('&lt;@');
  });

  it('text PostgreSQL refuses is made storable; a long emoji summary is cut between graphemes', async () => {
    startDay();
    const before = await newestIncidentId(t);
    await t.slash('/incident', 'p1 Disk\u0000full', { userId: 'UDECL' });
    const nul = await newIncidentAfter(t, before);
    expect(nul.summary).toBe('Disk\ufffdfull');
    // A lone surrogate cannot be form-encoded, but JSON (a modal submission) carries one.
    await t.submitView({
      callbackId: IncidentIds.declareModal,
      privateMetadata: '',
      userId: 'UDECL',
      values: {
        [IncidentIds.severityBlock]: {
          [IncidentIds.severityInput]: { type: 'static_select', selected_option: { text: { type: 'plain_text', text: 'P3' }, value: 'p3' } },
        },
        [IncidentIds.summaryBlock]: { [IncidentIds.summaryInput]: { type: 'plain_text_input', value: 'Half \ud83d character\u0000' } },
        [IncidentIds.systemBlock]: {
          [IncidentIds.systemInput]: { type: 'static_select', selected_option: { text: { type: 'plain_text', text: 'Payments' }, value: 'payments' } },
        },
      },
    });
    const half = await newIncidentAfter(t, nul.id);
    expect(half.summary).toBe('Half \ufffd character\ufffd');
    await t.slash('/incident', `p2 ${'🚀'.repeat(150)}`, { userId: 'UDECL' });
    const emoji = await newIncidentAfter(t, half.id);
    expect(emoji.summary).toBe('🚀'.repeat(100));
    await t.slash('/incident', `note ${emoji.id} ${'👩‍👩‍👧‍👦'.repeat(60)}`, { userId: 'UOPS' });
    const note = await t.slack.waitFor(async () => (await listEvents(t.database.db, emoji.id)).find((e) => e.kind === 'note'));
    expect(note.text).toBe('👩‍👩‍👧‍👦'.repeat(45));
    await deliver(t);
  });
});

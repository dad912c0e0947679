import { randomUUID } from 'node:crypto';
import { stringify } from 'node:querystring';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActionIds, BlockIds, CallbackIds, IncidentIds, incidentRef, InputActionIds } from '../../blocks/ids';
import { buildProblemModal } from '../../blocks/problem-modal';
import { defaultChecklists } from '../../src/checklists';
import { desc, eq } from 'drizzle-orm';
import { checklistRuns, incidents, itemEvents } from '../../src/db/schema';
import { listItemEvents, loadRun } from '../../src/runs/store';
import { signSlackRequest } from '../../src/slack/verify';
import { blockAction, slashCommand, viewSubmission } from '../../sandbox/payloads';
import { postSigned, SIGNING_SECRET } from '../support/slack-requests';
import { expectNoSecrets, fakeProbes, startFaultBot, type FaultBot } from './support';

/** Morning checklist whose first item only the Technical Lead (UTECH) may sign. */
function restrictedConfig() {
  const morning = defaultChecklists.find((c) => c.id === 'morning')!;
  const sections = morning.sections.map((s, i) =>
    i === 0 ? { ...s, items: s.items.map((it, j) => (j === 0 ? { ...it, restrictedTo: ['tech-lead'] } : it)) } : s,
  );
  return { roles: { 'tech-lead': { name: 'Technical Lead', members: ['UTECH'] } }, checklists: { morning: { sections } } };
}

let t: FaultBot;
beforeAll(async () => {
  t = await startFaultBot({ config: restrictedConfig(), probes: fakeProbes(0) });
});
afterAll(async () => {
  // The whole file's log: no token, signing secret, Stripe/Twilio/AWS secret.
  expectNoSecrets(t.logs);
  expect(t.slack.problems).toEqual([]);
  await t.close();
});

/** Signs a form once; `send()` can then be called again with the very same bytes and headers. */
function signedOnce(form: Record<string, string>, skewSeconds = 0) {
  const body = stringify(form);
  const headers = {
    'content-type': 'application/x-www-form-urlencoded',
    ...signSlackRequest(SIGNING_SECRET, body, Math.floor(Date.now() / 1000) + skewSeconds),
  };
  return {
    send: async (override: { body?: string; headers?: Record<string, string | undefined> } = {}) => {
      const h = Object.fromEntries(Object.entries({ ...headers, ...override.headers }).filter(([, v]) => v !== undefined)) as Record<string, string>;
      const res = await fetch(`${t.bot.url}/slack/events`, { method: 'POST', headers: h, body: override.body ?? body });
      return { status: res.status, text: await res.text() };
    },
  };
}

async function postMorning(userId = 'UALICE') {
  const before = t.slack.messages.length;
  await t.slash('morning', { userId });
  // The checklist, not a message of an earlier test that arrives meanwhile (an incident's announcement).
  const msg = await t.slack.waitFor(
    () =>
      t.slack.messages.slice(before).find((m) => m.blocks?.some((b: any) => b.type === 'actions' && /^\d+\|system-health$/.test(b.elements?.[0]?.value ?? ''))),
    8000,
  );
  const values = msg.blocks!.filter((b: any) => b.type === 'actions').map((b: any) => b.elements[0].value as string);
  await t.slack.waitFor(async () => (await loadRun(t.database.db, Number(values[0]!.split('|')[0])))?.run.messageTs, 5000);
  return { msg, values, runId: Number(values[0]!.split('|')[0]) };
}

const settle = () => new Promise((r) => setTimeout(r, 250));

describe('fault: security', () => {
  it('forged, stale, future-dated, unsigned and tampered requests are refused (commands and interactions) and change nothing', async () => {
    const forms = [
      slashCommand({ command: '/ops', text: 'morning', responseUrl: t.slack.responseUrl('x') }),
      blockAction({ actionId: ActionIds.itemDone, value: '1|system-health', channelId: 'COPS', messageTs: '1.2', responseUrl: t.slack.responseUrl('y') }),
    ];
    const runsBefore = (await t.database.db.select().from(checklistRuns)).length;
    const calls = () => t.slack.calls.filter((c) => c.method !== 'auth.test').length;
    const callsBefore = calls();
    for (const form of forms) {
      const body = stringify(form);
      const now = Math.floor(Date.now() / 1000);
      const cases: Record<string, string>[] = [
        signSlackRequest('forged-secret-0123456789', body, now),
        signSlackRequest(SIGNING_SECRET, body, now - 310),
        signSlackRequest(SIGNING_SECRET, body, now + 310),
        {},
        { 'x-slack-signature': 'v0=', 'x-slack-request-timestamp': String(now) },
        { ...signSlackRequest(SIGNING_SECRET, body, now), 'x-slack-request-timestamp': String(now + 1) },
      ];
      for (const sig of cases) {
        const res = await fetch(`${t.bot.url}/slack/events`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', ...sig },
          body,
        });
        expect(res.status).toBe(401);
      }
      const tampered = signedOnce(form);
      expect((await tampered.send({ body: body.replace('morning', 'evening').replace('item_done', 'item_na') })).status).toBe(401);
    }
    await settle();
    expect((await t.database.db.select().from(checklistRuns)).length).toBe(runsBefore);
    expect(calls()).toBe(callsBefore);
    expect(t.slack.responses.filter((r) => r.id === 'x' || r.id === 'y')).toEqual([]);
  });

  it('the same signed request replayed within the window does not act twice (slash, click, modal submit)', async () => {
    // Slash: one run, one post.
    const posts = t.slack.messages.length;
    const slash = signedOnce(
      slashCommand({ command: '/ops', text: 'morning', responseUrl: t.slack.responseUrl(randomUUID()), triggerId: `trigger-replay-${randomUUID()}` }),
    );
    expect((await slash.send()).status).toBe(200);
    await t.slack.waitFor(() => t.slack.messages.length > posts, 8000);
    expect((await slash.send()).status).toBe(200);
    expect((await slash.send({ headers: { 'x-slack-retry-num': '1' } })).status).toBe(200);
    await settle();
    if (t.slack.messages.length !== posts + 1)
      console.log(t.slack.messages.slice(posts), JSON.stringify(await t.database.db.select().from(checklistRuns)).slice(0, 3000));
    expect(t.slack.messages.length).toBe(posts + 1);

    // Click: one audit row.
    const { msg, values, runId } = await postMorning();
    const click = signedOnce(
      blockAction({
        actionId: ActionIds.itemDone,
        value: values[2]!,
        channelId: msg.channel,
        messageTs: msg.ts,
        userId: 'UBOB',
        responseUrl: t.slack.responseUrl(randomUUID()),
      }),
    );
    await Promise.all([click.send(), click.send(), click.send()]);
    await t.slack.waitFor(async () => (await listItemEvents(t.database.db, runId)).length > 0, 5000);
    // A later change by someone else, then the old click replayed again: it must not undo it.
    await t.click({ actionId: ActionIds.itemNa, value: values[2]!, channelId: msg.channel, messageTs: msg.ts, userId: 'UDAN' });
    await t.slack.waitFor(async () => (await listItemEvents(t.database.db, runId)).length === 2, 5000);
    await click.send();
    await settle();
    const events = await listItemEvents(t.database.db, runId);
    expect(events.map((e) => [e.status, e.userId])).toEqual([
      ['done', 'UBOB'],
      ['na', 'UDAN'],
    ]);

    // Modal submit: one note.
    const meta = buildProblemModal({ runId, itemId: 'payment-processing', itemTitle: 'x', status: 'problem' }).private_metadata!;
    const submit = signedOnce(
      viewSubmission({
        callbackId: CallbackIds.problemNote,
        privateMetadata: meta,
        userId: 'UCAROL',
        viewId: 'VREPLAY1',
        values: { [BlockIds.noteInput]: { [InputActionIds.note]: { type: 'plain_text_input', value: 'card declines' } } },
      }),
    );
    await submit.send();
    await submit.send();
    await t.slack.waitFor(async () => (await listItemEvents(t.database.db, runId)).length === 3, 5000);
    // Someone marks it N/A, then the modal submit is replayed.
    await t.click({ actionId: ActionIds.itemNa, value: `${runId}|payment-processing`, channelId: msg.channel, messageTs: msg.ts, userId: 'UDAN' });
    await t.slack.waitFor(async () => (await listItemEvents(t.database.db, runId)).length === 4, 5000);
    await submit.send();
    await settle();
    expect((await listItemEvents(t.database.db, runId)).filter((e) => e.itemId === 'payment-processing').map((e) => e.status)).toEqual(['problem', 'na']);
  });

  it('a user without the role cannot sign a restricted item, whatever the payload claims', async () => {
    const { msg, values, runId } = await postMorning();
    const restricted = values[0]!;
    expect(restricted.endsWith('|system-health')).toBe(true);
    const tries: Promise<unknown>[] = [];
    for (const actionId of [ActionIds.itemDone, ActionIds.itemNa, ActionIds.itemProblem]) {
      // A payload that dresses the user up as the tech lead: only user.id counts.
      const form = blockAction({
        actionId,
        value: restricted,
        channelId: msg.channel,
        messageTs: msg.ts,
        userId: 'UBOB',
        responseUrl: t.slack.responseUrl(`deny-${actionId}`),
      });
      const payload = JSON.parse(form.payload!);
      payload.user = { ...payload.user, name: 'tech-lead', username: 'UTECH', roles: ['tech-lead'], is_admin: true };
      tries.push(signedOnce({ payload: JSON.stringify(payload) }).send());
    }
    // A hand-made modal submit for the restricted item, as if the modal had been opened.
    for (const status of ['done', 'problem'] as const) {
      const meta = buildProblemModal({ runId, itemId: 'system-health', itemTitle: 'x', status }).private_metadata!;
      tries.push(
        t.bot &&
          signedOnce(
            viewSubmission({
              callbackId: CallbackIds.problemNote,
              privateMetadata: meta,
              userId: 'UBOB',
              values: { [BlockIds.noteInput]: { [InputActionIds.note]: { type: 'plain_text_input', value: 'trust me' } } },
            }),
          ).send(),
      );
    }
    await Promise.all(tries);
    const denied = await t.slack.waitFor(() => {
      const r = t.slack.responses.filter((x) => x.id.startsWith('deny-'));
      return r.length === 3 && r;
    }, 5000);
    for (const r of denied) expect(JSON.stringify(r.body)).toContain('Only the Technical Lead may sign this item.');
    await settle();
    expect((await listItemEvents(t.database.db, runId)).filter((e) => e.itemId === 'system-health')).toEqual([]);
    expect(t.slack.callsOf('views.open').filter((c) => JSON.stringify(c.args).includes('system-health'))).toEqual([]);
    // The tech lead can.
    await t.click({ actionId: ActionIds.itemDone, value: restricted, channelId: msg.channel, messageTs: msg.ts, userId: 'UTECH' });
    await t.slack.waitFor(async () => (await listItemEvents(t.database.db, runId)).some((e) => e.itemId === 'system-health' && e.userId === 'UTECH'), 5000);
    expect(await t.database.db.select().from(itemEvents)).not.toContainEqual(expect.objectContaining({ itemId: 'system-health', userId: 'UBOB' }));
  });

  it('a user without the role cannot resolve an incident, by command or button, whatever the payload claims', async () => {
    const incident = (text: string, userId: string, responseId: string) =>
      postSigned(t.bot.url, slashCommand({ command: '/incident', text, userId, responseUrl: t.slack.responseUrl(responseId) }));
    expect((await incident('p2 Forms are slow to load', 'UTECH', `declare-${randomUUID()}`)).status).toBe(200);
    const row = await t.slack.waitFor(async () => {
      const [r] = await t.database.db.select().from(incidents).orderBy(desc(incidents.id)).limit(1);
      return r?.summary === 'Forms are slow to load' && r.messageTs ? r : undefined;
    }, 8000);
    // UBOB holds no role that may resolve (the default: operations, ops manager, tech lead, CTO, CEO).
    await incident(`resolve ${row.id} it is fine`, 'UBOB', 'deny-resolve-cmd');
    const form = blockAction({
      actionId: IncidentIds.resolve,
      value: incidentRef(row.id, row.level),
      channelId: row.channel,
      messageTs: row.messageTs!,
      userId: 'UBOB',
      responseUrl: t.slack.responseUrl('deny-resolve-btn'),
    });
    const payload = JSON.parse(form.payload!);
    payload.user = { ...payload.user, name: 'cto', username: 'UTECH', roles: ['tech-lead', 'cto'], is_admin: true };
    await signedOnce({ payload: JSON.stringify(payload) }).send();
    const denied = await t.slack.waitFor(() => {
      const r = t.slack.responses.filter((x) => x.id === 'deny-resolve-cmd' || x.id === 'deny-resolve-btn');
      return r.length === 2 && r;
    }, 5000);
    for (const r of denied)
      expect(JSON.stringify(r.body)).toContain(`Only the Operations team, Operations Manager, Technical Lead, CTO or CEO may resolve incident #${row.id}.`);
    await settle();
    const [after] = await t.database.db.select().from(incidents).where(eq(incidents.id, row.id));
    expect(after!.state).toBe('open');
    expect(after!.resolvedBy).toBeNull();
    // The tech lead can.
    await incident(`resolve ${row.id} fixed the CDN`, 'UTECH', 'allow-resolve');
    await t.slack.waitFor(async () => (await t.database.db.select().from(incidents).where(eq(incidents.id, row.id)))[0]?.state === 'resolved', 5000);
  });
});

import { randomUUID } from 'node:crypto';
import { asc, eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FIGURE_ACTION_ID, figureBlockId } from '../../blocks/figures-modal';
import { ActionIds, BlockIds, CallbackIds, IncidentIds, incidentRef, InputActionIds, itemRef } from '../../blocks/ids';
import { buildProblemModal } from '../../blocks/problem-modal';
import {
  checklistItems,
  checklistRuns,
  drTests,
  improvements,
  incidentEvents,
  incidentFollowups,
  incidents,
  itemEvents,
  metrics,
  oncallOverrides,
  outbox,
  probeResults,
  slackSends,
  summaries,
  timers,
} from '../../src/db/schema';
import { ImproveIds } from '../../blocks/improve';
import { DR_INPUT_ACTION, DrFields } from '../../src/dr/tests-input';
import { startTestBot, type TestBot } from '../support/harness';
import { blockAction, messageShortcut, slashCommand, viewSubmission } from '../../sandbox/payloads';
import { postSigned } from '../support/slack-requests';

/**
 * Every action × a member of a role that may, someone who may not, and a forged payload (a button
 * or form pointing at another incident or item, or a payload that dresses its user up). A refusal
 * is one ephemeral sentence naming who may, and nothing else: no row, no page, no Slack call.
 */
const CONFIG = {
  roles: {
    'ops-team': { name: 'Operations team', members: ['UOPS'] },
    'ops-manager': { name: 'Operations Manager', members: ['UMGR'] },
    'tech-lead': { name: 'Technical Lead', members: ['UTECH'] },
    cto: { name: 'CTO', members: ['UCTO'] },
    ceo: { name: 'CEO', members: ['UCEO'] },
  },
  incidents: {
    rights: {
      declare: ['ops-team', 'tech-lead'],
      note: ['ops-team', 'tech-lead'],
      review: ['ops-manager', 'cto', 'ceo'],
      followups: ['ops-manager', 'tech-lead'],
    },
  },
  rights: {
    sign: ['ops-manager'],
    figures: ['ops-manager'],
    probe: ['ops-team'],
    summary: ['cto', 'ceo'],
    checklist: ['ops-manager'],
    scorecard: ['ops-manager'],
    improve: ['ops-team'],
    improveCommit: ['cto'],
    change: ['tech-lead'],
    drRecord: ['tech-lead'],
    drVerify: ['cto'],
    drHistory: ['ops-manager'],
  },
};
const OUTSIDER = 'UOUT';

let t: TestBot;
beforeAll(async () => {
  t = await startTestBot({ config: CONFIG });
});
afterAll(() => t.close());
afterEach(() => expect(t.slack.problems).toEqual([]));

const TABLES = {
  checklistRuns,
  checklistItems,
  itemEvents,
  metrics,
  probeResults,
  timers,
  outbox,
  summaries,
  incidents,
  incidentEvents,
  incidentFollowups,
  slackSends,
  improvements,
  oncallOverrides,
  drTests,
};

/** Everything an action could change: row counts, incident and item states, Slack calls. */
async function snapshot() {
  await t.settle();
  await t.bot.deps.refreshes.incidents.idle();
  const db = t.database.db;
  const counts: Record<string, number> = {};
  for (const [name, table] of Object.entries(TABLES)) counts[name] = (await db.select({ n: sql<number>`count(*)::int` }).from(table))[0]!.n;
  const inc = await db
    .select({ id: incidents.id, state: incidents.state, level: incidents.level, ack: incidents.acknowledgedBy, res: incidents.resolvedBy })
    .from(incidents)
    .orderBy(asc(incidents.id));
  const items = await db
    .select({ run: checklistItems.runId, item: checklistItems.itemId, status: checklistItems.status })
    .from(checklistItems)
    .orderBy(asc(checklistItems.runId), asc(checklistItems.itemId));
  return { counts, inc, items, calls: t.slack.calls.map((c) => c.method) };
}

type Sent = Awaited<ReturnType<typeof postSigned>>;
type Where = 'ack' | 'response' | 'view' | 'postEphemeral';

/** Runs a request that must be refused: the sentence reaches the user where `where` says, and nothing changed. */
async function expectRefused(where: Where, sentence: string, act: () => Promise<Sent>): Promise<void> {
  const before = await snapshot();
  const responses = t.slack.responses.length;
  const res = await act();
  expect(res.status).toBe(200);
  let ephemerals = 0;
  if (where === 'ack') {
    expect(res.json.response_type).toBe('ephemeral');
    expect(res.json.text).toBe(`:no_entry: ${sentence}`);
  } else if (where === 'view') {
    expect(res.json.response_action).toBe('errors');
    expect(Object.values(res.json.errors)).toEqual([sentence]);
  } else if (where === 'response') {
    const reply = await t.slack.waitFor(() => t.slack.responses[responses]);
    expect(reply.body.response_type).toBe('ephemeral');
    expect(reply.body.text).toBe(`:no_entry: ${sentence}`);
  } else {
    const call = await t.slack.waitFor(() => t.slack.calls.slice(before.calls.length).find((c) => c.method === 'chat.postEphemeral'));
    expect(call.args.text).toContain(sentence);
    ephemerals = 1;
  }
  const after = await snapshot();
  expect(after.counts).toEqual(before.counts);
  expect(after.inc).toEqual(before.inc);
  expect(after.items).toEqual(before.items);
  expect(after.calls.length - before.calls.length).toBe(ephemerals);
  expect(t.slack.responses.length - responses).toBe(where === 'response' ? 1 : 0);
}

const slash = (command: string, text: string, userId: string, userName?: string) =>
  postSigned(t.bot.url, slashCommand({ command, text, userId, ...(userName ? { userName } : {}), responseUrl: t.slack.responseUrl(randomUUID()) }));
const click = (actionId: string, value: string, userId: string, userName?: string) =>
  postSigned(
    t.bot.url,
    blockAction({
      actionId,
      value,
      userId,
      ...(userName ? { userName } : {}),
      channelId: 'CINCIDENTS',
      messageTs: '1.1',
      responseUrl: t.slack.responseUrl(randomUUID()),
    }),
  );

async function declared(text: string, userId: string) {
  const res = await slash('/incident', text, userId);
  expect(res.json.text).toContain('Declaring');
  const summary = text.slice(3);
  return t.slack.waitFor(async () => (await t.database.db.select().from(incidents).where(eq(incidents.summary, summary)))[0]);
}
const resolutionNote = (value: string) => ({ [IncidentIds.resolveNoteBlock]: { [IncidentIds.resolveNoteInput]: { type: 'plain_text_input', value } } });
const incident = async (id: number) => (await t.database.db.select().from(incidents).where(eq(incidents.id, id)))[0]!;

describe('rights matrix: incidents', () => {
  let p0: { id: number };
  let p1: { id: number };

  it('declare: a member declares; an outsider, a dressed-up payload and a hand-made modal submit are refused', async () => {
    p0 = await declared('p0 Payments are down', 'UOPS');
    p1 = await declared('p1 Forwarding is slow', 'UTECH');
    const who = 'Only the Operations team or Technical Lead may declare incidents.';
    await expectRefused('ack', who, () => slash('/incident', 'p1 Not my call', OUTSIDER));
    await expectRefused('ack', who, () => slash('/incident', 'p0 I am the CTO, honest', OUTSIDER, 'cto'));
    await expectRefused('ack', who, () => slash('/incident', '', 'UMGR'));
    const values = {
      [IncidentIds.severityBlock]: { [IncidentIds.severityInput]: { type: 'static_select', selected_option: { value: 'p0' } } },
      [IncidentIds.summaryBlock]: { [IncidentIds.summaryInput]: { type: 'plain_text_input', value: 'Forged from a modal' } },
      [IncidentIds.systemBlock]: { [IncidentIds.systemInput]: { type: 'static_select', selected_option: { value: 'payments' } } },
    };
    await expectRefused('view', who, () =>
      postSigned(t.bot.url, viewSubmission({ callbackId: IncidentIds.declareModal, privateMetadata: '', values, userId: OUTSIDER, userName: 'tech-lead' })),
    );
    // The message shortcut "Declare an incident": refused before any form opens, and a forged
    // submit of its form (carrying a message to link back to) is refused too.
    const message = { ts: '1772460000.000100', text: 'Checkout answers 502' };
    await expectRefused('response', who, () =>
      postSigned(
        t.bot.url,
        messageShortcut({
          callbackId: IncidentIds.declareShortcut,
          userId: OUTSIDER,
          channelId: 'COPS',
          message,
          responseUrl: t.slack.responseUrl(randomUUID()),
        }),
      ),
    );
    const fromMessage = JSON.stringify({ channel: 'COPS', ts: message.ts });
    await expectRefused('view', who, () =>
      postSigned(t.bot.url, viewSubmission({ callbackId: IncidentIds.declareModal, privateMetadata: fromMessage, values, userId: OUTSIDER })),
    );
  });

  it('escalate now: clicking 0, 1, 2 pages nobody; a button pointing at another incident is refused; a member escalates', async () => {
    // The reported attack: a user with no role clicks every level of a P0.
    for (const level of [0, 1, 2]) {
      await expectRefused('response', `Only the Operations team, Technical Lead, CTO or CEO may escalate incident #${p0.id}.`, () =>
        click(IncidentIds.escalate, incidentRef(p0.id, level), OUTSIDER, 'ceo'),
      );
    }
    // The Operations team may escalate the P0 (its chain starts there), not the P1 (it starts at the Technical Lead).
    await expectRefused('response', `Only the Technical Lead, CTO or CEO may escalate incident #${p1.id}.`, () =>
      click(IncidentIds.escalate, incidentRef(p1.id, 1), 'UOPS'),
    );
    // The Operations Manager is not in the chain, whatever the payload calls them.
    await expectRefused('response', `Only the Operations team, Technical Lead, CTO or CEO may escalate incident #${p0.id}.`, () =>
      click(IncidentIds.escalate, incidentRef(p0.id, 0), 'UMGR', 'cto'),
    );
    const pages = (await t.database.db.select().from(outbox)).length;
    await click(IncidentIds.escalate, incidentRef(p0.id, 0), 'UOPS');
    await t.slack.waitFor(async () => (await incident(p0.id)).level === 1);
    expect((await t.database.db.select().from(outbox)).length).toBeGreaterThan(pages);
  });

  it('acknowledge: an outsider and a button of another incident are refused; a member of the level acknowledges', async () => {
    await expectRefused(
      'response',
      `Only the Technical Lead, CTO or CEO (or someone paged for it) may acknowledge incident #${p0.id} at the Technical Lead level.`,
      () => click(IncidentIds.ack, incidentRef(p0.id, 1), OUTSIDER, 'tech-lead'),
    );
    // The Operations Manager may acknowledge at the Operations level only; the P1 is at the Technical Lead's.
    await expectRefused(
      'response',
      `Only the Technical Lead, CTO or CEO (or someone paged for it) may acknowledge incident #${p1.id} at the Technical Lead level.`,
      () => click(IncidentIds.ack, incidentRef(p1.id, 1), 'UMGR'),
    );
    const byCommand = t.slack.responses.length;
    await slash('/incident', `ack ${p1.id}`, 'UMGR');
    const reply = await t.slack.waitFor(() => t.slack.responses[byCommand]);
    expect(reply.body.text).toContain(`may acknowledge incident #${p1.id}`);
    expect((await incident(p1.id)).state).toBe('open');
    await click(IncidentIds.ack, incidentRef(p0.id, 1), 'UTECH');
    await t.slack.waitFor(async () => (await incident(p0.id)).acknowledgedBy === 'UTECH');
  });

  it('note: an outsider is refused, dressed up or not; a member adds one', async () => {
    const who = `Only the Operations team or Technical Lead may add notes to incident #${p0.id}.`;
    const notes = async () => (await t.database.db.select().from(incidentEvents).where(eq(incidentEvents.kind, 'note'))).length;
    await expectRefused('response', who, () => slash('/incident', `note ${p0.id} hello`, OUTSIDER));
    await expectRefused('response', who, () => slash('/incident', `note ${p0.id} I am ops`, 'UMGR', 'ops-team'));
    const before = await notes();
    await slash('/incident', `note ${p0.id} Stripe confirms the outage`, 'UOPS');
    await t.slack.waitFor(async () => (await notes()) === before + 1);
  });

  it('resolve: an outsider is refused by button and command, dressed up or not; a member resolves', async () => {
    const who = (id: number) => `Only the Operations team, Operations Manager, Technical Lead, CTO or CEO may resolve incident #${id}.`;
    await expectRefused('response', who(p1.id), () => click(IncidentIds.resolve, incidentRef(p1.id, 1), OUTSIDER, 'cto'));
    await expectRefused('response', who(p0.id), () => slash('/incident', `resolve ${p0.id} fixed`, OUTSIDER, 'tech-lead'));
    // The form asks for the note; a hand-made submit by an outsider is refused in the form.
    await expectRefused('view', who(p1.id), () =>
      postSigned(
        t.bot.url,
        viewSubmission({
          callbackId: IncidentIds.resolveModal,
          privateMetadata: String(p1.id),
          values: resolutionNote('I say so'),
          userId: OUTSIDER,
          userName: 'ceo',
        }),
      ),
    );
    const opened = t.slack.callsOf('views.open').length;
    await click(IncidentIds.resolve, incidentRef(p1.id, 1), 'UCEO');
    await t.slack.waitFor(() => t.slack.callsOf('views.open').length > opened);
    expect(t.slack.callsOf('views.open').at(-1)!.args.view.callback_id).toBe(IncidentIds.resolveModal);
    expect((await incident(p1.id)).state).not.toBe('resolved');
    await postSigned(
      t.bot.url,
      viewSubmission({ callbackId: IncidentIds.resolveModal, privateMetadata: String(p1.id), values: resolutionNote('Carrier rerouted'), userId: 'UCEO' }),
    );
    await t.slack.waitFor(async () => (await incident(p1.id)).resolvedBy === 'UCEO');
    expect((await incident(p1.id)).resolutionNote).toBe('Carrier rerouted');
  });

  it('lead: an outsider is refused by button and command; a member takes it and gives it', async () => {
    const who = `Only the Operations team, Operations Manager, Technical Lead, CTO or CEO may lead incident #${p0.id}.`;
    await expectRefused('response', who, () => click(IncidentIds.lead, incidentRef(p0.id, 1), OUTSIDER, 'cto'));
    await expectRefused('response', who, () => slash('/incident', `lead ${p0.id} <@UOUT>`, OUTSIDER, 'ceo'));
    await click(IncidentIds.lead, incidentRef(p0.id, 1), 'UMGR');
    await t.slack.waitFor(async () => (await incident(p0.id)).lead === 'UMGR');
    await slash('/incident', `lead ${p0.id} <@UTECH|tech>`, 'UCTO');
    await t.slack.waitFor(async () => (await incident(p0.id)).lead === 'UTECH');
  });

  it('severity: an outsider and a role outside the chain are refused; a member of the chain changes it', async () => {
    await expectRefused('response', `Only the Operations team, Technical Lead, CTO or CEO may change the severity of incident #${p0.id}.`, () =>
      slash('/incident', `severity ${p0.id} p2`, 'UMGR', 'cto'),
    );
    await expectRefused('response', `Only the Operations team, Technical Lead, CTO or CEO may change the severity of incident #${p0.id}.`, () =>
      slash('/incident', `severity ${p0.id} p2`, OUTSIDER),
    );
    await slash('/incident', `severity ${p0.id} p1`, 'UCTO');
    await t.slack.waitFor(async () => (await incident(p0.id)).severity === 'p1');
  });

  it('followup: an outsider is refused, dressed up or not; a member adds one', async () => {
    const who = `Only the Operations team, Operations Manager, Technical Lead, CTO or CEO may add follow-ups to incident #${p0.id}.`;
    await expectRefused('response', who, () => slash('/incident', `followup ${p0.id} write the postmortem`, OUTSIDER, 'cto'));
    const before = (await t.database.db.select().from(incidentFollowups)).length;
    await slash('/incident', `followup ${p0.id} write the postmortem`, 'UMGR');
    await t.slack.waitFor(async () => (await t.database.db.select().from(incidentFollowups)).length === before + 1);
  });

  it('update: an outsider is refused; the lead (whatever their role) and a member post', async () => {
    const who = `Only the Operations team, Operations Manager, Technical Lead, CTO or CEO may post status updates on incident #${p0.id}.`;
    await expectRefused('response', who, () => slash('/incident', `update ${p0.id} all good`, OUTSIDER, 'tech-lead'));
    await slash('/incident', `update ${p0.id} Stripe is recovering`, 'UTECH');
    await t.slack.waitFor(async () => (await incident(p0.id)).lastUpdate === 'Stripe is recovering');
    await slash('/incident', `lead ${p0.id} <@UOUT>`, 'UCTO');
    await t.slack.waitFor(async () => (await incident(p0.id)).lead === OUTSIDER);
    await slash('/incident', `update ${p0.id} Lead here: rollback done`, OUTSIDER);
    await t.slack.waitFor(async () => (await incident(p0.id)).lastUpdate === 'Lead here: rollback done');
  });
});

describe('rights matrix: reviews and follow-ups', () => {
  it('review: an outsider is refused, dressed up or not; a member reads the draft of the resolved P1', async () => {
    const [p1] = await t.database.db.select().from(incidents).where(eq(incidents.summary, 'Forwarding is slow'));
    const who = `Only the Operations Manager, CTO or CEO may read the review of incident #${p1!.id}.`;
    await expectRefused('response', who, () => slash('/incident', `review ${p1!.id}`, OUTSIDER, 'ceo'));
    await expectRefused('response', who, () => slash('/incident', `review ${p1!.id}`, 'UTECH'));
    const n = t.slack.responses.length;
    await slash('/incident', `review ${p1!.id}`, 'UMGR');
    const reply = await t.slack.waitFor(() => t.slack.responses[n]);
    expect(String(reply.body.text)).toContain(`Post-incident review draft for incident #${p1!.id}`);
  });

  it('followups: an outsider is refused; a member lists the open ones', async () => {
    const who = 'Only the Operations Manager or Technical Lead may list follow-ups.';
    await expectRefused('response', who, () => slash('/incident', 'followups', OUTSIDER, 'tech-lead'));
    const n = t.slack.responses.length;
    await slash('/incident', 'followups', 'UTECH');
    const reply = await t.slack.waitFor(() => t.slack.responses[n]);
    expect(String(reply.body.text)).toContain('write the postmortem');
  });

  it('followup done: someone neither owner, lead nor resolver is refused by command and button; the lead marks it done', async () => {
    const [f] = await t.database.db.select().from(incidentFollowups).where(eq(incidentFollowups.text, 'write the postmortem'));
    const who = `Only its owner, the lead of incident #${f!.incidentId} or the Operations team, Operations Manager, Technical Lead, CTO or CEO may mark follow-up ${f!.id} done.`;
    await expectRefused('response', who, () => slash('/incident', `followup done ${f!.id}`, 'UOUT2', 'cto'));
    await expectRefused('response', who, () => click('incident_followup_done', String(f!.id), 'UOUT2', 'ceo'));
    // The update test made the outsider the incident's lead: the lead may, whatever their role.
    await click('incident_followup_done', String(f!.id), OUTSIDER);
    await t.slack.waitFor(async () => (await t.database.db.select().from(incidentFollowups).where(eq(incidentFollowups.id, f!.id)))[0]!.doneBy === OUTSIDER);
  });
});

describe('rights matrix: checklists and /ops', () => {
  let runId: number;

  it('post a checklist: an outsider is refused; a member posts it', async () => {
    await expectRefused('ack', 'Only the Operations Manager may post a checklist on demand.', () => slash('/ops', 'morning', OUTSIDER, 'ops-manager'));
    const res = await slash('/ops', 'morning', 'UMGR');
    expect(res.json.text).toContain('Posting *Morning Checklist*');
    runId = await t.slack.waitFor(async () => (await t.database.db.select().from(checklistRuns)).find((r) => r.messageTs && r.checklistId === 'morning')?.id);
    await t.settle();
  });

  it('sign: an outsider is refused on every button and in a hand-made note form; a member signs', async () => {
    const who = 'Only the Operations Manager may sign this item.';
    const value = itemRef(runId, 'system-health');
    for (const action of [ActionIds.itemDone, ActionIds.itemProblem, ActionIds.itemNa]) {
      await expectRefused('response', who, () =>
        postSigned(
          t.bot.url,
          blockAction({
            actionId: action,
            value,
            userId: OUTSIDER,
            userName: 'ops-manager',
            channelId: 'COPS',
            messageTs: '1.1',
            responseUrl: t.slack.responseUrl(randomUUID()),
          }),
        ),
      );
    }
    const meta = buildProblemModal({ runId, itemId: 'system-health', itemTitle: 'x', status: 'problem' }).private_metadata!;
    const note = { [BlockIds.noteInput]: { [InputActionIds.note]: { type: 'plain_text_input', value: 'all fine, trust me' } } };
    await expectRefused('postEphemeral', who, () =>
      postSigned(t.bot.url, viewSubmission({ callbackId: CallbackIds.problemNote, privateMetadata: meta, values: note, userId: OUTSIDER })),
    );
    await postSigned(
      t.bot.url,
      blockAction({ actionId: ActionIds.itemNa, value, userId: 'UMGR', channelId: 'COPS', messageTs: '1.1', responseUrl: t.slack.responseUrl(randomUUID()) }),
    );
    await t.slack.waitFor(async () => (await t.database.db.select().from(itemEvents)).some((e) => e.itemId === 'system-health' && e.userId === 'UMGR'));
  });

  it('figures: an outsider is refused at the button and in a hand-made form; a member enters them', async () => {
    const who = 'Only the Operations Manager may enter figures for this item.';
    const value = itemRef(runId, 'overnight-metrics');
    await expectRefused('response', who, () =>
      postSigned(
        t.bot.url,
        blockAction({
          actionId: ActionIds.itemFigures,
          value,
          userId: OUTSIDER,
          channelId: 'COPS',
          messageTs: '1.1',
          responseUrl: t.slack.responseUrl(randomUUID()),
        }),
      ),
    );
    const form = (userId: string) =>
      viewSubmission({
        callbackId: CallbackIds.figures,
        privateMetadata: JSON.stringify({ runId, itemId: 'overnight-metrics' }),
        userId,
        values: { [figureBlockId('total-calls')]: { [FIGURE_ACTION_ID]: { type: 'plain_text_input', value: '120' } } },
      });
    await expectRefused('view', who, () => postSigned(t.bot.url, form(OUTSIDER)));
    expect((await postSigned(t.bot.url, form('UMGR'))).status).toBe(200);
    await t.slack.waitFor(async () => (await t.database.db.select().from(metrics)).some((m) => m.figureId === 'total-calls' && m.enteredBy === 'UMGR'));
  });

  it('probes: an outsider is refused, also with `here`; a member runs them', async () => {
    const who = 'Only the Operations team may run probes.';
    await expectRefused('ack', who, () => slash('/ops', 'probe health', OUTSIDER));
    await expectRefused('ack', who, () => slash('/ops', 'probe all here', 'UMGR', 'ops-team'));
    const before = (await t.database.db.select().from(probeResults)).length;
    expect((await slash('/ops', 'probe health', 'UOPS')).json.text).toContain('Running the `health` probe');
    await t.slack.waitFor(async () => (await t.database.db.select().from(probeResults)).length > before);
  });

  it('audit export: an outsider and the Operations team (default rights) are refused; the Technical Lead gets the CSV by DM', async () => {
    const who = 'Only the Operations Manager, Technical Lead, CTO or CEO may export the audit log.';
    await expectRefused('ack', who, () => slash('/ops', 'audit', OUTSIDER));
    await expectRefused('ack', who, () => slash('/ops', 'audit all', 'UOPS', 'ops-manager'));
    expect((await slash('/ops', 'audit all', 'UTECH')).json.text).toContain('Exporting the audit log');
    await t.slack.waitFor(() => t.slack.callsOf('files.completeUploadExternal').length > 0 || undefined);
  });

  it('summary: an outsider is refused; a member posts it', async () => {
    const who = 'Only the CTO or CEO may post the weekly summary.';
    await expectRefused('ack', who, () => slash('/ops', 'summary last', OUTSIDER));
    await expectRefused('ack', who, () => slash('/ops', 'summary', 'UMGR', 'ceo'));
    expect((await slash('/ops', 'summary last', 'UCTO')).json.text).toContain('Writing the summary');
    await t.slack.waitFor(async () => (await t.database.db.select().from(summaries)).length > 0, 15_000);
  });

  it('scorecard: an outsider is refused, dressed up or not; a member reads it', async () => {
    const who = 'Only the Operations Manager may read the scorecard.';
    await expectRefused('ack', who, () => slash('/ops', 'scorecard', OUTSIDER));
    await expectRefused('ack', who, () => slash('/ops', 'scorecard last', 'UOPS', 'ops-manager'));
    const n = t.slack.responses.length;
    expect((await slash('/ops', 'scorecard last', 'UMGR')).json.text).toContain('Computing the scorecard');
    const reply = await t.slack.waitFor(() => t.slack.responses[n]);
    expect(reply.body.text).toMatch(/^Scorecard \d{4}-W\d{2}: /);
  });

  it('improvements: adding (command and a hand-made form) and deciding are refused to others; members act', async () => {
    const add = 'Only the Operations team may add or rank improvements.';
    await expectRefused('ack', add, () => slash('/ops', 'improve add Faster forms', OUTSIDER, 'ops-team'));
    await expectRefused('ack', add, () => slash('/ops', 'improve', 'UMGR'));
    const values = Object.fromEntries(
      (['title', 'reach', 'confidence', 'effort'] as const).map((f) => [
        ImproveIds.field(f).block,
        { [ImproveIds.field(f).action]: { type: 'plain_text_input', value: f === 'title' ? 'Forged' : '10' } },
      ]),
    );
    values[ImproveIds.field('impact').block] = { [ImproveIds.field('impact').action]: { type: 'static_select', selected_option: { value: '1' } } } as never;
    await expectRefused('view', add, () =>
      postSigned(t.bot.url, viewSubmission({ callbackId: ImproveIds.modal, privateMetadata: '', values, userId: OUTSIDER })),
    );
    expect(
      (await postSigned(t.bot.url, viewSubmission({ callbackId: ImproveIds.modal, privateMetadata: '', values, userId: 'UOPS', viewId: 'VIMPROVE' }))).status,
    ).toBe(200);
    const [row] = await t.database.db.select().from(improvements);
    expect(row).toMatchObject({ title: 'Forged', createdBy: 'UOPS', score: 0.1 }); // 10 × 1 × 10% ÷ 10
    const decide = 'Only the CTO may commit, close or review improvements.';
    await expectRefused('ack', decide, () => slash('/ops', `improve commit ${row!.id} <@UOPS> 2030-01-01 done`, 'UOPS'));
    await expectRefused('ack', decide, () => slash('/ops', `improve done ${row!.id} fine`, OUTSIDER, 'cto'));
    await expectRefused('ack', decide, () => slash('/ops', 'improve review', 'UMGR'));
    expect((await slash('/ops', `improve commit ${row!.id} <@UOPS> 2030-01-01 Forms take under a minute`, 'UCTO')).json.text).toContain('is committed');
  });

  it('DR tests: recording, verifying and the history are refused to others; members act', async () => {
    await slash('/ops', 'dr-test', 'UMGR');
    const dr = await t.slack.waitFor(
      async () => (await t.database.db.select().from(checklistRuns)).find((r) => r.checklistId === 'dr-test' && r.messageTs)?.id,
    );
    await t.settle();
    const button = (actionId: string, itemId: string, userId: string, userName?: string) =>
      postSigned(
        t.bot.url,
        blockAction({
          actionId,
          value: itemRef(dr, itemId),
          userId,
          ...(userName ? { userName } : {}),
          channelId: 'COPS',
          messageTs: '1.1',
          responseUrl: t.slack.responseUrl(randomUUID()),
        }),
      );
    const record = 'Only the Technical Lead may record this DR test.';
    await expectRefused('response', record, () => button(ActionIds.itemDrRecord, 'restore-test', OUTSIDER, 'tech-lead'));
    const now = Date.now();
    const at = (ms: number) => ({ [DR_INPUT_ACTION]: { type: 'datetimepicker', selected_date_time: Math.floor(ms / 1000) } });
    const text = (value: string) => ({ [DR_INPUT_ACTION]: { type: 'plain_text_input', value } });
    const form = (userId: string) =>
      viewSubmission({
        callbackId: CallbackIds.drRecord,
        privateMetadata: JSON.stringify({ runId: dr }),
        userId,
        values: {
          [DrFields.start]: at(now - 60 * 60_000),
          [DrFields.end]: at(now - 20 * 60_000),
          [DrFields.backup]: text('database/latest.sql.gz'),
          [DrFields.dataLoss]: text('0'),
          [DrFields.evidence]: text('restored and checked'),
        },
      });
    await expectRefused('view', record, () => postSigned(t.bot.url, form(OUTSIDER)));
    expect((await postSigned(t.bot.url, form('UTECH'))).status).toBe(200);
    await t.slack.waitFor(async () => (await t.database.db.select().from(drTests)).some((r) => r.runId === dr && r.operator === 'UTECH'));
    // The Operations Manager may sign items (`rights.sign`), but verifying is the CTO's here.
    await expectRefused('response', 'Only the CTO may verify DR tests.', () => button(ActionIds.itemDone, 'verify-restore', 'UMGR'));
    await button(ActionIds.itemDone, 'verify-restore', 'UCTO');
    await t.slack.waitFor(async () => (await t.database.db.select().from(drTests)).some((r) => r.runId === dr && r.verifier === 'UCTO'));
    await expectRefused('ack', 'Only the Operations Manager may read the DR test history.', () => slash('/ops', 'dr', OUTSIDER, 'ops-manager'));
    expect((await slash('/ops', 'dr', 'UMGR')).json.text).toContain('Gathering the DR tests');
    await t.settle();
  });

  it('change: an outsider is refused, dressed up or not; a member records one', async () => {
    const who = 'Only the Technical Lead may record changes.';
    await expectRefused('ack', who, () => slash('/ops', 'change aws New VPC', OUTSIDER, 'tech-lead'));
    await expectRefused('ack', who, () => slash('/ops', 'change ghl Text-back v2', 'UMGR'));
    expect((await slash('/ops', 'change aws New VPC', 'UTECH')).json.text).toContain('Recording the change');
    await t.slack.waitFor(async () => (await t.database.db.select().from(checklistRuns)).some((r) => r.checklistId === 'change-aws' && r.messageTs));
  });

  it('on-call cover: an outsider and another role are refused, dressed up or not; a covering right or the role itself sets and clears it', async () => {
    const who = 'Only the CTO, Operations Manager, Technical Lead or CEO may change who covers the CTO.';
    // This bot runs on the real clock: the cover ends the day after tomorrow.
    const until = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    await expectRefused('ack', who, () => slash('/ops', `oncall cover cto <@UOUT> ${until}`, OUTSIDER, 'ceo'));
    await expectRefused('ack', who, () => slash('/ops', 'oncall cover cto clear', 'UOPS', 'ops-manager'));
    expect((await slash('/ops', `oncall cover cto <@UCEO> ${until}`, 'UMGR')).json.text).toContain('<@UCEO> covers the *CTO*');
    expect((await t.database.db.select().from(oncallOverrides)).map((o) => [o.role, o.userId, o.setBy])).toEqual([['cto', 'UCEO', 'UMGR']]);
    expect((await slash('/ops', 'oncall cover cto clear', 'UCTO')).json.text).toContain("Ended <@UCEO>'s cover of the *CTO*");
    await t.settle();
  });
});

describe('rights: the defaults', () => {
  it('declaring, notes, signing, figures, probes, summaries and checklists are open to everyone; incident changes are not', async () => {
    const d = await startTestBot({ config: { roles: { 'ops-team': { name: 'Operations team', members: ['UOPS'] } } } });
    try {
      const res = await postSigned(
        d.bot.url,
        slashCommand({ command: '/incident', text: 'p2 Anyone may declare', userId: OUTSIDER, responseUrl: d.slack.responseUrl('declare') }),
      );
      expect(res.json.text).toContain('Declaring a P2');
      const row = await d.slack.waitFor(async () => (await d.database.db.select().from(incidents))[0]);
      const n = d.slack.responses.length;
      await postSigned(
        d.bot.url,
        blockAction({
          actionId: IncidentIds.escalate,
          value: incidentRef(row.id, 0),
          userId: OUTSIDER,
          channelId: 'CINCIDENTS',
          messageTs: '1.1',
          responseUrl: d.slack.responseUrl('esc'),
        }),
      );
      const reply = await d.slack.waitFor(() => d.slack.responses.slice(n).find((r) => r.id === 'esc'));
      expect(reply.body.text).toBe(`:no_entry: Only the Operations team, Technical Lead, CTO or CEO may escalate incident #${row.id}.`);
      expect((await d.database.db.select().from(incidents))[0]!.level).toBe(0);
      const probe = await postSigned(
        d.bot.url,
        slashCommand({ command: '/ops', text: 'probe health', userId: OUTSIDER, responseUrl: d.slack.responseUrl('probe') }),
      );
      expect(probe.json.text).toContain('Running the `health` probe');
      await d.settle();
    } finally {
      await d.close();
    }
  });
});

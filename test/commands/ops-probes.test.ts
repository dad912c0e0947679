import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { ActionIds, BlockIds, InputActionIds } from '../../blocks/ids';
import { incidents, probeResults } from '../../src/db/schema';
import { loadRun } from '../../src/runs/store';
import { startTestBot, type TestBot } from '../support/harness';
import { startHealthStandin, startStripeStandin, type HealthStandin, type StripeStandin } from '../../sandbox/standins';

let t: TestBot;
let health: HealthStandin;
let stripe: StripeStandin;
const nowSec = () => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  health = await startHealthStandin();
  stripe = await startStripeStandin({
    apiKey: 'sk_test_probe',
    charges: [
      { id: 'ch_1', status: 'succeeded', created: nowSec() - 600 },
      { id: 'ch_2', status: 'failed', created: nowSec() - 500 },
      { id: 'ch_3', status: 'succeeded', created: nowSec() - 400 },
    ],
  });
  t = await startTestBot({
    env: { HEALTH_URL: `${health.url}/api/health`, STRIPE_SECRET_KEY: 'sk_test_probe', STRIPE_API_URL: stripe.url },
    config: { probes: { timeoutMs: 2000, health: { responseTargetMs: 5000 } } },
  });
});
afterAll(async () => {
  await t.close();
  await health.close();
  await stripe.close();
});
afterEach(() => {
  expect(t.slack.problems).toEqual([]);
  health.setFault(null);
});

const sections = (blocks: any[]) => blocks.filter((b) => b.type === 'section').map((b) => b.text.text as string);

async function postMorning() {
  const before = t.slack.callsOf('chat.postMessage').length;
  const sent = performance.now();
  await t.slash('/ops', 'morning');
  await t.slack.waitFor(() => t.slack.callsOf('chat.postMessage').length > before, 10_000);
  const elapsed = performance.now() - sent;
  const msg = t.slack
    .channelMessages('ops')
    .filter((m) => !m.thread_ts)
    .at(-1)!;
  const values = msg.blocks!.filter((b: any) => b.type === 'actions').map((b: any) => b.elements[0].value as string);
  return { msg, values, elapsed, runId: Number(values[0]!.split('|')[0]) };
}

describe('checklist items filled in by probes', () => {
  it('shows each probe verdict with evidence, and stores the results with the run', async () => {
    const { msg, runId } = await postMorning();
    const s = sections(msg.blocks!);
    expect(s[0]).toMatch(/:large_green_circle: `health` ok: healthy, all systems operational/);
    expect(s[0]).toContain('uptime: 99.98%');
    expect(s[5]).toContain(':red_circle: `payments` fail: 33.3% of payments failed (1/3, limit: under 5.0%)');
    expect(s[5]).toContain('failed: 1 · charges: 3');
    expect(s[3]).toMatch(/`forwarding` skipped: not configured: set TWILIO_ACCOUNT_SID/);
    const rows = await t.database.db.select().from(probeResults).where(eq(probeResults.runId, runId));
    expect(rows.map((r) => `${r.probe}:${r.status}`).sort()).toEqual(
      ['agents:unknown', 'alarms:skipped', 'errors:skipped', 'forwarding:skipped', 'health:ok', 'payments:fail'].sort(),
    );
    const state = (await loadRun(t.database.db, runId))!;
    expect(state.items.find((i) => i.itemId === 'payment-processing')).toMatchObject({ status: 'pending', probeStatus: 'fail' });
  });

  it('a failed probe cannot be signed Done without a note', async () => {
    const { msg, values, runId } = await postMorning();
    const payments = values.find((v) => v.endsWith('|payment-processing'))!;
    const opens = t.slack.callsOf('views.open').length;
    await t.click({ actionId: ActionIds.itemDone, value: payments, channelId: msg.channel, messageTs: msg.ts, userId: 'UBOB' });
    const view = (await t.slack.waitFor(() => t.slack.callsOf('views.open')[opens])).args.view;
    expect(JSON.stringify(view.blocks)).toContain('probe failed: say why this is fine');
    expect((await loadRun(t.database.db, runId))!.items.find((i) => i.itemId === 'payment-processing')!.status).toBe('pending');
    await t.submitView({
      callbackId: view.callback_id,
      privateMetadata: view.private_metadata,
      values: { [BlockIds.noteInput]: { [InputActionIds.note]: { type: 'plain_text_input', value: 'Card issuer outage, retried OK' } } },
      userId: 'UBOB',
    });
    await t.slack.waitFor(async () => (await loadRun(t.database.db, runId))!.items.find((i) => i.itemId === 'payment-processing')!.status === 'done');
    const item = (await loadRun(t.database.db, runId))!.items.find((i) => i.itemId === 'payment-processing')!;
    expect(item).toMatchObject({ status: 'done', note: 'Card issuer outage, retried OK', signedBy: 'UBOB' });
  });

  it('a failed probe cannot be marked N/A without a note either; the note is kept', async () => {
    const { msg, values, runId } = await postMorning();
    const payments = values.find((v) => v.endsWith('|payment-processing'))!;
    const opens = t.slack.callsOf('views.open').length;
    await t.click({ actionId: ActionIds.itemNa, value: payments, channelId: msg.channel, messageTs: msg.ts, userId: 'UBOB' });
    const view = (await t.slack.waitFor(() => t.slack.callsOf('views.open')[opens])).args.view;
    expect(view.title.text).toBe('N/A with a note');
    expect(JSON.stringify(view.blocks)).toContain('probe failed: say why this check does not apply');
    expect((await loadRun(t.database.db, runId))!.items.find((i) => i.itemId === 'payment-processing')!.status).toBe('pending');
    // An empty note stays in the modal.
    const empty = await t.submitView({
      callbackId: view.callback_id,
      privateMetadata: view.private_metadata,
      values: { [BlockIds.noteInput]: { [InputActionIds.note]: { type: 'plain_text_input', value: ' ' } } },
      userId: 'UBOB',
    });
    expect(empty.json.response_action).toBe('errors');
    await t.submitView({
      callbackId: view.callback_id,
      privateMetadata: view.private_metadata,
      values: { [BlockIds.noteInput]: { [InputActionIds.note]: { type: 'plain_text_input', value: 'Stripe is not used on Sundays' } } },
      userId: 'UBOB',
    });
    await t.slack.waitFor(async () => (await loadRun(t.database.db, runId))!.items.find((i) => i.itemId === 'payment-processing')!.status === 'na');
    expect((await loadRun(t.database.db, runId))!.items.find((i) => i.itemId === 'payment-processing')).toMatchObject({
      status: 'na',
      note: 'Stripe is not used on Sundays',
    });
  });

  it('a failed probe on a check with a severity opens one incident a day, on the incident engine', async () => {
    const first = await postMorning();
    const rows = await t.slack.waitFor(async () => {
      const r = await t.database.db.select().from(incidents);
      return r.length > 0 ? r : undefined;
    });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ severity: 'p0', system: 'payments', source: 'probe', declaredBy: 'drainpro-ops' });
    expect(rows[0]!.summary).toContain('probe failed: 33.3% of payments failed');
    // Opened by the first run of the day in this file; this run joined it.
    expect(Number(/run (\d+)/.exec(rows[0]!.sourceRef ?? '')?.[1])).toBeLessThanOrEqual(first.runId);
    await t.slack.waitFor(() => t.slack.channelMessages('incidents').some((m) => m.text.includes('33.3% of payments failed')));
    // The same check failing again the same day joins the open incident.
    await postMorning();
    await new Promise((r) => setTimeout(r, 300));
    expect(await t.database.db.select().from(incidents)).toHaveLength(1);
  });

  it('a hanging API delays the post by at most its timeout and leaves the item unknown', async () => {
    health.setFault({ kind: 'hang' });
    const { msg, elapsed } = await postMorning();
    expect(sections(msg.blocks!)[0]).toContain(':grey_question: `health` unknown: timed out after 2000 ms');
    expect(elapsed).toBeGreaterThanOrEqual(1950);
    expect(elapsed).toBeLessThan(2000 + 2500);
  });
});

describe('/ops probe', () => {
  it('acks at once, then answers ephemerally with the results', async () => {
    const res = await t.slash('/ops', 'probe health');
    expect(res.json.text).toContain('Running the `health` probe');
    const reply = await t.slack.waitFor(() => t.slack.responses.find((r) => r.body.text?.startsWith('Probes: health ok')));
    expect(reply.body.response_type).toBe('ephemeral');
    expect(JSON.stringify(reply.body.blocks)).toContain('all_systems: operational');
  });

  it('`all here` posts every probe in the channel', async () => {
    await t.slash('/ops', 'probe all here');
    const reply = await t.slack.waitFor(() => t.slack.responses.find((r) => r.body.response_type === 'in_channel'));
    expect(reply.body.text).toContain('[fail]');
    expect(reply.body.blocks.filter((b: any) => b.type === 'section')).toHaveLength(7);
  });

  it('a typo gets usage help and runs nothing', async () => {
    const before = await t.database.db.select().from(probeResults);
    const res = await t.slash('/ops', 'probe stripe');
    expect(res.json.text).toContain('Unknown probe `stripe`');
    expect(JSON.stringify(res.json.blocks)).toContain('probe &lt;health|alarms|errors|backups|payments|forwarding|agents|all&gt; [here]');
    expect(await t.database.db.select().from(probeResults)).toHaveLength(before.length);
  });
});

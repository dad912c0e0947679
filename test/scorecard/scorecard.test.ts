import { desc } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { summaries } from '../../src/db/schema';
import type { Scorecard } from '../../src/scorecard';
import type { SummaryProse } from '../../src/summary/prose';
import type { WeekFacts } from '../../src/summary/types';
import { FakeClock, startTestBot, type TestBot } from '../support/harness';
import { seedScorecard } from './seed';

let t: TestBot;
const clock = new FakeClock(new Date('2026-03-02T14:00:00Z')); // Monday 09:00 New York: "last" is 2026-W09

beforeAll(async () => {
  // No OpenAI key: the weekly summary is the plain fallback.
  t = await startTestBot({ clock, config: { channels: { leadership: 'exec-room' } } });
  await seedScorecard(t.database.db, t.config);
});
afterAll(() => t?.close());
afterEach(() => expect(t.slack.problems).toEqual([]));

/** `/ops scorecard …` through a signed request; the answer replaces the ack through the response URL. */
async function scorecard(text: string) {
  const before = t.slack.responses.length;
  const res = await t.slash('/ops', text);
  expect(res.status).toBe(200);
  expect(res.json.response_type).toBe('ephemeral');
  const reply = await t.slack.waitFor(() => t.slack.responses[before]);
  return { ack: res.json.text as string, reply: reply.body as { text: string; replace_original: boolean; blocks: { text?: { text: string } }[] } };
}
const lines = (reply: { blocks: { text?: { text: string } }[] }) => reply.blocks.flatMap((b) => (b.text?.text ?? '').split('\n'));
const line = (reply: { blocks: { text?: { text: string } }[] }, label: string) =>
  lines(reply).find((l) => l.includes(` ${label}: `)) ?? `(no line for ${label})`;

describe('/ops scorecard', () => {
  it('shows each of the twelve metrics of the week with its target, value, verdict, trend and basis', async () => {
    const { ack, reply } = await scorecard('scorecard last');
    expect(ack).toContain('Computing the scorecard of *2026-W09*');
    expect(reply.replace_original).toBe(true);
    expect(reply.text).toBe('Scorecard 2026-W09: 6 met · 5 missed · 1 without data');
    expect(reply.blocks[0]!.text!.text).toBe('Scorecard — 2026-W09 (Mon 23 Feb – Sun 1 Mar 2026)');
    const expected: Record<string, string> = {
      Uptime: ':white_check_mark: Uptime: *100%* (target &gt; 99.9%) · better than 2026-W08 (50%) — _4 of 4 health checks_',
      'Response time': ':white_check_mark: Response time: *190 ms* (target &lt; 200 ms) · better than 2026-W08 (300 ms) — _mean of 4 health checks_',
      'Error rate': ':grey_question: Error rate: _no data_ (target &lt; 0.1%) — _no "error-rate" figure entered for the period_',
      'Crash rate': ':x: Crash rate: *1.5%* (target &lt; 1%) · no data for 2026-W08 — _figure "crash-rate"_',
      CPL: ':white_check_mark: CPL: *$19.5* (target &lt; $20) · better than 2026-W08 ($22) — _mean of 2 "cpl" figures_',
      'Conversion rate': ':x: Conversion rate: *24%* (target &gt; 25%) · worse than 2026-W08 (26%) — _figure "conversion-rate"_',
      'Customer satisfaction': ':white_check_mark: Customer satisfaction: *4.6/5* (target &gt; 4.5/5) · same as 2026-W08 (4.6/5) — _figure "average-rating"_',
      'Revenue growth (MoM)': ':white_check_mark: Revenue growth (MoM): *15%* (target &gt; 10%) · same as 2026-W08 (15%) — _"total-revenue" 10000 → 11500_',
      'Incident response': ':x: Incident response: *20 min* (target &lt; 15 min) · worse than 2026-W08 (12 min) — _mean of 2 acknowledged incidents_',
      'Issue resolution': ':white_check_mark: Issue resolution: *9 h* (target &lt; 24 h) · no data for 2026-W08 — _mean of 2 resolved incidents_',
      'Backup success': ':x: Backup success: *85.71%* (target 100%) · no data for 2026-W08 — _6 of 7 backup checks_',
      'Security compliance': ':x: Security compliance: *60%* (target 100%) · worse than 2026-W08 (100%) — _3 of 5 security checklists_',
    };
    for (const [label, text] of Object.entries(expected)) expect(line(reply, label), label).toBe(text);
    // Grouped as the guide groups them.
    const body = reply.blocks.map((b) => b.text?.text ?? '').join('\n');
    for (const g of ['*System health*', '*Business performance*', '*Operational efficiency*']) expect(body).toContain(g);
  });

  it('says "no data" for every metric of a week with nothing recorded', async () => {
    const { reply } = await scorecard('scorecard 2025-W10');
    expect(reply.text).toBe('Scorecard 2025-W10: 0 met · 0 missed · 12 without data');
    expect(lines(reply).filter((l) => l.includes('_no data_'))).toHaveLength(12);
    expect(line(reply, 'Uptime')).toContain('no health checks in the period');
    expect(line(reply, 'Revenue growth (MoM)')).toContain('fewer than two monthly "total-revenue" figures');
    expect(line(reply, 'Incident response')).toContain('no incident declared in the period');
    expect(line(reply, 'Backup success')).toContain('no backup checks in the period');
    expect(line(reply, 'Security compliance')).toContain('no security checklists in the period');
  });

  it('targets come from the config', async () => {
    const b = await startTestBot({ clock, config: { scorecard: { targets: { cplUsd: 19, uptimePct: 99.99 } } } });
    try {
      await seedScorecard(b.database.db, b.config);
      const before = b.slack.responses.length;
      await b.slash('/ops', 'scorecard last');
      const reply = (await b.slack.waitFor(() => b.slack.responses[before])).body as { blocks: { text?: { text: string } }[] };
      expect(line(reply, 'CPL')).toContain(':x: CPL: *$19.5* (target &lt; $19)');
      expect(line(reply, 'Uptime')).toContain('(target &gt; 99.99%)');
    } finally {
      await b.close();
    }
  });

  it('answers bad input with the usage, and a future week plainly', async () => {
    expect((await t.slash('/ops', 'scorecard next-year')).json.text).toContain('Usage: `/ops scorecard [this|last|YYYY-Www]`');
    expect((await t.slash('/ops', 'scorecard 2026-W20')).json.text).toContain('Week 2026-W20 has not started yet.');
  });
});

describe('the weekly summary carries the scorecard', () => {
  it('in its facts, its blocks and the plain fallback', async () => {
    const before = t.slack.callsOf('chat.postMessage').length;
    await t.slash('/ops', 'summary last');
    const call = await t.slack.waitFor(() => t.slack.callsOf('chat.postMessage')[before], 15_000);
    const [row] = await t.database.db.select().from(summaries).orderBy(desc(summaries.id)).limit(1);
    const facts = row!.facts as WeekFacts;
    const card = facts.scorecard as Scorecard;
    expect(card.metrics.map((m) => [m.id, m.value, m.status, m.trend])).toEqual([
      ['uptime', 100, 'met', 'better'],
      ['responseTime', 190, 'met', 'better'],
      ['errorRate', null, 'no_data', null],
      ['crashRate', 1.5, 'missed', null],
      ['cpl', 19.5, 'met', 'better'],
      ['conversion', 24, 'missed', 'worse'],
      ['satisfaction', 4.6, 'met', 'same'],
      ['revenueGrowth', 15, 'met', 'same'],
      ['incidentResponse', 20, 'missed', 'worse'],
      ['issueResolution', 9, 'met', null],
      ['backupSuccess', 85.71, 'missed', null],
      ['securityCompliance', 60, 'missed', 'worse'],
    ]);
    const prose = row!.prose as SummaryProse;
    expect(row!.source).toBe('fallback');
    expect(prose.executiveSummary).toContain('Scorecard: 6 of 12 success metrics on target, 5 missed, 1 without data.');
    expect(prose.challenges).toContain(
      'Off target: Crash rate 1.5 (target < 1), Conversion rate 24 (target > 25), Incident response 20 (target < 15), Backup success 85.71 (target >= 100), Security compliance 60 (target >= 100).',
    );
    const body = JSON.stringify(call.args.blocks);
    expect(body).toContain('*Scorecard* (success metrics) — 6 met · 5 missed · 1 without data');
    expect(body).toContain(':x: Backup success: *85.71%* (target 100%)');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checklistRuns, incidentEvents, incidents, itemEvents } from '../../src/db/schema';
import { exportAudit } from '../../src/audit/export';
import { parseAuditArgs } from '../../commands/ops-audit';
import { FakeClock, startTestBot, type TestBot } from '../support/harness';

const CONFIG = {
  roles: {
    'ops-team': { name: 'Operations team', members: ['UOPS'] },
    'ops-manager': { name: 'Operations Manager', members: ['UMGR'] },
    'tech-lead': { name: 'Technical Lead', members: ['UTECH'] },
    cto: { name: 'CTO', members: ['UCTO'] },
    ceo: { name: 'CEO', members: ['UCEO'] },
  },
};
const clock = new FakeClock(new Date('2026-03-03T15:00:00Z'));
let t: TestBot;

/** Cells that a spreadsheet would run as formulas, and cells that need RFC 4180 quoting. */
const HOSTILE = [
  '=HYPERLINK("http://evil.example","click")',
  "+1+cmd|' /C calc'!A0",
  '-2+3',
  '@SUM(A1:A9)',
  '\tTAB=1',
  '\r=CR',
  'comma, "quote"\nand a new line',
];

beforeAll(async () => {
  t = await startTestBot({ config: CONFIG, clock });
  const db = t.database.db;
  const def = t.config.checklists.find((c) => c.id === 'morning')!;
  const [run] = await db
    .insert(checklistRuns)
    .values({
      checklistId: 'morning',
      periodKey: '2026-03-02T09:00',
      kind: 'scheduled',
      scheduledFor: new Date('2026-03-02T14:00:00Z'),
      definition: def,
      channel: 'ops',
      messageTs: '1.1',
      createdAt: new Date('2026-03-02T14:00:00Z'),
    })
    .returning();
  await db.insert(itemEvents).values(
    HOSTILE.map((note, i) => ({
      runId: run!.id,
      itemId: `item-${i}`,
      status: 'problem' as const,
      previousStatus: 'pending' as const,
      userId: 'UOPS',
      note,
      requestKey: `k${i}`,
      at: new Date(Date.UTC(2026, 2, 2, 15, i)),
    })),
  );
  // Outside the range (1 March 2026 in New York ends 05:00Z on the 2nd... this is the 28th of February).
  await db.insert(itemEvents).values({
    runId: run!.id,
    itemId: 'old',
    status: 'done',
    previousStatus: 'pending',
    userId: 'UOPS',
    note: 'too old',
    requestKey: 'old',
    at: new Date('2026-02-28T12:00:00Z'),
  });
  const [inc] = await db
    .insert(incidents)
    .values({
      dedupeKey: 'd1',
      severity: 'p1',
      summary: "=cmd|' /C calc'!A0",
      declaredBy: 'UOPS',
      source: 'manual',
      level: 1,
      policy: {},
      declaredAt: new Date('2026-03-02T16:00:00Z'),
      responseDueAt: new Date('2026-03-02T17:00:00Z'),
      channel: 'incidents',
    })
    .returning();
  await db.insert(incidentEvents).values([
    { incidentId: inc!.id, kind: 'declared', userId: 'UOPS', level: 1, text: '@channel everything is down', at: new Date('2026-03-02T16:00:00Z') },
    { incidentId: inc!.id, kind: 'note', userId: 'UTECH', level: null, text: 'plain note', at: new Date('2026-03-02T16:05:00Z') },
  ]);
});
afterAll(() => t?.close());

/** RFC 4180 parser: quoted fields, doubled quotes, CRLF records. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), (i += 2);
      else if (c === '"') (quoted = false), (i += 1);
      else (cell += c), (i += 1);
    } else if (c === '"' && cell === '') (quoted = true), (i += 1);
    else if (c === ',') row.push(cell), (cell = ''), (i += 1);
    else if (c === '\r' && text[i + 1] === '\n') row.push(cell), rows.push(row), (row = []), (cell = ''), (i += 2);
    else if (c === '\r' || c === '\n') throw new Error(`bare line break at ${i}`);
    else (cell += c), (i += 1);
  }
  if (cell !== '' || row.length) throw new Error('last record not terminated by CRLF');
  return rows;
}

const uploaded = () => [...t.slack.uploads.values()].filter((u) => u.completed);

describe('/ops audit: the audit log as CSV, by DM through files.uploadV2', () => {
  it('uploads an RFC 4180 CSV to the requester; formulas are neutralised; the range is applied', async () => {
    const res = await t.slash('/ops', 'audit 2026-03-02 2026-03-02 all', { userId: 'UMGR' });
    expect(res.json.text).toContain('Exporting the audit log (all, 2026-03-02 to 2026-03-02)');
    await t.slack.waitFor(() => uploaded().length === 1 || undefined);
    await t.settle();
    const [file] = uploaded();
    expect(file!.filename).toBe('drainpro-audit-all-2026-03-02_2026-03-02.csv');
    expect(file!.channel).toBe(t.slack.channelId('UMGR')); // the requester's DM
    expect(file!.initialComment).toContain('9 entries');
    expect(t.slack.callsOf('files.getUploadURLExternal')).toHaveLength(1);
    expect(t.slack.callsOf('files.completeUploadExternal')).toHaveLength(1);

    const rows = parseCsv(file!.bytes!.toString('utf8'));
    expect(rows[0]).toEqual(['at_utc', 'source', 'reference', 'subject', 'action', 'previous', 'user', 'text']);
    expect(rows).toHaveLength(1 + HOSTILE.length + 2);
    for (const r of rows) for (const cell of r) expect(cell, cell).not.toMatch(/^[=+\-@\t\r]/);
    // Each hostile note comes back as text: an apostrophe before a formula start, the rest intact.
    expect(rows.slice(1, 1 + HOSTILE.length).map((r) => r[7])).toEqual(HOSTILE.map((h) => (/^[=+\-@\t\r]/.test(h) ? `'${h}` : h)));
    expect(rows.map((r) => r[7])).not.toContain('too old');
    const inc = rows.filter((r) => r[1] === 'incident');
    expect(inc.map((r) => [r[3], r[4], r[7]])).toEqual([
      ["'=cmd|' /C calc'!A0", 'declared', "'@channel everything is down"],
      ["'=cmd|' /C calc'!A0", 'note', 'plain note'],
    ]);
    const done = t.slack.responses.at(-1)!.body as { text: string };
    expect(done.text).toContain('Audit log sent to you by DM: 9 entries');
  });

  it('reads the range page by page: a page of 2 gives the same file', async () => {
    const before = uploaded().length;
    const from = new Date('2026-03-02T05:00:00Z');
    const to = new Date('2026-03-03T05:00:00Z');
    const res = await exportAudit(t.bot.deps, { kind: 'all', from, to, label: 'x', fileLabel: 'paged', userId: 'UMGR' }, 2);
    expect(res.rows).toBe(9);
    const files = uploaded();
    expect(files).toHaveLength(before + 1);
    expect(files.at(-1)!.bytes!.equals(files[0]!.bytes!)).toBe(true);
  });

  it('only checklists or only incidents', async () => {
    const res = await exportAudit(t.bot.deps, {
      kind: 'incidents',
      from: new Date('2026-03-01T00:00:00Z'),
      to: new Date('2026-03-04T00:00:00Z'),
      label: 'x',
      fileLabel: 'inc',
      userId: 'UMGR',
    });
    expect(res.rows).toBe(2);
  });

  it('Slack refusing the upload: the requester is told why and that nothing retries it', async () => {
    t.slack.fault({ method: 'files.getUploadURLExternal', error: 'missing_scope', times: 1 });
    const before = t.slack.responses.length;
    await t.slash('/ops', 'audit checklists', { userId: 'UCEO' });
    const r = await t.slack.waitFor(() => t.slack.responses.slice(before).find((x) => String(x.body.text).includes('not sent')));
    expect(r.body.text).toContain('The audit log was not sent: The app lacks a Slack permission');
    expect(r.body.text).toContain('Nothing will retry it');
  });

  it('refuses who may not, naming who may; bad input gets the usage', async () => {
    const refused = await t.slash('/ops', 'audit', { userId: 'UOPS' });
    expect(refused.json.text).toContain('Only the Operations Manager, Technical Lead, CTO or CEO may export the audit log.');
    const bad = await t.slash('/ops', 'audit yesterday', { userId: 'UMGR' });
    expect(JSON.stringify(bad.json)).toContain('is neither a date (YYYY-MM-DD) nor checklists, incidents or all.');
    expect(parseAuditArgs(['2026-03-05', '2026-03-01'], clock.now(), 'America/New_York')).toEqual({
      problem: 'The range starts (2026-03-05) after it ends (2026-03-01).',
    });
    expect(parseAuditArgs(['2026-02-30'], clock.now(), 'America/New_York')).toHaveProperty('problem');
  });
});

import { describe, expect, it } from 'vitest';
import {
  buildChecklistMessage,
  buildChecklistPart,
  checklistParts,
  isThreaded,
  progressBar,
  type ChecklistItemView,
  type ChecklistView,
} from '../../blocks/checklist';
import { messageProblems, modalProblems } from '../../src/slack/limits';
import { buildProblemModal, validateNote } from '../../blocks/problem-modal';
import { buildUsageMessage } from '../../blocks/help';
import { mrkdwn } from '../../blocks/format';

const view: ChecklistView = {
  runId: 42,
  name: 'Morning Checklist',
  dateText: 'Mon, 2 Mar 2026',
  ownerRole: 'Operations Manager',
  durationMinutes: 15,
  onDemand: true,
  late: false,
  items: [
    {
      id: 'system-health',
      title: 'System health',
      checks: ['status healthy'],
      target: 'response < 200 ms',
      status: 'done',
      signedBy: 'UBOB',
      signedAt: new Date('2026-03-02T14:05:00Z'),
      signedAtText: '09:05',
      probe: { name: 'health', status: 'ok', summary: 'healthy in 120 ms' },
    },
    { id: 'payments', title: 'Payment processing', checks: ['failed < 5%'], status: 'problem', signedBy: 'UCAROL', note: 'refunds <!channel>' },
  ],
};

describe('buildChecklistMessage', () => {
  it('renders header, items with status and buttons, and progress', () => {
    const msg = buildChecklistMessage(view);
    expect(msg.text).toBe('Morning Checklist (Mon, 2 Mar 2026): 2/2 signed');
    expect(msg.blocks![0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Morning Checklist — Mon, 2 Mar 2026' } });
    expect(msg.blocks![3]).toEqual({
      type: 'section',
      block_id: 'item:system-health',
      text: {
        type: 'mrkdwn',
        text: '*1. System health*\n• status healthy\n_Target: response &lt; 200 ms_\n:large_green_circle: `health` ok: healthy in 120 ms\n:white_check_mark: Done by <@UBOB> at <!date^1772460300^{time}|09:05>',
      },
    });
    expect(msg.blocks![4]).toEqual({
      type: 'actions',
      block_id: 'item_actions:system-health',
      elements: [
        { type: 'button', text: { type: 'plain_text', text: 'Done' }, action_id: 'item_done', value: '42|system-health' },
        { type: 'button', text: { type: 'plain_text', text: 'Problem' }, action_id: 'item_problem', value: '42|system-health', style: 'danger' },
        { type: 'button', text: { type: 'plain_text', text: 'N/A' }, action_id: 'item_na', value: '42|system-health' },
      ],
    });
    expect((msg.blocks![5] as any).text.text).toContain('> refunds &lt;!channel&gt;');
    expect(messageProblems(msg)).toBeNull();
  });

  it('shows completion instead of progress once complete', () => {
    const msg = buildChecklistMessage({
      ...view,
      completion: { at: new Date('2026-03-02T14:12:00Z'), atText: 'Mon 09:12', by: ['UBOB', 'UCAROL'], tookMs: 12 * 60_000 },
    });
    expect(JSON.stringify(msg.blocks!.at(-1))).toContain('signed by <@UBOB>, <@UCAROL> in 12 min');
  });

  it('stays within Block Kit limits with huge notes and summaries', () => {
    const huge = 'x'.repeat(10_000);
    const msg = buildChecklistMessage({
      ...view,
      name: huge,
      items: Array.from({ length: 10 }, (_, i) => ({
        id: `i${i}`,
        title: huge.slice(0, 100),
        checks: [huge.slice(0, 150)],
        status: 'problem' as const,
        note: huge,
        probe: { name: 'health', status: 'fail' as const, summary: huge },
      })),
    });
    expect(messageProblems(msg)).toBeNull();
  });

  it('progress bar', () => {
    expect(progressBar(3, 7)).toBe('▓▓▓▓░░░░░░ 3/7 signed');
    expect(progressBar(0, 7)).toBe('░░░░░░░░░░ 0/7 signed');
  });
});

describe('limits schema', () => {
  it('rejects what Slack would reject', () => {
    expect(messageProblems({ text: 'x', blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })) })).toMatch(/blocks/);
    expect(messageProblems({ text: 'x', blocks: [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }] })).toMatch(/blocks\.0\.text\.text/);
    expect(messageProblems({ text: 'x', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 's'.repeat(3001) } }] })).not.toBeNull();
    expect(
      messageProblems({
        text: 'x',
        blocks: [
          {
            type: 'actions',
            elements: Array.from({ length: 26 }, (_, i) => ({ type: 'button', text: { type: 'plain_text', text: 'b' }, action_id: `a${i}` })),
          },
        ],
      }),
    ).not.toBeNull();
    expect(
      messageProblems({
        text: 'x',
        blocks: [{ type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'b'.repeat(76) }, action_id: 'a' }] }],
      }),
    ).not.toBeNull();
    expect(
      messageProblems({
        text: 'x',
        blocks: [{ type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'b' }, action_id: 'a'.repeat(256) }] }],
      }),
    ).not.toBeNull();
    expect(
      messageProblems({
        text: 'x',
        blocks: [
          { type: 'section', block_id: 'same', text: { type: 'mrkdwn', text: 'a' } },
          { type: 'divider', block_id: 'same' },
        ],
      }),
    ).toMatch(/duplicate block_id/);
    expect(messageProblems({ text: '', blocks: [] })).not.toBeNull();
  });
});

describe('problem modal and usage', () => {
  it('the modal is valid and carries the item in its metadata', () => {
    const modal = buildProblemModal({ runId: 7, itemId: 'payments', itemTitle: 'Payment processing', status: 'problem' });
    expect(modalProblems(modal)).toBeNull();
    expect(JSON.parse(modal.private_metadata!)).toEqual({ runId: 7, itemId: 'payments', status: 'problem' });
  });

  it('validates notes', () => {
    expect(validateNote('  ok  ')).toEqual({ ok: true, note: 'ok' });
    expect(validateNote('')).toEqual({ ok: false, error: 'Please write a short note.' });
    expect(validateNote('n'.repeat(501))).toEqual({ ok: false, error: 'Keep it under 500 characters.' });
    expect(validateNote(undefined)).toMatchObject({ ok: false });
  });

  it('usage message lists entries', () => {
    const msg = buildUsageMessage('/ops', [{ usage: 'help', description: 'show this help' }], mrkdwn`Unknown subcommand \`x\`.`);
    expect(msg.blocks![0]).toEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: ':warning: Unknown subcommand `x`.\n\n*Usage of `/ops`*\n• `/ops help` — show this help' },
    });
    expect(messageProblems(msg)).toBeNull();
  });
});

describe('long checklists', () => {
  const items = Array.from({ length: 19 }, (_, i) => ({
    id: `i${i}`,
    title: `Item ${i}`,
    checks: ['check'],
    status: (i < 3 ? 'done' : i === 3 ? 'problem' : 'pending') as ChecklistItemView['status'],
    sectionId: i < 2 ? 'perf' : 'security',
    sectionTitle: i < 2 ? 'Monthly Performance Review' : 'Security Audit',
  }));
  const long: ChecklistView = { ...view, items };

  it('post a parent with progress per section, and every item in a threaded part', () => {
    expect(isThreaded(long)).toBe(true);
    const parent = buildChecklistMessage(long);
    expect(parent.blocks!.some((b) => b.type === 'actions')).toBe(false);
    expect(JSON.stringify(parent.blocks)).toContain('1. Monthly Performance Review — 2/2');
    expect(JSON.stringify(parent.blocks)).toContain('2. Security Audit — 2/15 (:red_circle: 1 problem)');
    expect(JSON.stringify(parent.blocks)).toContain('3. Security Audit — 0/2');
    const parts = checklistParts(long);
    expect(parts.map((p) => [p.key, p.items.length])).toEqual([
      ['perf', 2],
      ['security', 15],
      ['security~2', 2],
    ]);
    const signable = parts.flatMap((p) => buildChecklistPart(long, p).blocks!.filter((b) => b.type === 'actions'));
    expect(signable).toHaveLength(19);
    for (const p of parts) expect(messageProblems(buildChecklistPart(long, p))).toBeNull();
    expect(messageProblems(parent)).toBeNull();
    expect((buildChecklistPart(long, parts[2]!).blocks![1] as any).text.text).toMatch(/^\*18\. Item 17\*/);
  });

  it('short checklists with several sections stay one message with section labels', () => {
    const short = { ...view, items: items.slice(0, 4) };
    const msg = buildChecklistMessage(short);
    expect(isThreaded(short)).toBe(false);
    expect(msg.blocks!.filter((b) => b.type === 'actions')).toHaveLength(4);
    expect(JSON.stringify(msg.blocks)).toContain('*Security Audit*');
  });

  it('items with figures show the values, their changes and an Enter figures button', () => {
    const msg = buildChecklistMessage({
      ...view,
      items: [
        {
          ...view.items[0]!,
          figures: [
            { label: 'Total leads', value: '120', changes: ['↑ +12% vs previous week'], target: '> 100' },
            { label: 'CPL', changes: [] },
          ],
        },
      ],
    });
    const text = (msg.blocks![3] as any).text.text as string;
    expect(text).toContain('▸ Total leads: *120*  (↑ +12% vs previous week · target &gt; 100)');
    expect(text).toContain('▸ CPL: _____');
    expect((msg.blocks![4] as any).elements.map((e: any) => e.action_id)).toEqual(['item_done', 'item_problem', 'item_na', 'item_figures']);
  });
});

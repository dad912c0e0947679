import { ActionIds, BlockIds, itemRef } from './ids';
import { clip, LIMITS, type Block, type Message } from './limits';
import { escapeMrkdwn, formatDuration, mention, plural, slackDate } from './format';

export type ItemStatus = 'pending' | 'done' | 'problem' | 'na';
export type ProbeVerdict = 'ok' | 'warn' | 'fail' | 'unknown' | 'skipped';

export interface ChecklistItemView {
  id: string;
  title: string;
  checks: string[];
  target?: string;
  status: ItemStatus;
  signedBy?: string;
  signedAt?: Date;
  /** Business-time text of signedAt, for clients that cannot render date tokens. */
  signedAtText?: string;
  note?: string;
  probe?: { name: string; status: ProbeVerdict; summary: string; evidence?: string };
}

export interface ChecklistView {
  runId: number;
  name: string;
  dateText: string;
  ownerRole: string;
  durationMinutes: number;
  onDemand: boolean;
  late: boolean;
  items: ChecklistItemView[];
  completion?: { at: Date; atText: string; by: string[]; tookMs: number };
}

const STATUS_LABEL: Record<ItemStatus, string> = {
  pending: ':white_circle: Not signed',
  done: ':white_check_mark: Done',
  problem: ':red_circle: Problem',
  na: ':heavy_minus_sign: N/A',
};

export const PROBE_ICON: Record<ProbeVerdict, string> = {
  ok: ':large_green_circle:',
  warn: ':large_yellow_circle:',
  fail: ':red_circle:',
  unknown: ':grey_question:',
  skipped: ':white_circle:',
};

export function progressBar(signed: number, total: number, width = 10): string {
  const filled = total === 0 ? width : Math.round((signed / total) * width);
  return `${'▓'.repeat(filled)}${'░'.repeat(width - filled)} ${signed}/${total} signed`;
}

/** How much of each item to show: messages that would break the size limit are shown more tersely. */
type Detail = 'full' | 'compact' | 'minimal';
const DETAIL_CAPS: Record<Detail, { checks: boolean; note: number; summary: number }> = {
  full: { checks: true, note: 500, summary: 300 },
  compact: { checks: false, note: 200, summary: 150 },
  minimal: { checks: false, note: 60, summary: 60 },
};

function itemText(item: ChecklistItemView, index: number, detail: Detail): string {
  const caps = DETAIL_CAPS[detail];
  const lines = [`*${index + 1}. ${escapeMrkdwn(clip(item.title, 150))}*`];
  if (caps.checks) for (const c of item.checks) lines.push(`• ${escapeMrkdwn(c)}`);
  if (item.target && detail !== 'minimal') lines.push(`_Target: ${escapeMrkdwn(clip(item.target, 200))}_`);
  if (item.probe) {
    lines.push(`${PROBE_ICON[item.probe.status]} \`${item.probe.name}\` ${item.probe.status}: ${escapeMrkdwn(clip(item.probe.summary, caps.summary))}`);
    if (item.probe.evidence && detail === 'full') lines.push(`      _${escapeMrkdwn(clip(item.probe.evidence, 300))}_`);
  }
  let status = STATUS_LABEL[item.status];
  if (item.status !== 'pending' && item.signedBy) {
    status += ` by ${mention(item.signedBy)}`;
    if (item.signedAt) status += ` at ${slackDate(item.signedAt, '{time}', item.signedAtText ?? item.signedAt.toISOString())}`;
  }
  lines.push(status);
  if (item.note) lines.push(`> ${escapeMrkdwn(clip(item.note, caps.note)).replace(/\n/g, '\n> ')}`);
  return clip(lines.join('\n'), LIMITS.sectionText);
}

function itemButtons(runId: number, item: ChecklistItemView): Block {
  const value = itemRef(runId, item.id);
  return {
    type: 'actions',
    block_id: BlockIds.itemActions(item.id),
    elements: [
      { type: 'button', text: { type: 'plain_text', text: 'Done' }, action_id: ActionIds.itemDone, value, ...(item.status === 'done' ? {} : { style: 'primary' as const }) },
      { type: 'button', text: { type: 'plain_text', text: 'Problem' }, action_id: ActionIds.itemProblem, value, style: 'danger' },
      { type: 'button', text: { type: 'plain_text', text: 'N/A' }, action_id: ActionIds.itemNa, value },
    ],
  };
}

export function signedCount(items: readonly ChecklistItemView[]): number {
  return items.filter((i) => i.status !== 'pending').length;
}

/** Items one message can carry within both the 50-block and the ~13k-character limit. */
export const MAX_ITEMS_PER_MESSAGE = 15;

/**
 * The interactive checklist message: header, one section and one row of buttons per item,
 * progress. If the full text would pass Block Kit's size limit, items are shown more tersely;
 * every item keeps its buttons.
 */
export function buildChecklistMessage(view: ChecklistView): Message {
  if (view.items.length > MAX_ITEMS_PER_MESSAGE) {
    throw new RangeError(`a checklist message holds at most ${MAX_ITEMS_PER_MESSAGE} items (got ${view.items.length}); split it into sections`);
  }
  let msg = renderChecklist(view, 'full');
  for (const detail of ['compact', 'minimal'] as const) {
    if (JSON.stringify(msg.blocks).length <= LIMITS.messageJson) break;
    msg = renderChecklist(view, detail);
  }
  return msg;
}

function renderChecklist(view: ChecklistView, detail: Detail): Message {
  const signed = signedCount(view.items);
  const total = view.items.length;
  const tags = [view.onDemand ? ':raising_hand: on demand' : '', view.late ? ':turtle: posted late' : ''].filter(Boolean);
  const blocks: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(`${view.name} — ${view.dateText}`, LIMITS.headerText) } },
    {
      type: 'context',
      elements: [{ type: 'mrkdwn', text: [`Owner: *${escapeMrkdwn(view.ownerRole)}*`, `${view.durationMinutes} min`, ...tags].join('  ·  ') }],
    },
    { type: 'divider' },
  ];
  view.items.forEach((item, i) => {
    blocks.push({ type: 'section', block_id: BlockIds.item(item.id), text: { type: 'mrkdwn', text: itemText(item, i, detail) } });
    blocks.push(itemButtons(view.runId, item));
  });
  blocks.push({ type: 'divider' });
  if (view.completion) {
    const c = view.completion;
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: clip(
          `:tada: *Checklist complete* at ${slackDate(c.at, '{date_short} {time}', c.atText)} — signed by ${c.by.map(mention).join(', ')} in ${formatDuration(c.tookMs)}.`,
          LIMITS.sectionText,
        ),
      },
    });
  } else {
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `\`${progressBar(signed, total)}\`` }] });
  }
  const text = view.completion
    ? `${view.name} (${view.dateText}) complete: ${plural(total, 'item')} signed`
    : `${view.name} (${view.dateText}): ${signed}/${total} signed`;
  return { text, blocks };
}

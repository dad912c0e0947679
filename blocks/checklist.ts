import { ActionIds, BlockIds, itemRef } from './ids';
import { clip, LIMITS, type Block, type Message } from './limits';
import { clipMrkdwn, escapeMrkdwn, formatDuration, joinMrkdwn, mention, mrkdwn, plural, slackDate, type Mrkdwn } from './format';

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
  sectionId?: string;
  sectionTitle?: string;
  /** Figures the item asks for ("Total leads: ____"), with the value entered and its changes. */
  figures?: FigureLine[];
  /** A DR test's restore: its button records the test (times, backup, data loss, evidence) instead of bare figures. */
  drRecord?: boolean;
}

export interface FigureLine {
  label: string;
  /** Formatted value, or undefined while nobody has entered it. */
  value?: string;
  target?: string;
  /** e.g. "↑ +12% vs previous week" */
  changes: string[];
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

const STATUS_LABEL: Record<ItemStatus, Mrkdwn> = {
  pending: mrkdwn`:white_circle: Not signed`,
  done: mrkdwn`:white_check_mark: Done`,
  problem: mrkdwn`:red_circle: Problem`,
  na: mrkdwn`:heavy_minus_sign: N/A`,
};

export const PROBE_ICON: Record<ProbeVerdict, Mrkdwn> = {
  ok: mrkdwn`:large_green_circle:`,
  warn: mrkdwn`:large_yellow_circle:`,
  fail: mrkdwn`:red_circle:`,
  unknown: mrkdwn`:grey_question:`,
  skipped: mrkdwn`:white_circle:`,
};

export function progressBar(signed: number, total: number, width = 10): Mrkdwn {
  const filled = total === 0 ? width : Math.round((signed / total) * width);
  return mrkdwn`${escapeMrkdwn('▓'.repeat(filled))}${escapeMrkdwn('░'.repeat(width - filled))} ${signed}/${total} signed`;
}

/** How much of each item to show: messages that would break the size limit are shown more tersely. */
type Detail = 'full' | 'compact' | 'minimal';
const DETAIL_CAPS: Record<Detail, { checks: boolean; note: number; summary: number }> = {
  full: { checks: true, note: 500, summary: 300 },
  compact: { checks: false, note: 200, summary: 150 },
  minimal: { checks: false, note: 60, summary: 60 },
};

function itemText(item: ChecklistItemView, index: number, detail: Detail): Mrkdwn {
  const caps = DETAIL_CAPS[detail];
  const lines = [mrkdwn`*${index + 1}. ${escapeMrkdwn(clip(item.title, 150))}*`];
  if (caps.checks) for (const c of item.checks) lines.push(mrkdwn`• ${escapeMrkdwn(c)}`);
  if (item.target && detail !== 'minimal') lines.push(mrkdwn`_Target: ${escapeMrkdwn(clip(item.target, 200))}_`);
  if (item.probe) {
    lines.push(
      mrkdwn`${PROBE_ICON[item.probe.status]} \`${escapeMrkdwn(clip(item.probe.name, 60))}\` ${escapeMrkdwn(item.probe.status)}: ${escapeMrkdwn(clip(item.probe.summary, caps.summary))}`,
    );
    // 600: the backups probe's evidence is one line per nightly backup (three by default).
    if (item.probe.evidence && detail === 'full') lines.push(mrkdwn`      _${escapeMrkdwn(clip(item.probe.evidence, 600))}_`);
  }
  if (item.figures && detail !== 'minimal') {
    for (const f of item.figures) {
      const value = f.value === undefined ? mrkdwn`_____` : mrkdwn`*${escapeMrkdwn(f.value)}*`;
      const extra = [...f.changes, ...(f.target && detail === 'full' ? [`target ${f.target}`] : [])];
      lines.push(mrkdwn`▸ ${escapeMrkdwn(f.label)}: ${value}${extra.length ? mrkdwn`  (${escapeMrkdwn(extra.join(' · '))})` : mrkdwn``}`);
    }
  }
  let status = STATUS_LABEL[item.status];
  if (item.status !== 'pending' && item.signedBy) {
    status = mrkdwn`${status} by ${mention(item.signedBy)}`;
    if (item.signedAt) status = mrkdwn`${status} at ${slackDate(item.signedAt, '{time}', item.signedAtText ?? item.signedAt.toISOString())}`;
  }
  lines.push(status);
  if (item.note) lines.push(mrkdwn`> ${joinMrkdwn(clip(item.note, caps.note).split('\n').map(escapeMrkdwn), '\n> ')}`);
  return clipMrkdwn(joinMrkdwn(lines), LIMITS.sectionText);
}

function itemButtons(runId: number, item: ChecklistItemView): Block {
  const value = itemRef(runId, item.id);
  return {
    type: 'actions',
    block_id: BlockIds.itemActions(item.id),
    elements: [
      {
        type: 'button',
        text: { type: 'plain_text', text: 'Done' },
        action_id: ActionIds.itemDone,
        value,
        ...(item.status === 'done' ? {} : { style: 'primary' as const }),
      },
      { type: 'button', text: { type: 'plain_text', text: 'Problem' }, action_id: ActionIds.itemProblem, value, style: 'danger' },
      { type: 'button', text: { type: 'plain_text', text: 'N/A' }, action_id: ActionIds.itemNa, value },
      ...(item.drRecord
        ? [{ type: 'button' as const, text: { type: 'plain_text' as const, text: 'Record DR test' }, action_id: ActionIds.itemDrRecord, value }]
        : item.figures?.length
          ? [{ type: 'button' as const, text: { type: 'plain_text' as const, text: 'Enter figures' }, action_id: ActionIds.itemFigures, value }]
          : []),
    ],
  };
}

export function signedCount(items: readonly ChecklistItemView[]): number {
  return items.filter((i) => i.status !== 'pending').length;
}

/** Items one message can carry within both the 50-block and the ~13k-character limit. */
export const MAX_ITEMS_PER_MESSAGE = 15;
/** Checklists with more items are posted as a parent message with one threaded reply per section. */
export const SINGLE_MESSAGE_MAX_ITEMS = 10;

export interface ChecklistPart {
  /** Stable key of the part: the section id, with `~2`, `~3` for a section longer than a message. */
  key: string;
  title: string;
  /** The items of this part with their number in the whole checklist. */
  items: { item: ChecklistItemView; number: number }[];
}

/** Groups items into the parts (threaded messages) of a long checklist; one part for a short one. */
export function checklistParts(view: ChecklistView): ChecklistPart[] {
  const parts: ChecklistPart[] = [];
  view.items.forEach((item, i) => {
    const sectionId = item.sectionId ?? 'items';
    let last = parts.at(-1);
    if (!last || last.key.split('~')[0] !== sectionId || last.items.length >= MAX_ITEMS_PER_MESSAGE) {
      const n = parts.filter((p) => p.key.split('~')[0] === sectionId).length;
      last = { key: n === 0 ? sectionId : `${sectionId}~${n + 1}`, title: item.sectionTitle ?? '', items: [] };
      parts.push(last);
    }
    last.items.push({ item, number: i + 1 });
  });
  return parts;
}

export function isThreaded(view: ChecklistView): boolean {
  return view.items.length > SINGLE_MESSAGE_MAX_ITEMS;
}

/** Tries full, then terser item text until the message fits Block Kit's size limit. */
function fitting(render: (detail: Detail) => Message): Message {
  let msg = render('full');
  for (const detail of ['compact', 'minimal'] as const) {
    if (JSON.stringify(msg.blocks).length <= LIMITS.messageJson) break;
    msg = render(detail);
  }
  return msg;
}

/**
 * The checklist's main message. A short checklist carries its items (one section and one row of
 * buttons each) and a progress line; a long one is a parent showing progress per section, with
 * the items in threaded replies (buildChecklistPart). Every item stays signable.
 */
export function buildChecklistMessage(view: ChecklistView): Message {
  if (!isThreaded(view)) {
    if (view.items.length > MAX_ITEMS_PER_MESSAGE) {
      throw new RangeError(`a checklist message holds at most ${MAX_ITEMS_PER_MESSAGE} items (got ${view.items.length}); split it into sections`);
    }
    return fitting((detail) => renderSingle(view, detail));
  }
  return renderParent(view);
}

/** One threaded part of a long checklist: its section's items with their buttons. */
export function buildChecklistPart(view: ChecklistView, part: ChecklistPart): Message {
  const parts = checklistParts(view);
  const index = parts.findIndex((p) => p.key === part.key) + 1;
  return fitting((detail) => {
    const blocks: Block[] = [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: clipMrkdwn(mrkdwn`*${escapeMrkdwn(clip(part.title || view.name, 200))}*  ·  part ${index} of ${parts.length}`, LIMITS.sectionText),
        },
      },
    ];
    for (const { item, number } of part.items) pushItem(blocks, view.runId, item, number, detail);
    const signed = part.items.filter((x) => x.item.status !== 'pending').length;
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: mrkdwn`\`${progressBar(signed, part.items.length)}\`` }] });
    return { text: mrkdwn`${escapeMrkdwn(clip(view.name, 200))}: ${escapeMrkdwn(clip(part.title, 200))} (${signed}/${part.items.length} signed)`, blocks };
  });
}

function headBlocks(view: ChecklistView): Block[] {
  const tags = [view.onDemand ? mrkdwn`:raising_hand: on demand` : null, view.late ? mrkdwn`:turtle: posted late` : null].filter((t) => t !== null);
  return [
    { type: 'header', text: { type: 'plain_text', text: clip(`${view.name} — ${view.dateText}`, LIMITS.headerText) } },
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: joinMrkdwn([mrkdwn`Owner: *${escapeMrkdwn(clip(view.ownerRole, 200))}*`, mrkdwn`${view.durationMinutes} min`, ...tags], '  ·  '),
        },
      ],
    },
  ];
}

function footBlock(view: ChecklistView): Block {
  if (view.completion) {
    const c = view.completion;
    return {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: clipMrkdwn(
          mrkdwn`:tada: *Checklist complete* at ${slackDate(c.at, '{date_short} {time}', c.atText)} — signed by ${joinMrkdwn(c.by.map(mention), ', ')} in ${formatDuration(c.tookMs)}.`,
          LIMITS.sectionText,
        ),
      },
    };
  }
  return { type: 'context', elements: [{ type: 'mrkdwn', text: mrkdwn`\`${progressBar(signedCount(view.items), view.items.length)}\`` }] };
}

function summaryText(view: ChecklistView): Mrkdwn {
  const signed = signedCount(view.items);
  const total = view.items.length;
  return view.completion
    ? mrkdwn`${escapeMrkdwn(view.name)} (${escapeMrkdwn(view.dateText)}) complete: ${plural(total, 'item')} signed`
    : mrkdwn`${escapeMrkdwn(view.name)} (${escapeMrkdwn(view.dateText)}): ${signed}/${total} signed`;
}

function pushItem(blocks: Block[], runId: number, item: ChecklistItemView, number: number, detail: Detail): void {
  blocks.push({ type: 'section', block_id: BlockIds.item(item.id), text: { type: 'mrkdwn', text: itemText(item, number - 1, detail) } });
  blocks.push(itemButtons(runId, item));
}

function renderSingle(view: ChecklistView, detail: Detail): Message {
  const blocks = [...headBlocks(view), { type: 'divider' } as Block];
  const parts = checklistParts(view);
  for (const part of parts) {
    if (parts.length > 1 && part.title)
      blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: mrkdwn`*${escapeMrkdwn(clip(part.title, 200))}*` }] });
    for (const { item, number } of part.items) pushItem(blocks, view.runId, item, number, detail);
  }
  blocks.push({ type: 'divider' }, footBlock(view));
  return { text: summaryText(view), blocks };
}

function renderParent(view: ChecklistView): Message {
  const lines = checklistParts(view).map((p, i) => {
    const signed = p.items.filter((x) => x.item.status !== 'pending').length;
    const problems = p.items.filter((x) => x.item.status === 'problem').length;
    const icon = signed === p.items.length ? mrkdwn`:white_check_mark:` : signed > 0 ? mrkdwn`:large_blue_circle:` : mrkdwn`:white_circle:`;
    const problemTag = problems ? mrkdwn` (:red_circle: ${plural(problems, 'problem')})` : mrkdwn``;
    return mrkdwn`${icon} ${i + 1}. ${escapeMrkdwn(clip(p.title, 120))} — ${signed}/${p.items.length}${problemTag}`;
  });
  const blocks: Block[] = [
    ...headBlocks(view),
    { type: 'section', text: { type: 'mrkdwn', text: clipMrkdwn(mrkdwn`${joinMrkdwn(lines)}\n_Sign the items in the thread below._`, LIMITS.sectionText) } },
    footBlock(view),
  ];
  return { text: summaryText(view), blocks };
}

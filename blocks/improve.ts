import type { ImprovementRow } from '../src/improve/store';
import { IMPACTS } from '../src/improve/rice';
import { clipMrkdwn, escapeMrkdwn, joinMrkdwn, mention, mrkdwn, type Mrkdwn } from './format';
import { clip, LIMITS, type Block, type Message, type Modal } from './limits';

/** The RICE modal's ids: block id = field, action id = `<field>_value`. */
export const ImproveIds = {
  modal: 'improve_add',
  field: (f: 'title' | 'reach' | 'impact' | 'confidence' | 'effort') => ({ block: `improve_${f}`, action: `improve_${f}_value` }),
} as const;

export const TITLE_MAX = 150;

const text = (f: 'title' | 'reach' | 'confidence' | 'effort', label: string, hint: string, initial?: string): Block => ({
  type: 'input',
  block_id: ImproveIds.field(f).block,
  label: { type: 'plain_text', text: label },
  hint: { type: 'plain_text', text: hint },
  element: {
    type: 'plain_text_input',
    action_id: ImproveIds.field(f).action,
    ...(f === 'title' ? { max_length: TITLE_MAX } : {}),
    ...(initial ? { initial_value: clip(initial, TITLE_MAX) } : {}),
  },
});

/** `/ops improve add <title>`: the guide's four RICE questions. */
export function buildImproveModal(title: string): Modal {
  return {
    type: 'modal',
    callback_id: ImproveIds.modal,
    title: { type: 'plain_text', text: 'Improvement (RICE)' },
    submit: { type: 'plain_text', text: 'Add' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      text('title', 'Improvement', 'What would you change?', title),
      text('reach', 'Reach', 'How many users affected? (users a month)'),
      {
        type: 'input',
        block_id: ImproveIds.field('impact').block,
        label: { type: 'plain_text', text: 'Impact' },
        hint: { type: 'plain_text', text: 'How much improvement?' },
        element: {
          type: 'static_select',
          action_id: ImproveIds.field('impact').action,
          options: IMPACTS.map((i) => ({ text: { type: 'plain_text', text: i.label }, value: String(i.value) })),
        },
      },
      text('confidence', 'Confidence (%)', 'How sure are we? 1–100'),
      text('effort', 'Effort (person-weeks)', 'How much work?'),
    ],
  };
}

const dateFmt = (at: Date, timeZone: string) =>
  new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' }).format(at);

function line(r: ImprovementRow, rank: number, timeZone: string): Mrkdwn {
  const rice = mrkdwn`score *${escapeMrkdwn(r.score)}* (R ${escapeMrkdwn(r.reach)} × I ${escapeMrkdwn(r.impact)} × C ${escapeMrkdwn(r.confidence)}% ÷ E ${escapeMrkdwn(r.effort)})`;
  const committed =
    r.state === 'committed' && r.owner && r.deadline
      ? mrkdwn`\n      :dart: ${mention(r.owner)} by ${escapeMrkdwn(dateFmt(r.deadline, timeZone))} — success: _${escapeMrkdwn(clip(r.successCriteria ?? '', 200))}_`
      : mrkdwn``;
  return mrkdwn`${rank}. #${r.id} ${escapeMrkdwn(clip(r.title, TITLE_MAX))} — ${rice}${committed}`;
}

/** The ranking by RICE score, and the review's ask: the top three with owner, deadline and success criteria. */
export function buildRankingMessage(rows: readonly ImprovementRow[], timeZone: string, heading: string): Message {
  if (rows.length === 0) {
    const t = mrkdwn`*${escapeMrkdwn(heading)}*\n_No improvement opportunity is recorded. Add one with \`/ops improve add <title>\` (sources: customer feedback, team suggestions, performance metrics, competitive analysis, industry trends)._`;
    return { text: t, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: t } }] };
  }
  const committed = rows.filter((r) => r.state === 'committed').length;
  const uncommittedTop = rows.slice(0, 3).filter((r) => r.state !== 'committed');
  const ask =
    committed >= 3
      ? mrkdwn`Three improvements are committed; close each with \`/ops improve done <id> <measured result>\`.`
      : uncommittedTop.length
        ? mrkdwn`Implement the top three: for each, \`/ops improve commit <id> @owner <YYYY-MM-DD> <success criteria>\` (${joinMrkdwn(
            uncommittedTop.map((r) => mrkdwn`#${r.id}`),
            ', ',
          )}).`
        : mrkdwn`The top three are committed.`;
  const lines = rows.slice(0, 20).map((r, i) => line(r, i + 1, timeZone));
  const body = clipMrkdwn(mrkdwn`*${escapeMrkdwn(heading)}* — Score = (Reach × Impact × Confidence) / Effort\n${joinMrkdwn(lines)}`, LIMITS.sectionText);
  return {
    text: mrkdwn`${escapeMrkdwn(heading)}: ${rows.length} open, ${committed} committed`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: body } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: ask }] },
    ],
  };
}

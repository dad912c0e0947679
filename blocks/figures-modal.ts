import { clipMrkdwn, escapeMrkdwn, mrkdwn } from './format';
import { CallbackIds } from './ids';
import { clip, type Block, type Modal } from './limits';

export interface FigureField {
  id: string;
  label: string;
  hint: string;
  target?: string;
  initial?: string;
}

export const figureBlockId = (figureId: string) => `figure:${figureId}`;
export const FIGURE_ACTION_ID = 'figure_value';

/** The "Enter figures" modal: one optional text input per figure, validated on submit. */
export function buildFiguresModal(input: { runId: number; itemId: string; itemTitle: string; fields: readonly FigureField[] }): Modal {
  const blocks: Block[] = [
    { type: 'section', text: { type: 'mrkdwn', text: clipMrkdwn(mrkdwn`*${escapeMrkdwn(input.itemTitle)}*\nLeave a field empty to keep it blank.`, 3000) } },
  ];
  for (const f of input.fields.slice(0, 90)) {
    blocks.push({
      type: 'input',
      block_id: figureBlockId(f.id),
      optional: true,
      label: { type: 'plain_text', text: clip(f.label, 2000) },
      hint: { type: 'plain_text', text: clip(`${f.hint}${f.target ? ` · target ${f.target}` : ''}`, 2000) },
      element: { type: 'plain_text_input', action_id: FIGURE_ACTION_ID, max_length: 200, ...(f.initial ? { initial_value: f.initial } : {}) },
    });
  }
  return {
    type: 'modal',
    callback_id: CallbackIds.figures,
    private_metadata: JSON.stringify({ runId: input.runId, itemId: input.itemId }),
    title: { type: 'plain_text', text: 'Enter figures' },
    submit: { type: 'plain_text', text: 'Save' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks,
  };
}

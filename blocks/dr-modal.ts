import { DR_INPUT_ACTION, DrFields } from '../src/dr/tests-input';
import { clipMrkdwn, escapeMrkdwn, mrkdwn } from './format';
import { CallbackIds } from './ids';
import { clip, type Block, type Modal } from './limits';

/** The "Record DR test" modal: when the restore started and ended, the backup, the data lost, the evidence. */
export function buildDrRecordModal(input: { runId: number; itemTitle: string; targetText: string; initialStart?: number }): Modal {
  const text = (blockId: string, label: string, hint: string, opts: { multiline?: boolean; max: number; placeholder: string }): Block => ({
    type: 'input',
    block_id: blockId,
    label: { type: 'plain_text', text: label },
    hint: { type: 'plain_text', text: hint },
    element: {
      type: 'plain_text_input',
      action_id: DR_INPUT_ACTION,
      max_length: opts.max,
      placeholder: { type: 'plain_text', text: opts.placeholder },
      ...(opts.multiline ? { multiline: true } : {}),
    },
  });
  const when = (blockId: string, label: string, hint: string): Block => ({
    type: 'input',
    block_id: blockId,
    label: { type: 'plain_text', text: label },
    hint: { type: 'plain_text', text: hint },
    element: { type: 'datetimepicker', action_id: DR_INPUT_ACTION, ...(input.initialStart ? { initial_date_time: input.initialStart } : {}) },
  });
  return {
    type: 'modal',
    callback_id: CallbackIds.drRecord,
    private_metadata: JSON.stringify({ runId: input.runId }),
    title: { type: 'plain_text', text: 'Record DR test' },
    submit: { type: 'plain_text', text: 'Record' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: clipMrkdwn(
            mrkdwn`*${escapeMrkdwn(input.itemTitle)}*\nTarget: ${escapeMrkdwn(clip(input.targetText, 300))}. Recording signs this item as its operator; someone else verifies it.`,
            3000,
          ),
        },
      },
      when(DrFields.start, 'Restore started', 'When you began restoring.'),
      when(DrFields.end, 'Restore ended', 'When the restored system was working: the recovery time is end minus start.'),
      text(DrFields.backup, 'Backup used', 'Its S3 key or its date.', { max: 200, placeholder: 'database/2026-11-26.sql.gz' }),
      text(DrFields.dataLoss, 'Data lost (minutes)', 'The recovery point: how many minutes of data the restored copy lacks. 0 if none.', {
        max: 50,
        placeholder: '0',
      }),
      text(DrFields.evidence, 'Evidence', 'A link to the test report or log, or a note of what you checked.', {
        max: 1000,
        multiline: true,
        placeholder: 'https://… or what was checked',
      }),
    ],
  };
}

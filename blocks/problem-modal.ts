import { userText } from '../src/user-text';
import { BlockIds, CallbackIds, InputActionIds } from './ids';
import { clipMrkdwn, escapeMrkdwn, mrkdwn, type Mrkdwn } from './format';
import type { Modal } from './limits';

export const NOTE_MAX = 500;

export interface ProblemModalInput {
  runId: number;
  itemId: string;
  itemTitle: string;
  /** The status the note goes with: a Problem, or Done / N/A on an item whose probe failed. */
  status: 'problem' | 'done' | 'na';
  /** Why a note is asked for: the bot's own words, rendered. */
  reason?: Mrkdwn;
}

export function buildProblemModal(input: ProblemModalInput): Modal {
  const meta = JSON.stringify({ runId: input.runId, itemId: input.itemId, status: input.status });
  return {
    type: 'modal',
    callback_id: CallbackIds.problemNote,
    private_metadata: meta,
    title: { type: 'plain_text', text: input.status === 'problem' ? 'Report a problem' : input.status === 'na' ? 'N/A with a note' : 'Sign off with a note' },
    submit: { type: 'plain_text', text: 'Save' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'section',
        text: { type: 'mrkdwn', text: clipMrkdwn(mrkdwn`*${escapeMrkdwn(input.itemTitle)}*${input.reason ? mrkdwn`\n${input.reason}` : mrkdwn``}`, 3000) },
      },
      {
        type: 'input',
        block_id: BlockIds.noteInput,
        label: {
          type: 'plain_text',
          text: input.status === 'problem' ? 'What is wrong?' : input.status === 'na' ? 'Why does it not apply?' : 'Why is it fine?',
        },
        element: {
          type: 'plain_text_input',
          action_id: InputActionIds.note,
          multiline: true,
          max_length: NOTE_MAX,
          placeholder: { type: 'plain_text', text: 'A short note for the team' },
        },
      },
    ],
  };
}

export interface ProblemModalMeta {
  runId: number;
  itemId: string;
  status: 'problem' | 'done' | 'na';
}

export function parseProblemModalMeta(raw: string): ProblemModalMeta | null {
  try {
    const m = JSON.parse(raw) as Partial<ProblemModalMeta>;
    if (
      typeof m.runId === 'number' &&
      Number.isSafeInteger(m.runId) &&
      m.runId > 0 &&
      typeof m.itemId === 'string' &&
      (m.status === 'problem' || m.status === 'done' || m.status === 'na')
    ) {
      return { runId: m.runId, itemId: m.itemId, status: m.status };
    }
  } catch {
    // fall through: a malformed payload is treated as unknown
  }
  return null;
}

/** Validates the note typed in the modal; returns a field error for the modal or the clean note. */
export function validateNote(raw: unknown): { ok: true; note: string } | { ok: false; error: string } {
  const note = userText(raw, { slackEncoded: false });
  if (!note) return { ok: false, error: 'Please write a short note.' };
  if (note.length > NOTE_MAX) return { ok: false, error: `Keep it under ${NOTE_MAX} characters.` };
  return { ok: true, note };
}

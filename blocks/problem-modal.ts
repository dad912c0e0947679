import { BlockIds, CallbackIds, InputActionIds } from './ids';
import { clip, type Modal } from './limits';

export const NOTE_MAX = 500;

export interface ProblemModalInput {
  runId: number;
  itemId: string;
  itemTitle: string;
  /** The status the note goes with: a Problem, or Done on an item whose probe failed. */
  status: 'problem' | 'done';
  reason?: string;
}

export function buildProblemModal(input: ProblemModalInput): Modal {
  const meta = JSON.stringify({ runId: input.runId, itemId: input.itemId, status: input.status });
  return {
    type: 'modal',
    callback_id: CallbackIds.problemNote,
    private_metadata: meta,
    title: { type: 'plain_text', text: input.status === 'problem' ? 'Report a problem' : 'Sign off with a note' },
    submit: { type: 'plain_text', text: 'Save' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'section',
        text: { type: 'mrkdwn', text: clip(`*${input.itemTitle.replace(/[<>&*]/g, '')}*${input.reason ? `\n${input.reason}` : ''}`, 3000) },
      },
      {
        type: 'input',
        block_id: BlockIds.noteInput,
        label: { type: 'plain_text', text: input.status === 'problem' ? 'What is wrong?' : 'Why is it fine?' },
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
  status: 'problem' | 'done';
}

export function parseProblemModalMeta(raw: string): ProblemModalMeta | null {
  try {
    const m = JSON.parse(raw) as Partial<ProblemModalMeta>;
    if (typeof m.runId === 'number' && Number.isSafeInteger(m.runId) && m.runId > 0 && typeof m.itemId === 'string' && (m.status === 'problem' || m.status === 'done')) {
      return { runId: m.runId, itemId: m.itemId, status: m.status };
    }
  } catch {
    // fall through: a malformed payload is treated as unknown
  }
  return null;
}

/** Validates the note typed in the modal; returns a field error for the modal or the clean note. */
export function validateNote(raw: unknown): { ok: true; note: string } | { ok: false; error: string } {
  const note = typeof raw === 'string' ? raw.trim() : '';
  if (!note) return { ok: false, error: 'Please write a short note.' };
  if (note.length > NOTE_MAX) return { ok: false, error: `Keep it under ${NOTE_MAX} characters.` };
  return { ok: true, note };
}

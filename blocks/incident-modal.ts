import { IncidentIds } from './ids';
import type { Modal } from './limits';

export const SUMMARY_MAX = 200;

export interface DeclareModalInput {
  severities: { id: string; label: string }[];
  systems: readonly { id: string; label: string }[];
  /** The summary prefilled (the message shortcut: the message's text, already cut to SUMMARY_MAX). */
  summary?: string;
  /** The message it is declared from, carried to the submission (`{"channel","ts"}`). */
  privateMetadata?: string;
}

/** `/incident` with no arguments: severity, summary, affected system. */
export function buildDeclareModal(input: DeclareModalInput): Modal {
  const opt = (o: { id: string; label: string }) => ({ text: { type: 'plain_text' as const, text: o.label.slice(0, 75) }, value: o.id });
  return {
    type: 'modal',
    callback_id: IncidentIds.declareModal,
    ...(input.privateMetadata ? { private_metadata: input.privateMetadata } : {}),
    title: { type: 'plain_text', text: 'Declare an incident' },
    submit: { type: 'plain_text', text: 'Declare' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'input',
        block_id: IncidentIds.severityBlock,
        label: { type: 'plain_text', text: 'Severity' },
        element: {
          type: 'static_select',
          action_id: IncidentIds.severityInput,
          placeholder: { type: 'plain_text', text: 'P0–P3' },
          options: input.severities.map(opt),
        },
      },
      {
        type: 'input',
        block_id: IncidentIds.summaryBlock,
        label: { type: 'plain_text', text: 'What is happening?' },
        element: {
          type: 'plain_text_input',
          action_id: IncidentIds.summaryInput,
          max_length: SUMMARY_MAX,
          ...(input.summary ? { initial_value: input.summary } : {}),
          placeholder: { type: 'plain_text', text: 'e.g. Payments failing since 09:10' },
        },
      },
      {
        type: 'input',
        block_id: IncidentIds.systemBlock,
        label: { type: 'plain_text', text: 'Affected system' },
        element: { type: 'static_select', action_id: IncidentIds.systemInput, options: input.systems.map(opt) },
      },
    ],
  };
}

export const RESOLUTION_NOTE_MAX = 500;

/** Resolve (a button): what fixed it, asked before the incident is closed. */
export function buildResolveModal(id: number, title: string): Modal {
  return {
    type: 'modal',
    callback_id: IncidentIds.resolveModal,
    private_metadata: String(id),
    title: { type: 'plain_text', text: `Resolve #${id}`.slice(0, 24) },
    submit: { type: 'plain_text', text: 'Resolve' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      { type: 'section', text: { type: 'plain_text', text: title.slice(0, 3000) } },
      {
        type: 'input',
        block_id: IncidentIds.resolveNoteBlock,
        label: { type: 'plain_text', text: 'Resolution note: what fixed it?' },
        element: { type: 'plain_text_input', action_id: IncidentIds.resolveNoteInput, multiline: true, max_length: RESOLUTION_NOTE_MAX },
      },
    ],
  };
}

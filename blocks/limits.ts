import { z } from 'zod';
import { capText } from '../src/user-text';
import type { Mrkdwn } from './format';

/**
 * Block Kit's documented limits for the blocks this bot builds, as schemas, and the types builders
 * produce. No maintained library validates them; the checks that apply them before a send live in
 * src/slack/limits.ts, so builders never depend on the Slack plumbing.
 */
export const LIMITS = {
  messageBlocks: 50,
  modalBlocks: 100,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  buttonText: 75,
  id: 255,
  buttonValue: 2000,
  actionsElements: 25,
  contextElements: 10,
  messageJson: 13_000,
  modalTitle: 24,
  privateMetadata: 3000,
  messageText: 40_000,
} as const;

const plain = (max: number) => z.object({ type: z.literal('plain_text'), text: z.string().min(1).max(max), emoji: z.boolean().optional() }).strict();
/** mrkdwn text is typed `Mrkdwn`: only the renderers of blocks/format.ts make it. */
const mrkdwnString = (max: number) =>
  z.custom<Mrkdwn>((v) => typeof v === 'string' && v.length >= 1 && v.length <= max, { message: `mrkdwn text must be 1–${max} characters` });
const mrkdwn = (max: number) => z.object({ type: z.literal('mrkdwn'), text: mrkdwnString(max), verbatim: z.boolean().optional() }).strict();
const textObj = (max: number) => z.union([plain(max), mrkdwn(max)]);
const id = z.string().min(1).max(LIMITS.id);

const option = z.object({ text: plain(75), value: z.string().min(1).max(150), description: plain(75).optional() }).strict();
const confirm = z
  .object({ title: plain(100), text: textObj(300), confirm: plain(30), deny: plain(30), style: z.enum(['primary', 'danger']).optional() })
  .strict();

const button = z
  .object({
    type: z.literal('button'),
    text: plain(LIMITS.buttonText),
    action_id: id,
    value: z.string().max(LIMITS.buttonValue).optional(),
    url: z.string().max(3000).optional(),
    style: z.enum(['primary', 'danger']).optional(),
    confirm: confirm.optional(),
    accessibility_label: z.string().max(75).optional(),
  })
  .strict();
const staticSelect = z
  .object({
    type: z.literal('static_select'),
    action_id: id,
    placeholder: plain(150).optional(),
    options: z.array(option).min(1).max(100),
    initial_option: option.optional(),
  })
  .strict();
const overflow = z.object({ type: z.literal('overflow'), action_id: id, options: z.array(option).min(1).max(5) }).strict();
const image = z.object({ type: z.literal('image'), image_url: z.string().max(3000), alt_text: z.string().max(2000) }).strict();
const plainInput = z
  .object({
    type: z.literal('plain_text_input'),
    action_id: id,
    multiline: z.boolean().optional(),
    min_length: z.number().int().min(0).max(3000).optional(),
    max_length: z.number().int().min(1).max(3000).optional(),
    placeholder: plain(150).optional(),
    initial_value: z.string().max(3000).optional(),
  })
  .strict();
const numberInput = z
  .object({
    type: z.literal('number_input'),
    action_id: id,
    is_decimal_allowed: z.boolean(),
    min_value: z.string().optional(),
    max_value: z.string().optional(),
    initial_value: z.string().optional(),
    placeholder: plain(150).optional(),
  })
  .strict();

/** A date and time, submitted as Unix seconds (`selected_date_time`). */
const dateTimePicker = z.object({ type: z.literal('datetimepicker'), action_id: id, initial_date_time: z.number().int().optional() }).strict();

const element = z.discriminatedUnion('type', [button, staticSelect, overflow]);

export const blockSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('header'), text: plain(LIMITS.headerText), block_id: id.optional() }).strict(),
  z.object({ type: z.literal('divider'), block_id: id.optional() }).strict(),
  z
    .object({
      type: z.literal('section'),
      block_id: id.optional(),
      text: textObj(LIMITS.sectionText).optional(),
      fields: z.array(textObj(LIMITS.fieldText)).max(LIMITS.sectionFields).optional(),
      accessory: z.discriminatedUnion('type', [button, staticSelect, overflow, image]).optional(),
    })
    .strict()
    .refine((b) => b.text || b.fields, 'a section needs text or fields'),
  z
    .object({
      type: z.literal('context'),
      block_id: id.optional(),
      elements: z
        .array(z.union([textObj(3000), image]))
        .min(1)
        .max(LIMITS.contextElements),
    })
    .strict(),
  z.object({ type: z.literal('actions'), block_id: id.optional(), elements: z.array(element).min(1).max(LIMITS.actionsElements) }).strict(),
  z
    .object({
      type: z.literal('input'),
      block_id: id.optional(),
      label: plain(2000),
      element: z.discriminatedUnion('type', [plainInput, numberInput, staticSelect, dateTimePicker]),
      hint: plain(2000).optional(),
      optional: z.boolean().optional(),
      dispatch_action: z.boolean().optional(),
    })
    .strict(),
]);

export type Block = z.input<typeof blockSchema>;

function uniqueIds(blocks: readonly { block_id?: string }[], ctx: z.RefinementCtx) {
  const seen = new Set<string>();
  blocks.forEach((b, i) => {
    if (!b.block_id) return;
    if (seen.has(b.block_id)) ctx.addIssue({ code: 'custom', path: ['blocks', i, 'block_id'], message: `duplicate block_id ${b.block_id}` });
    seen.add(b.block_id);
  });
}

export const messageSchema = z
  .object({
    text: mrkdwnString(LIMITS.messageText),
    blocks: z.array(blockSchema).max(LIMITS.messageBlocks).optional(),
  })
  .passthrough()
  .superRefine((m, ctx) => {
    if (!m.blocks) return;
    uniqueIds(m.blocks, ctx);
    const size = JSON.stringify(m.blocks).length;
    if (size > LIMITS.messageJson) ctx.addIssue({ code: 'custom', path: ['blocks'], message: `blocks are ${size} characters (limit ${LIMITS.messageJson})` });
  });

export const modalSchema = z
  .object({
    type: z.literal('modal'),
    title: plain(LIMITS.modalTitle),
    submit: plain(24).optional(),
    close: plain(24).optional(),
    callback_id: id.optional(),
    private_metadata: z.string().max(LIMITS.privateMetadata).optional(),
    blocks: z.array(blockSchema).max(LIMITS.modalBlocks),
    notify_on_close: z.boolean().optional(),
    clear_on_close: z.boolean().optional(),
    external_id: id.optional(),
  })
  .strict()
  .superRefine((m, ctx) => uniqueIds(m.blocks, ctx));

export interface Message {
  /** The fallback (notifications, screen readers): Slack reads it as mrkdwn, so it is rendered too. */
  text: Mrkdwn;
  blocks?: Block[];
}
export type Modal = z.input<typeof modalSchema>;

/**
 * Cuts plain text to `max` characters at a grapheme boundary, marking the cut, so user input never
 * breaks a limit. Rendered mrkdwn is cut with `clipMrkdwn` (blocks/format.ts).
 */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${capText(text, max - 1)}…`;
}

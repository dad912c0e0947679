/**
 * Block Kit's limits as Slack documents them, checked by the sandbox's Slack stand-in. Kept apart
 * from the bot's own blocks/limits.ts on purpose: the stand-in plays Slack, so a wrong limit in the
 * bot shows up here as a message Slack would refuse instead of passing on both sides.
 *
 * Sources, docs.slack.dev/reference/…: block-kit/blocks (50 blocks per message, 100 per modal or
 * Home tab), block-kit/blocks/<block> and block-kit/block-elements/<element> (each field's
 * maximum), block-kit/composition-objects (text, option, confirm), views/modal-views (title,
 * buttons, private_metadata, callback_id), methods/chat.postMessage (text over 40,000 characters
 * is truncated).
 */
export const SLACK_LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  messageText: 40_000,
  textObject: 3000,
  id: 255,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  actionsElements: 25,
  contextElements: 10,
  inputLabel: 2000,
  inputHint: 2000,
  buttonText: 75,
  buttonValue: 2000,
  url: 3000,
  accessibilityLabel: 75,
  placeholder: 150,
  selectOptions: 100,
  overflowOptions: 5,
  optionText: 75,
  optionValue: 150,
  optionDescription: 75,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  textInputLength: 3000,
  imageAltText: 2000,
  viewTitle: 24,
  viewButton: 24,
  privateMetadata: 3000,
} as const;

const L = SLACK_LIMITS;
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Collects "path: reason" lines while walking one payload. */
class Problems {
  readonly list: string[] = [];
  add(path: string, reason: string): void {
    this.list.push(`${path}: ${reason}`);
  }
  /** A string field within `max`: absent is fine unless `required`, and then it must not be empty. */
  str(path: string, v: unknown, max: number, required = false): void {
    if (v === undefined && !required) return;
    if (typeof v !== 'string') return this.add(path, 'must be a string');
    if (required && v.length === 0) return this.add(path, 'must not be empty');
    if (v.length > max) this.add(path, `${v.length} characters (limit ${max})`);
  }
  text(path: string, v: unknown, max: number, plainOnly = false): void {
    if (!isObj(v)) return this.add(path, 'must be a text object');
    if (v.type !== 'plain_text' && (plainOnly || v.type !== 'mrkdwn'))
      this.add(`${path}.type`, plainOnly ? 'must be plain_text' : 'must be plain_text or mrkdwn');
    this.str(`${path}.text`, v.text, max, true);
  }
  optionalText(path: string, v: unknown, max: number, plainOnly = false): void {
    if (v !== undefined) this.text(path, v, max, plainOnly);
  }
  /** An array field of `min`..`max` items; returns the items to walk (none when malformed). */
  items(path: string, v: unknown, max: number, min = 1): unknown[] {
    if (!Array.isArray(v)) {
      this.add(path, 'must be an array');
      return [];
    }
    if (v.length < min) this.add(path, `${v.length} items (at least ${min})`);
    if (v.length > max) this.add(path, `${v.length} items (limit ${max})`);
    return v;
  }
  unique(path: string, ids: unknown[], what: string): void {
    const seen = new Set<unknown>();
    ids.forEach((id, i) => {
      if (id === undefined) return;
      if (seen.has(id)) this.add(`${path}.${i}`, `duplicate ${what} ${String(id)}`);
      seen.add(id);
    });
  }
}

function option(p: Problems, path: string, o: unknown): void {
  if (!isObj(o)) return p.add(path, 'must be an option object');
  p.text(`${path}.text`, o.text, L.optionText, true);
  p.str(`${path}.value`, o.value, L.optionValue, true);
  p.optionalText(`${path}.description`, o.description, L.optionDescription, true);
  p.str(`${path}.url`, o.url, L.url);
}

function confirm(p: Problems, path: string, c: unknown): void {
  if (c === undefined) return;
  if (!isObj(c)) return p.add(path, 'must be a confirm object');
  p.text(`${path}.title`, c.title, L.confirmTitle, true);
  p.text(`${path}.text`, c.text, L.confirmText);
  p.text(`${path}.confirm`, c.confirm, L.confirmButton, true);
  p.text(`${path}.deny`, c.deny, L.confirmButton, true);
}

function element(p: Problems, path: string, e: unknown): void {
  if (!isObj(e)) return p.add(path, 'must be an element object');
  p.str(`${path}.action_id`, e.action_id, L.id);
  p.optionalText(`${path}.placeholder`, e.placeholder, L.placeholder, true);
  confirm(p, `${path}.confirm`, e.confirm);
  switch (e.type) {
    case 'button':
      p.text(`${path}.text`, e.text, L.buttonText, true);
      p.str(`${path}.value`, e.value, L.buttonValue);
      p.str(`${path}.url`, e.url, L.url);
      p.str(`${path}.accessibility_label`, e.accessibility_label, L.accessibilityLabel);
      if (e.style !== undefined && e.style !== 'primary' && e.style !== 'danger') p.add(`${path}.style`, 'must be primary or danger');
      return;
    case 'static_select':
    case 'multi_static_select':
    case 'overflow': {
      const max = e.type === 'overflow' ? L.overflowOptions : L.selectOptions;
      p.items(`${path}.options`, e.options, max).forEach((o, i) => option(p, `${path}.options.${i}`, o));
      if (e.initial_option !== undefined) option(p, `${path}.initial_option`, e.initial_option);
      return;
    }
    case 'plain_text_input':
      for (const k of ['min_length', 'max_length'] as const) {
        const n = e[k];
        if (n !== undefined && (typeof n !== 'number' || n < (k === 'min_length' ? 0 : 1) || n > L.textInputLength))
          p.add(`${path}.${k}`, `must be a number up to ${L.textInputLength}`);
      }
      return;
    case 'number_input':
      if (typeof e.is_decimal_allowed !== 'boolean') p.add(`${path}.is_decimal_allowed`, 'is required');
      return;
    case 'image':
      p.str(`${path}.image_url`, e.image_url, L.url, e.slack_file === undefined);
      p.str(`${path}.alt_text`, e.alt_text, L.imageAltText, true);
      return;
    case 'datetimepicker':
      // Unix seconds; Slack has no placeholder on this one.
      if (e.initial_date_time !== undefined && !Number.isInteger(e.initial_date_time)) p.add(`${path}.initial_date_time`, 'must be Unix seconds');
      if (e.placeholder !== undefined) p.add(`${path}.placeholder`, 'is not a field of datetimepicker');
      return;
    case 'datepicker':
    case 'timepicker':
    case 'users_select':
    case 'conversations_select':
    case 'channels_select':
    case 'checkboxes':
    case 'radio_buttons':
      return;
    default:
      p.add(`${path}.type`, `unknown element type ${JSON.stringify(e.type)}`);
  }
}

function block(p: Problems, path: string, b: unknown): void {
  if (!isObj(b)) return p.add(path, 'must be a block object');
  p.str(`${path}.block_id`, b.block_id, L.id);
  switch (b.type) {
    case 'section':
      if (b.text === undefined && b.fields === undefined) p.add(path, 'a section needs text or fields');
      p.optionalText(`${path}.text`, b.text, L.sectionText);
      if (b.fields !== undefined) p.items(`${path}.fields`, b.fields, L.sectionFields).forEach((f, i) => p.text(`${path}.fields.${i}`, f, L.fieldText));
      if (b.accessory !== undefined) element(p, `${path}.accessory`, b.accessory);
      return;
    case 'header':
      return p.text(`${path}.text`, b.text, L.headerText, true);
    case 'divider':
      return;
    case 'context':
      p.items(`${path}.elements`, b.elements, L.contextElements).forEach((e, i) => {
        if (isObj(e) && e.type === 'image') element(p, `${path}.elements.${i}`, e);
        else p.text(`${path}.elements.${i}`, e, L.textObject);
      });
      return;
    case 'actions': {
      const elements = p.items(`${path}.elements`, b.elements, L.actionsElements);
      elements.forEach((e, i) => element(p, `${path}.elements.${i}`, e));
      p.unique(
        `${path}.elements`,
        elements.map((e) => (isObj(e) ? e.action_id : undefined)),
        'action_id',
      );
      return;
    }
    case 'input':
      p.text(`${path}.label`, b.label, L.inputLabel, true);
      p.optionalText(`${path}.hint`, b.hint, L.inputHint, true);
      return element(p, `${path}.element`, b.element);
    case 'image':
      p.str(`${path}.image_url`, b.image_url, L.url, b.slack_file === undefined);
      p.str(`${path}.alt_text`, b.alt_text, L.imageAltText, true);
      return p.optionalText(`${path}.title`, b.title, L.imageAltText, true);
    case 'rich_text':
      p.items(`${path}.elements`, b.elements, Number.POSITIVE_INFINITY);
      return;
    default:
      p.add(`${path}.type`, `unknown block type ${JSON.stringify(b.type)}`);
  }
}

function blocks(p: Problems, list: unknown, max: number): void {
  const items = p.items('blocks', list, max, 0);
  items.forEach((b, i) => block(p, `blocks.${i}`, b));
  p.unique(
    'blocks',
    items.map((b) => (isObj(b) ? b.block_id : undefined)),
    'block_id',
  );
}

const result = (p: Problems): string | null => (p.list.length ? p.list.join('; ') : null);

/**
 * Why Slack would refuse (or mangle) a message — chat.postMessage, chat.update, chat.postEphemeral
 * or a response_url body — or null. A message always carries fallback `text` (notifications and
 * screen readers read it; Slack warns when blocks come without it).
 */
export function slackMessageProblems(message: unknown): string | null {
  const p = new Problems();
  if (!isObj(message)) return 'message: must be an object';
  p.str('text', message.text, L.messageText, true);
  if (message.blocks !== undefined) blocks(p, message.blocks, L.messageBlocks);
  return result(p);
}

/** Why Slack would refuse a view: a modal (views.open/push/update) or a Home tab (views.publish). */
export function slackViewProblems(view: unknown, kind: 'modal' | 'home'): string | null {
  const p = new Problems();
  if (!isObj(view)) return 'view: must be an object';
  if (view.type !== kind) p.add('type', `must be ${kind}`);
  blocks(p, view.blocks, L.viewBlocks);
  p.str('private_metadata', view.private_metadata, L.privateMetadata);
  p.str('callback_id', view.callback_id, L.id);
  p.str('external_id', view.external_id, L.id);
  if (kind === 'modal') {
    p.text('title', view.title, L.viewTitle, true);
    p.optionalText('submit', view.submit, L.viewButton, true);
    p.optionalText('close', view.close, L.viewButton, true);
    const hasInput = Array.isArray(view.blocks) && view.blocks.some((b) => isObj(b) && b.type === 'input');
    if (hasInput && view.submit === undefined) p.add('submit', 'is required when the view has an input block');
  }
  return result(p);
}

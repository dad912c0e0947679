// Block Kit and mrkdwn, rendered the way Slack's client shows them (the subset this bot uses).
// Plain browser JavaScript served as is: the sandbox needs no build step.

const EMOJI = {
  white_check_mark: '✅', heavy_check_mark: '✔️', red_circle: '🔴', white_circle: '⚪', large_green_circle: '🟢',
  large_yellow_circle: '🟡', large_orange_circle: '🟠', large_blue_circle: '🔵', heavy_minus_sign: '➖', grey_question: '❔',
  question: '❓', tada: '🎉', warning: '⚠️', x: '❌', no_entry: '⛔', no_entry_sign: '🚫', hourglass_flowing_sand: '⏳',
  hourglass: '⌛', raising_hand: '🙋', turtle: '🐢', rotating_light: '🚨', fire: '🔥', bell: '🔔', memo: '📝', eyes: '👀',
  information_source: 'ℹ️', sos: '🆘', pager: '📟', chart_with_upwards_trend: '📈', chart_with_downwards_trend: '📉',
  moneybag: '💰', calendar: '📅', spiral_calendar_pad: '🗓️', clock9: '🕘', alarm_clock: '⏰', thumbsup: '👍', '+1': '👍',
  thumbsdown: '👎', wave: '👋', rocket: '🚀', sunrise: '🌅', crescent_moon: '🌙', telephone_receiver: '📞', robot_face: '🤖',
  credit_card: '💳', star: '⭐', lock: '🔒', shield: '🛡️', floppy_disk: '💾', package: '📦', mag: '🔍', link: '🔗',
  arrow_up: '⬆️', arrow_right: '➡️', repeat: '🔁', broom: '🧹', wrench: '🔧', hammer_and_wrench: '🛠️', busts_in_silhouette: '👥',
  bust_in_silhouette: '👤', speech_balloon: '💬', clipboard: '📋', bar_chart: '📊', green_heart: '💚', heart: '❤️', zap: '⚡',
};

export function esc(s) {
  return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Slack escapes exactly three characters in message text. */
function decode(s) {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

export function emoji(html) {
  return html.replace(/:([a-z0-9_+-]+):/g, (m, name) => EMOJI[name] ?? m);
}

const ordinal = (d) => d + (['th', 'st', 'nd', 'rd'][(d % 100 >> 3) ^ 1 && d % 10] || 'th');

function formatDate(sec, format) {
  const d = new Date(Number(sec) * 1000);
  if (Number.isNaN(d.getTime())) return null;
  const month = d.toLocaleDateString(undefined, { month: 'long' });
  const parts = {
    date_num: d.toISOString().slice(0, 10),
    date: `${month} ${ordinal(d.getDate())}, ${d.getFullYear()}`,
    date_short: d.toLocaleDateString(undefined, { month: 'short', day: 'numeric', year: 'numeric' }),
    date_long: `${d.toLocaleDateString(undefined, { weekday: 'long' })}, ${month} ${ordinal(d.getDate())}, ${d.getFullYear()}`,
    date_pretty: new Date().toDateString() === d.toDateString() ? 'today' : `${month} ${ordinal(d.getDate())}`,
    date_short_pretty: new Date().toDateString() === d.toDateString() ? 'today' : d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' }),
    time: d.toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit' }),
    time_secs: d.toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit', second: '2-digit' }),
  };
  return format.replace(/\{(\w+)\}/g, (m, k) => parts[k] ?? m);
}

/** `<…>`: mentions, channels, dates, broadcasts and links. */
function special(inner, ctx) {
  const [target, label] = [inner.split('|')[0], inner.split('|').slice(1).join('|')];
  if (target.startsWith('@')) {
    const id = target.slice(1);
    const name = ctx.userName?.(id) ?? label ?? id;
    return `<span class="mention" data-user="${esc(id)}">@${esc(name)}</span>`;
  }
  if (target.startsWith('#')) {
    const id = target.slice(1);
    return `<span class="mention channel-link" data-channel="${esc(id)}">#${esc(label || ctx.channelName?.(id) || id)}</span>`;
  }
  if (target.startsWith('!date^')) {
    const [, sec, format] = target.split('^');
    return `<time>${esc(formatDate(sec, format ?? '') ?? decode(label))}</time>`;
  }
  if (/^!(here|channel|everyone)$/.test(target)) return `<span class="mention broadcast">@${target.slice(1)}</span>`;
  if (target.startsWith('!subteam^')) return `<span class="mention">${esc(label || '@group')}</span>`;
  if (/^(https?:\/\/|mailto:)/i.test(target)) {
    return `<a href="${esc(decode(target))}" target="_blank" rel="noopener noreferrer">${esc(decode(label || target))}</a>`;
  }
  return esc(`<${decode(inner)}>`);
}

/** Slack's mrkdwn to HTML; every piece of text is escaped before any markup is added. */
export function mrkdwn(src, ctx = {}) {
  const saved = [];
  const put = (html) => `\u0000${saved.push(html) - 1}\u0000`;
  let s = String(src ?? '');
  s = s.replace(/```([\s\S]*?)```/g, (_, c) => put(`<pre>${esc(decode(c))}</pre>`));
  s = s.replace(/`([^`\n]+)`/g, (_, c) => put(`<code>${esc(decode(c))}</code>`));
  s = s.replace(/<([^<>\s][^<>]*)>/g, (_, inner) => put(special(inner, ctx)));
  s = esc(decode(s));
  const open = '(^|[\\s(\\u0000"\'])';
  const close = '(?=$|[\\s).,:;!?\\u0000"\'])';
  s = s.replace(new RegExp(`${open}\\*(?!\\s)([^*\\n]+?)\\*${close}`, 'g'), '$1<b>$2</b>');
  s = s.replace(new RegExp(`${open}_(?!\\s)([^_\\n]+?)_${close}`, 'g'), '$1<i>$2</i>');
  s = s.replace(new RegExp(`${open}~(?!\\s)([^~\\n]+?)~${close}`, 'g'), '$1<s>$2</s>');
  s = emoji(s);
  const out = [];
  let quote = [];
  for (const line of s.split('\n')) {
    const q = /^&gt;\s?(.*)$/.exec(line);
    if (q) {
      quote.push(q[1]);
      continue;
    }
    if (quote.length) out.push(`<blockquote>${quote.join('<br>')}</blockquote>`);
    quote = [];
    out.push(`${line}<br>`);
  }
  if (quote.length) out.push(`<blockquote>${quote.join('<br>')}</blockquote>`);
  let html = out.join('').replace(/<br>$/, '');
  // Restore innermost first: a saved piece never contains another placeholder, so one pass will do.
  html = html.replace(/\u0000(\d+)\u0000/g, (_, i) => saved[Number(i)]);
  return html;
}

export function textHtml(t, ctx) {
  if (!t) return '';
  return t.type === 'mrkdwn' ? mrkdwn(t.text, ctx) : emoji(esc(t.text));
}

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'html') el.innerHTML = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}

export function errorBox(title, detail) {
  return h('div', { class: 'bk-error', role: 'alert' }, h('strong', {}, title), h('div', {}, detail));
}

/** An interactive element; `ctx.act(element, selectedValue)` sends the interaction. */
function element(el, ctx) {
  switch (el.type) {
    case 'button':
      return h('button', { class: `bk-button ${el.style ?? ''}`, type: 'button', 'data-action-id': el.action_id, onclick: () => {
        if (el.confirm && !window.confirm(`${el.confirm.title.text}\n\n${el.confirm.text.text}`)) return;
        if (el.url && /^https?:\/\//i.test(el.url)) window.open(el.url, '_blank', 'noopener');
        ctx.act(el);
      } }, h('span', { html: emoji(esc(el.text.text)) }));
    case 'static_select': {
      const select = h('select', { class: 'bk-select', 'data-action-id': el.action_id, onchange: (e) => e.target.value && ctx.act(el, e.target.value) },
        h('option', { value: '' }, el.placeholder?.text ?? 'Select an item'),
        ...el.options.map((o) => h('option', { value: o.value, selected: el.initial_option?.value === o.value }, o.text.text)));
      return select;
    }
    case 'overflow': {
      const menu = h('div', { class: 'bk-overflow-menu', hidden: true }, ...el.options.map((o) => h('button', { type: 'button', onclick: () => { menu.hidden = true; ctx.act(el, o.value); } }, o.text.text)));
      return h('span', { class: 'bk-overflow' }, h('button', { type: 'button', class: 'bk-button overflow', 'aria-label': 'More actions', onclick: () => { menu.hidden = !menu.hidden; } }, '⋯'), menu);
    }
    case 'image':
      return h('img', { class: 'bk-accessory-image', src: el.image_url, alt: el.alt_text });
    default:
      return errorBox('Unsupported element', el.type);
  }
}

function inputElement(el, blockId, ctx) {
  const key = `${blockId}/${el.action_id}`;
  const attrs = { 'data-block-id': blockId, 'data-action-id': el.action_id, 'data-type': el.type, 'aria-label': ctx.label };
  const kept = ctx.values?.[key];
  switch (el.type) {
    case 'plain_text_input': {
      const value = kept ?? el.initial_value ?? '';
      const common = { ...attrs, class: 'bk-input', placeholder: el.placeholder?.text, maxlength: el.max_length };
      if (el.multiline) { const t = h('textarea', { ...common, rows: 4 }); t.value = value; return t; }
      const i = h('input', { ...common, type: 'text' }); i.value = value; return i;
    }
    case 'number_input': {
      const i = h('input', { ...attrs, class: 'bk-input', type: 'number', step: el.is_decimal_allowed ? 'any' : '1', min: el.min_value, max: el.max_value, placeholder: el.placeholder?.text });
      i.value = kept ?? el.initial_value ?? '';
      return i;
    }
    case 'static_select': {
      const s = h('select', { ...attrs, class: 'bk-select' }, h('option', { value: '' }, el.placeholder?.text ?? 'Select an item'), ...el.options.map((o) => h('option', { value: o.value }, o.text.text)));
      s.value = kept ?? el.initial_option?.value ?? '';
      return s;
    }
    default:
      return errorBox('Unsupported input', el.type);
  }
}

function block(b, index, ctx) {
  const act = (el, selected) => ctx.onAction?.({ blockIndex: index, actionId: el.action_id, selected });
  const ectx = { ...ctx, act };
  switch (b.type) {
    case 'header':
      return h('div', { class: 'bk-header', html: emoji(esc(b.text.text)) });
    case 'divider':
      return h('hr', { class: 'bk-divider' });
    case 'section':
      return h('div', { class: 'bk-section' },
        h('div', { class: 'bk-section-body' },
          b.text ? h('div', { class: 'bk-text', html: textHtml(b.text, ctx) }) : null,
          b.fields ? h('div', { class: 'bk-fields' }, ...b.fields.map((f) => h('div', { class: 'bk-field', html: textHtml(f, ctx) }))) : null),
        b.accessory ? h('div', { class: 'bk-accessory' }, element(b.accessory, ectx)) : null);
    case 'context':
      return h('div', { class: 'bk-context' }, ...b.elements.map((e) => (e.type === 'image' ? h('img', { src: e.image_url, alt: e.alt_text }) : h('span', { html: textHtml(e, ctx) }))));
    case 'actions':
      return h('div', { class: 'bk-actions' }, ...b.elements.map((e) => element(e, ectx)));
    case 'image':
      return h('figure', { class: 'bk-image' }, b.title ? h('figcaption', {}, b.title.text) : null, h('img', { src: b.image_url, alt: b.alt_text }));
    case 'input': {
      const blockId = b.block_id ?? `b${index}`;
      const error = ctx.errors?.[blockId];
      return h('div', { class: `bk-input-block${error ? ' has-error' : ''}` },
        h('label', {}, b.label.text, b.optional ? h('span', { class: 'optional' }, ' (optional)') : null),
        inputElement(b.element, blockId, { ...ctx, label: b.label.text }),
        b.hint ? h('div', { class: 'bk-hint' }, b.hint.text) : null,
        error ? h('div', { class: 'bk-field-error', role: 'alert' }, error) : null);
    }
    default:
      return errorBox('Unsupported block', `type "${b.type}"`);
  }
}

/** Renders blocks; a block that cannot be drawn shows why instead of leaving a blank. */
export function renderBlocks(blocks, ctx = {}) {
  return h('div', { class: 'bk' }, ...blocks.map((b, i) => {
    try {
      return block(b, i, ctx);
    } catch (err) {
      return errorBox(`Block ${i} (${b?.type ?? '?'}) cannot be shown`, String(err?.message ?? err));
    }
  }));
}

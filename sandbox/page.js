// The sandbox page: shows one person's view of the local workspace and sends what they do to
// /sandbox/api/*, which delivers it to the bot as Slack would. Plain ES module, no build step.
import { errorBox, esc, h, mrkdwn, renderBlocks } from './blockkit.js';

const $ = (sel) => document.querySelector(sel);
const state = {
  you: localStorage.getItem('sandbox.user') || 'UALICE',
  view: { kind: 'channel', id: null },
  threadTs: null,
  snap: null,
  modalKey: null,
  /** When you last sent a command, and the answer last scrolled into view (see followAnswer). */
  answerSince: 0,
  answerShown: null,
};

async function api(path, body) {
  const res = await fetch(`/sandbox/api/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: state.you, ...body }),
  });
  const json = await res.json().catch(() => ({ ok: false, error: `http_${res.status}` }));
  if (!json.ok && json.error !== 'validation') toast(`${path}: ${json.error}${json.detail ? ` (${json.detail})` : ''}`);
  return json;
}

let toastTimer;
function toast(text) {
  const t = $('#toast');
  t.textContent = text;
  t.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (t.hidden = true), 5000);
}

const userName = (id) => state.snap?.users.find((u) => u.id === id)?.name ?? id;
const channelName = (id) => state.snap?.channels.find((c) => c.id === id)?.name;
const textCtx = { userName, channelName };

async function refresh() {
  const res = await fetch(`/sandbox/api/state?user=${encodeURIComponent(state.you)}`);
  if (res.status === 400 && state.you !== 'UALICE') {
    // A person remembered from another sandbox (or config) who is not here any more.
    state.you = 'UALICE';
    return refresh();
  }
  if (!res.ok) return toast(`The sandbox did not answer (${res.status}); is npm start still running?`);
  state.snap = await res.json();
  if (!state.view.id && state.view.kind === 'channel') state.view.id = state.snap.channels[0]?.id ?? null;
  render();
}

let pending = false;
function scheduleRefresh() {
  if (pending) return;
  pending = true;
  requestAnimationFrame(() => {
    pending = false;
    refresh();
  });
}

function messageTime(ts) {
  return new Date(Number(ts.split('.')[0]) * 1000).toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit' });
}

function renderMessage(m, opts = {}) {
  const isBot = m.user === 'UBOT' || m.user === 'USLACKBOT';
  const name = m.user === 'UBOT' ? state.snap.bot.name : m.user === 'USLACKBOT' ? 'Slackbot' : userName(m.user);
  const act = (a) => api('action', { channel: m.channel, ts: m.ts, ephemeral: Boolean(opts.ephemeral), ...a });
  let body;
  if (m.problems) {
    body = h(
      'div',
      {},
      errorBox('This message breaks Block Kit’s limits (Slack would refuse it with invalid_blocks)', m.problems),
      h('div', { class: 'fallback', html: mrkdwn(m.text, textCtx) }),
    );
  } else if (m.blocks?.length) {
    body = renderBlocks(m.blocks, { ...textCtx, onAction: act });
  } else {
    body = h('div', { class: 'bk-text', html: mrkdwn(m.text, textCtx) });
  }
  // Files shared with the message (files.uploadV2): images inline with their alt text, others as links.
  const files = (m.files ?? []).map((f) => {
    const src = `/sandbox/api/file?id=${encodeURIComponent(f.id)}&user=${encodeURIComponent(state.snap.you)}`;
    return /\.png$/i.test(f.name)
      ? h('img', { class: 'shared-file', src, alt: f.alt_text ?? f.title ?? f.name, title: f.title ?? f.name })
      : h('a', { class: 'shared-file', href: src, download: f.name }, `📎 ${f.title ?? f.name}`);
  });
  if (files.length) body = h('div', {}, body, ...files);
  const replies = opts.replies ?? 0;
  return h(
    'div',
    { class: `message${opts.ephemeral ? ' ephemeral' : ''}`, 'data-ts': m.ts },
    h('div', { class: `avatar${isBot ? ' bot' : ''}` }, isBot ? '⚙' : name.slice(0, 1).toUpperCase()),
    h(
      'div',
      { class: 'message-main' },
      h(
        'div',
        { class: 'message-meta' },
        h('strong', {}, name),
        isBot ? h('span', { class: 'app-badge' }, 'APP') : null,
        h('span', { class: 'time' }, messageTime(m.ts)),
        m.edited ? h('span', { class: 'time' }, '(edited)') : null,
      ),
      opts.ephemeral
        ? h(
            'div',
            { class: 'only-you' },
            '👁 Only visible to you ',
            h('button', { type: 'button', class: 'link', onclick: () => api('ephemeral/dismiss', { ts: m.ts }) }, 'Dismiss'),
          )
        : null,
      body,
      replies
        ? h('button', { type: 'button', class: 'link replies', onclick: () => openThread(m.ts) }, `${replies} ${replies === 1 ? 'reply' : 'replies'}`)
        : null,
      !opts.inThread && !opts.ephemeral
        ? h('button', { type: 'button', class: 'link reply-in-thread', onclick: () => openThread(m.ts) }, 'Reply in thread')
        : null,
    ),
  );
}

function openThread(ts) {
  state.threadTs = ts;
  render();
}

function timeline(channel, threadTs) {
  const { messages, ephemerals } = state.snap;
  const inView = (m) => m.channel === channel && (threadTs ? m.thread_ts === threadTs || m.ts === threadTs : !m.thread_ts || m.thread_ts === m.ts);
  const items = [...messages.filter(inView).map((m) => ({ m })), ...ephemerals.filter(inView).map((m) => ({ m, ephemeral: true }))];
  return items.sort((a, b) => Number(a.m.ts) - Number(b.m.ts));
}

function renderSidebar() {
  const { snap } = state;
  const picker = $('#user');
  picker.replaceChildren(
    ...snap.users.filter((u) => u.id !== 'UBOT').map((u) => h('option', { value: u.id, selected: u.id === state.you }, `${u.name} — ${u.title}`)),
  );
  $('#channels').replaceChildren(
    ...snap.channels.map((c) =>
      h(
        'li',
        {},
        h(
          'button',
          {
            type: 'button',
            class: state.view.kind === 'channel' && state.view.id === c.id ? 'active' : '',
            'data-channel': c.name,
            onclick: () => go({ kind: 'channel', id: c.id }),
          },
          `# ${c.name}`,
        ),
      ),
    ),
  );
  $('#apps').replaceChildren(
    h(
      'li',
      {},
      h('button', { type: 'button', class: state.view.kind === 'home' ? 'active' : '', onclick: () => go({ kind: 'home' }) }, `⚙ ${snap.bot.name} — Home`),
    ),
    h(
      'li',
      {},
      h(
        'button',
        {
          type: 'button',
          class: state.view.kind === 'channel' && state.view.id === snap.dm ? 'active' : '',
          onclick: () => go({ kind: 'channel', id: snap.dm }),
        },
        `⚙ ${snap.bot.name} — Messages`,
      ),
    ),
  );
}

function go(view) {
  state.view = view;
  state.threadTs = null;
  if (view.kind === 'home') api('home', {});
  render();
}

function renderMain() {
  const { snap, view } = state;
  const list = $('#messages');
  const nearBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
  if (view.kind === 'home') {
    $('#title').textContent = `${snap.bot.name} — Home`;
    $('#composer').hidden = true;
    const home = snap.home;
    list.replaceChildren(
      !home
        ? h('p', { class: 'empty' }, 'The app has not published a Home tab for you yet.')
        : home.problems
          ? errorBox('This Home tab breaks Block Kit’s limits', home.problems)
          : renderBlocks(home.view.blocks ?? [], { ...textCtx, onAction: (a) => api('view/action', { surface: 'home', ...a }) }),
    );
    return;
  }
  const name = view.id === snap.dm ? snap.bot.name : (channelName(view.id) ?? view.id);
  $('#title').textContent = view.id === snap.dm ? name : `# ${name}`;
  $('#composer').hidden = false;
  $('#box').placeholder = view.id === snap.dm ? `Message ${name}` : `Message #${name} — try /ops morning`;
  const items = timeline(view.id, null);
  const replyCount = (ts) => snap.messages.filter((m) => m.channel === view.id && m.thread_ts === ts && m.ts !== ts).length;
  list.replaceChildren(
    ...(items.length
      ? items.map(({ m, ephemeral }) => renderMessage(m, { ephemeral, replies: replyCount(m.ts) }))
      : [
          h(
            'p',
            { class: 'empty' },
            `This is the very beginning of ${view.id === snap.dm ? 'your messages with the app' : `#${name}`}. Type /ops morning below.`,
          ),
        ]),
  );
  if (nearBottom) list.scrollTop = list.scrollHeight;
  followAnswer(list, items);
}

/**
 * After you send a command, its answer (an ephemeral: the "⏳" placeholder, then what replaced it)
 * is scrolled into view, even when a long message in the channel pushed it below the fold.
 */
function followAnswer(list, items) {
  if (!state.answerSince || Date.now() - state.answerSince > 60_000) return;
  const mine = items.filter(({ m, ephemeral }) => ephemeral && Number(m.ts) * 1000 >= state.answerSince - 2000);
  const last = mine.at(-1);
  if (!last) return;
  const key = `${last.m.ts}:${last.m.edited ?? ''}:${last.m.text}`;
  if (key === state.answerShown) return;
  state.answerShown = key;
  list.querySelector(`.message.ephemeral[data-ts="${CSS.escape(last.m.ts)}"]`)?.scrollIntoView({ block: 'nearest' });
}

function renderThread() {
  const panel = $('#thread');
  if (!state.threadTs || state.view.kind !== 'channel') {
    panel.hidden = true;
    $('#thread-list').replaceChildren();
    return;
  }
  panel.hidden = false;
  const items = timeline(state.view.id, state.threadTs);
  $('#thread-list').replaceChildren(...items.map(({ m, ephemeral }) => renderMessage(m, { ephemeral, inThread: true })));
}

function currentValues() {
  const values = {};
  for (const el of document.querySelectorAll('#modal-root [data-block-id]')) values[`${el.dataset.blockId}/${el.dataset.actionId}`] = el.value;
  return values;
}

function stateValues() {
  const values = {};
  for (const el of document.querySelectorAll('#modal-root [data-block-id]')) {
    const { blockId, actionId, type } = el.dataset;
    values[blockId] ??= {};
    if (type === 'static_select') {
      const opt = el.selectedOptions[0];
      values[blockId][actionId] = { type, selected_option: el.value ? { text: { type: 'plain_text', text: opt.textContent }, value: el.value } : null };
    } else {
      values[blockId][actionId] = { type, value: el.value === '' ? null : el.value };
    }
  }
  return values;
}

function renderModal() {
  const root = $('#modal-root');
  const modal = state.snap.modal;
  const key = modal ? JSON.stringify([modal.id, modal.view, modal.errors, modal.problems]) : null;
  if (key === state.modalKey) return;
  const kept = state.modalKey && modal && JSON.parse(state.modalKey)[0] === modal.id ? currentValues() : {};
  state.modalKey = key;
  if (!modal) {
    root.replaceChildren();
    return;
  }
  const v = modal.view;
  const general = modal.errors?.[''];
  const submit = async (e) => {
    e.preventDefault();
    e.submitter?.setAttribute('disabled', '');
    await api('view/submit', { viewId: modal.id, values: stateValues() });
    e.submitter?.removeAttribute('disabled');
  };
  const close = () => api('view/close', { viewId: modal.id });
  root.replaceChildren(
    h(
      'div',
      { class: 'modal-backdrop' },
      h(
        'form',
        {
          class: 'modal',
          role: 'dialog',
          'aria-modal': 'true',
          'aria-label': v?.title?.text ?? 'Modal',
          onsubmit: submit,
          onkeydown: (e) => e.key === 'Escape' && close(),
        },
        h(
          'header',
          {},
          h('span', { html: esc(v?.title?.text ?? '') }),
          h('button', { type: 'button', class: 'close', 'aria-label': 'Close', onclick: close }, '×'),
        ),
        h(
          'div',
          { class: 'modal-body' },
          modal.problems ? errorBox('This modal breaks Block Kit’s limits (Slack would refuse views.open)', modal.problems) : null,
          renderBlocks(v?.blocks ?? [], {
            ...textCtx,
            errors: modal.errors,
            values: kept,
            onAction: (a) => api('view/action', { surface: 'modal', ...a, values: stateValues() }),
          }),
          general ? h('div', { class: 'bk-field-error', role: 'alert' }, general) : null,
        ),
        h(
          'footer',
          {},
          h('button', { type: 'button', class: 'bk-button', onclick: close }, v?.close?.text ?? 'Cancel'),
          v?.submit ? h('button', { type: 'submit', class: 'bk-button primary' }, v.submit.text) : null,
        ),
      ),
    ),
  );
  root.querySelector('[data-block-id]')?.focus();
}

function render() {
  if (!state.snap) return;
  renderSidebar();
  renderMain();
  renderThread();
  renderModal();
}

$('#user').addEventListener('change', (e) => {
  state.you = e.target.value;
  localStorage.setItem('sandbox.user', state.you);
  state.modalKey = null;
  refresh();
});

$('#composer').addEventListener('submit', async (e) => {
  e.preventDefault();
  const box = $('#box');
  const text = box.value.trim();
  if (!text || state.view.kind !== 'channel') return;
  box.value = '';
  if (text.startsWith('/')) state.answerSince = Date.now();
  await api(text.startsWith('/') ? 'command' : 'message', { channel: state.view.id, text });
});

$('#thread-composer').addEventListener('submit', async (e) => {
  e.preventDefault();
  const box = $('#thread-box');
  const text = box.value.trim();
  if (!text || !state.threadTs) return;
  box.value = '';
  // Slack runs slash commands typed in a thread as commands of the channel.
  if (text.startsWith('/')) state.answerSince = Date.now();
  await api(text.startsWith('/') ? 'command' : 'message', { channel: state.view.id, text, ...(text.startsWith('/') ? {} : { threadTs: state.threadTs }) });
});

$('#thread-close').addEventListener('click', () => {
  state.threadTs = null;
  render();
});

$('#reset').addEventListener('click', async () => {
  if (!window.confirm('Reset the sandbox? Every message and all sandbox data are wiped.')) return;
  state.threadTs = null;
  await api('reset', {});
});

// Live updates: one event per change; polling takes over if the stream breaks for good.
const events = new EventSource('/sandbox/api/events');
events.onmessage = scheduleRefresh;
events.onerror = () => {
  if (events.readyState === EventSource.CLOSED) setInterval(scheduleRefresh, 2000);
};
refresh();

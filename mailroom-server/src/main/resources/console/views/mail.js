// #/mail and #/mail/<mailbox>: a mailbox listing with every listing filter and cursor paging.

import { h, field, select, table, timeEl, hashLink } from '../dom.js';
import { get, query, session, showError } from '../api.js';
import { previewText, tagList, cssToken } from '../render.js';

/** Single-valued listing filters of API.md, in form order: [param, label, hint]. */
const TEXT_FILTERS = [
  ['sender', 'Sender', 'agent id'],
  ['tag', 'Tags', 'comma-separated; a message must carry every one'],
  ['since', 'Since', 'ISO-8601 instant, e.g. 2026-01-31T12:00:00Z'],
  ['until', 'Until', 'ISO-8601 instant'],
  ['after_id', 'After id', 'message id (exclusive)'],
  ['before_id', 'Before id', 'message id (exclusive)'],
  ['max_age_seconds', 'Max age (s)', 'created within this many seconds'],
  ['limit', 'Page size', '1 … 1000 (default 50)'],
];
const FILTER_PARAMS = ['sender', 'tag', 'min_priority', 'content_type', 'unread', 'since', 'until',
  'after_id', 'before_id', 'max_age_seconds', 'limit', 'order'];

/**
 * The listing URL of a mailbox: the caller's inbox for "" or "inbox", else its history.
 * @param {string} name mailbox name
 * @returns {string}
 */
export function listingPath(name) {
  return !name || name === 'inbox' ? '/v1/inbox' : '/v1/mailboxes/' + encodeURIComponent(name) + '/messages';
}

/**
 * Renders the mail view.
 * @param {import('../app.js').ViewContext} ctx
 */
export async function renderMail(ctx) {
  const name = ctx.params[0] || '';
  const q = ctx.query;

  const mailbox = h('input', { id: 'mail-mailbox', name: 'mailbox', type: 'text', value: name, placeholder: 'inbox', autocomplete: 'off', spellcheck: 'false' });
  const inputs = {};
  for (const [param, label] of TEXT_FILTERS) {
    const value = param === 'tag' ? q.getAll('tag').join(', ') : (q.get(param) || '');
    inputs[param] = h('input', { id: 'filter-' + param.replace(/_/g, '-'), name: param, type: param === 'limit' || param === 'max_age_seconds' ? 'number' : 'text', value, autocomplete: 'off', spellcheck: 'false' });
    if (param === 'limit') { inputs[param].min = '1'; inputs[param].max = '1000'; }
    if (param === 'max_age_seconds') inputs[param].min = '1';
  }
  inputs.min_priority = select({ id: 'filter-min-priority', name: 'min_priority' },
    [['', 'any'], 'low', 'normal', 'high', 'urgent'], q.get('min_priority') || '');
  inputs.content_type = select({ id: 'filter-content-type', name: 'content_type' },
    [['', 'any'], 'text/plain', 'text/markdown', 'text/code', 'application/json', 'application/octet-stream', 'text/uri-list'],
    q.get('content_type') || '');
  inputs.unread = select({ id: 'filter-unread', name: 'unread' },
    [['', 'all'], ['true', 'unread only'], ['false', 'read only']], q.get('unread') || '');
  inputs.order = select({ id: 'filter-order', name: 'order' },
    [['asc', 'oldest first (asc)'], ['desc', 'newest first (desc)']], q.get('order') || 'asc');

  const hints = Object.fromEntries(TEXT_FILTERS.map(([p, , hint]) => [p, hint]));
  const labels = Object.fromEntries(TEXT_FILTERS.map(([p, l]) => [p, l]));
  Object.assign(labels, { min_priority: 'Minimum priority', content_type: 'Content type', unread: 'Read state', order: 'Order' });

  const form = h('form', { id: 'mail-filters', class: 'filters', role: 'search', 'aria-label': 'Mailbox and filters' },
    h('div', { class: 'field-row' },
      field('Mailbox', mailbox, 'empty or "inbox" for your own inbox; else a mailbox or topic name')),
    h('fieldset', { class: 'filter-grid' },
      h('legend', { text: 'Filters' }),
      ['sender', 'tag', 'min_priority', 'content_type', 'unread', 'since', 'until', 'order',
        'after_id', 'before_id', 'max_age_seconds', 'limit']
        .map((p) => field(labels[p], inputs[p], hints[p]))),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', id: 'mail-apply', class: 'button', text: 'Show' }),
      h('button', { type: 'button', id: 'mail-reset', class: 'button secondary', text: 'Clear filters', on: { click: onReset } })));

  function buildParams() {
    const params = {};
    for (const p of FILTER_PARAMS) {
      const v = inputs[p].value.trim();
      if (!v) continue;
      if (p === 'tag') params.tag = v.split(',').map((t) => t.trim()).filter(Boolean);
      else if (p === 'order' && v === 'asc') continue;
      else params[p] = v;
    }
    return params;
  }

  function onReset() {
    location.hash = hashLink('mail', ...(mailbox.value.trim() ? [mailbox.value.trim()] : [])).replace(/\/$/, '');
  }

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const mb = mailbox.value.trim();
    const target = (mb ? hashLink('mail', mb) : '#/mail') + query(buildParams());
    if (location.hash === target) load(); else location.hash = target;
  });

  const title = name && name !== 'inbox' ? 'Mailbox ' + name : 'Inbox';
  // The caller's inbox is its personal mailbox, named by its agent id.
  const tailName = name && name !== 'inbox' ? name : (session ? session.agent_id : '');
  const tailLink = h('a', { id: 'mail-tail-link', href: tailName ? hashLink('tail', tailName) : '#/tail', text: 'Live tail of this mailbox' });
  const status = h('p', { id: 'mail-status', class: 'muted', role: 'status' });
  const t = table(['Time', 'Sender', 'Target', 'Subject / preview', 'Priority', 'Tags'], { id: 'mail-table', class: 'mail-table' });
  const more = h('button', { type: 'button', id: 'load-more', class: 'button secondary', text: 'Load more' });
  more.hidden = true;

  const threadsLink = h('a', { id: 'mail-threads-link', href: '#/thread', text: 'Your threads' });
  ctx.root.append(h('h1', { tabindex: '-1', text: title }), form,
    h('p', null, tailLink, ' · ', threadsLink), status, t.wrap, h('div', { class: 'actions' }, more));

  // Rows open the message: click anywhere, or Enter on a focused row.
  const open = (tr) => { if (tr && tr.dataset.id) location.hash = hashLink('message', tr.dataset.id); };
  t.tbody.addEventListener('click', (ev) => {
    if (ev.target.closest('a')) return;
    open(ev.target.closest('tr.mail-row'));
  });
  t.tbody.addEventListener('keydown', (ev) => {
    if ((ev.key === 'Enter' || ev.key === ' ') && ev.target.matches('tr.mail-row')) {
      ev.preventDefault();
      open(ev.target);
    }
  });

  const base = listingPath(name);
  const params = buildParams();
  let cursor = null;
  let count = 0;

  async function load(next) {
    more.disabled = true;
    status.textContent = 'Loading…';
    const qp = Object.assign({}, params);
    if (next) qp.cursor = next;
    else { t.tbody.replaceChildren(); count = 0; }
    let page;
    try {
      page = await get(base + query(qp), { signal: ctx.signal });
    } catch (e) {
      if (!ctx.alive()) return;
      status.textContent = '';
      more.disabled = false;
      showError(e);
      return;
    }
    if (!ctx.alive()) return;
    const messages = Array.isArray(page.messages) ? page.messages : [];
    const frag = document.createDocumentFragment();
    for (const m of messages) frag.appendChild(mailRow(m));
    t.tbody.appendChild(frag);
    count += messages.length;
    cursor = page.next_cursor || null;
    more.hidden = !cursor;
    more.disabled = false;
    more.textContent = params.order === 'desc' ? 'Older' : 'Load more';
    status.textContent = count === 0 ? 'No messages.' : count + ' message' + (count === 1 ? '' : 's') + (cursor ? ' shown; more may follow.' : '.');
  }

  more.addEventListener('click', () => { if (cursor) load(cursor); });
  await load(null);
}

/**
 * A listing row: tabindex=0, Enter or click opens the message; unread rows are bold.
 * @param {object} m message object
 * @returns {HTMLTableRowElement}
 */
export function mailRow(m) {
  const unread = !m.read_at;
  const tr = h('tr', {
    class: ['mail-row', unread ? 'unread' : null, 'prio-row-' + cssToken(m.priority)],
    tabindex: '0', dataset: { id: String(m.id) },
    'aria-label': (unread ? 'Unread message from ' : 'Message from ') + String(m.sender),
  },
  h('td', { class: 'nowrap' }, timeEl(m.timestamp)),
  h('td', { text: m.sender }),
  h('td', { text: m.mode === 'broadcast' ? '(broadcast)' : (m.target || '') }),
  h('td', { class: 'preview' },
    unread ? h('span', { class: 'unread-dot', 'aria-hidden': 'true', text: '● ' }) : null,
    h('a', { href: hashLink('message', m.id), tabindex: '-1', text: previewText(m) || '(empty)' })),
  h('td', null, h('span', { class: 'prio prio-' + cssToken(m.priority), text: m.priority })),
  h('td', null, tagList(m.tags)));
  return tr;
}

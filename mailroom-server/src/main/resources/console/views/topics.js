// #/topics: the topics the caller sees, as a tree by name segment, and the caller's
// subscriptions. #/topics/<name>: one topic's configuration and mailbox statistics, with the
// admin's configuration form and delete.

import { h, field, select, table, timeEl, hashLink } from '../dom.js';
import {
  get, post, del, request, query, isAdmin, canAct, problemNodes,
} from '../api.js';
import {
  is403, notAllowed, section, confirmButton, pagedList, fieldList, runAction, markInvalid, splitList,
  scrollRegion,
} from './common.js';

/**
 * Renders the topic tree and subscriptions, or one topic.
 * @param {import('../app.js').ViewContext} ctx
 */
export async function renderTopics(ctx) {
  if (ctx.params[0]) return renderOne(ctx, ctx.params[0]);
  ctx.root.append(h('h1', { tabindex: '-1', text: 'Topics' }));
  const topics = section('topics', 'Topics');
  const subs = section('subscriptions', 'Your subscriptions');
  ctx.root.append(topics.el, subs.el);
  await Promise.all([topicTree(ctx, topics.body), subscriptions(ctx, subs.body)]);
}

async function topicTree(ctx, body) {
  const prefixValue = (ctx.query.get('prefix') || '').trim();
  const prefix = h('input', { id: 'topics-prefix', name: 'prefix', type: 'text', value: prefixValue, autocomplete: 'off', spellcheck: 'false', placeholder: 'ai.' });
  const form = h('form', { id: 'topics-filter', class: 'inline-form', role: 'search', 'aria-label': 'Topic filter' },
    field('Name prefix', prefix, 'only names starting with this text'),
    h('button', { type: 'submit', id: 'topics-apply', class: 'button', text: 'Show' }));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const target = '#/topics' + query({ prefix: prefix.value.trim() });
    if (location.hash === target) load(null); else location.hash = target;
  });
  const status = h('p', { id: 'topics-status', class: 'muted', role: 'status' });
  const tree = h('ul', { id: 'topic-tree', class: 'topic-tree' });
  const more = h('button', { type: 'button', id: 'topics-more', class: 'button secondary', text: 'Load more' });
  more.hidden = true;
  body.append(form, status, h('div', { class: 'tree-wrap' }, tree), h('div', { class: 'actions' }, more));

  let cursor = null;
  let count = 0;
  const load = async (next) => {
    more.disabled = true;
    status.textContent = 'Loading…';
    if (!next) { tree.replaceChildren(); count = 0; }
    let page;
    try {
      page = await get('/v1/topics' + query({ prefix: prefixValue, cursor: next }), { signal: ctx.signal });
    } catch (e) {
      if (!ctx.alive()) return;
      more.disabled = false;
      status.textContent = '';
      if (is403(e)) { notAllowed(body, 'Topics'); return; }
      throw e;
    }
    if (!ctx.alive()) return;
    const nodes = Array.isArray(page.topics) ? page.topics : [];
    for (const n of nodes) count += mergeNode(tree, n);
    cursor = page.next_cursor || null;
    more.hidden = !cursor;
    more.disabled = false;
    status.textContent = count === 0 ? 'No topics' + (prefixValue ? ' under this prefix.' : '.')
      : count + ' topic' + (count === 1 ? '' : 's') + (cursor ? ' shown; more may follow.' : '.');
  };
  more.addEventListener('click', () => { if (cursor) load(cursor); });
  await load(null);
}

/**
 * Adds a tree node (and its children) under a list, merging with an intermediate node of the
 * same name that an earlier page already added. Returns how many topics it added.
 * @param {HTMLUListElement} ul
 * @param {object} node {name, segment, children, topic?}
 * @returns {number}
 */
function mergeNode(ul, node) {
  const name = String(node.name || '');
  let li = null;
  for (const c of ul.children) if (c.dataset.node === name) { li = c; break; }
  if (!li) {
    li = h('li', { class: 'topic-node', dataset: { node: name } });
    ul.appendChild(li);
  }
  const children = Array.isArray(node.children) ? node.children : [];
  let added = 0;
  let line = null;
  if (node.topic && !li.querySelector(':scope > .topic-line, :scope > details > .topic-line')) {
    line = topicLine(node);
    added = 1;
  }
  let details = li.querySelector(':scope > details');
  if (children.length && !details) {
    details = h('details', { class: 'topic-branch', open: true },
      // An explicit tabindex: the summary is a control like the links around it.
      h('summary', { tabindex: '0' }, h('span', { class: 'segment', text: String(node.segment || name) }),
        node.topic ? null : h('span', { class: 'muted small', text: ' ' + name + '.*' })),
      h('ul', { class: 'topic-children' }));
    const old = li.querySelector(':scope > .topic-line');
    li.replaceChildren(details);
    if (old) details.insertBefore(old, details.lastChild);
  }
  if (details) {
    if (line) details.insertBefore(line, details.lastChild);
    for (const c of children) added += mergeNode(details.lastChild, c);
  } else if (line) {
    li.replaceChildren(line);
  } else if (!li.firstChild) {
    li.appendChild(h('span', { class: 'segment', text: String(node.segment || name) }));
  }
  return added;
}

function topicLine(node) {
  const t = node.topic || {};
  const st = t.stats || {};
  const name = String(t.name || node.name);
  const bits = [];
  if (st.messages !== undefined) bits.push(st.messages + ' message' + (st.messages === 1 ? '' : 's'));
  if (st.subscribers !== undefined) bits.push(st.subscribers + ' subscriber' + (st.subscribers === 1 ? '' : 's'));
  return h('div', { class: 'topic-line' },
    h('a', { class: 'topic-row', href: hashLink('topics', name), dataset: { name } },
      h('span', { class: 'segment', text: String(node.segment || name) }),
      h('span', { class: 'topic-fullname muted small', text: ' ' + name })),
    bits.length ? h('span', { class: 'muted small', text: ' · ' + bits.join(' · ') }) : null,
    t.config && t.config.description ? h('span', { class: 'topic-description small', text: ' — ' + String(t.config.description) }) : null);
}

async function subscriptions(ctx, body) {
  const act = canAct();
  const status = h('p', { id: 'subs-status', class: 'muted', role: 'status' });
  const heads = ['Id', 'Pattern', 'Mode', 'Filter', 'Queued', 'Auto-ack', 'Created'];
  if (act) heads.push('');
  const t = table(heads, { id: 'subs-table' });
  // Without delete buttons the table has nothing focusable: let the keyboard scroll it.
  if (!act) scrollRegion(t.wrap, 'Your subscriptions');
  const more = h('button', { type: 'button', id: 'subs-more', class: 'button secondary', text: 'Load more' });

  const onDelete = (tr, btn) => runAction(btn, async () => {
    await del('/v1/subscriptions/' + encodeURIComponent(tr.dataset.id));
    if (!ctx.alive()) return;
    const next = tr.nextElementSibling || tr.previousElementSibling;
    tr.remove();
    status.textContent = 'Deleted subscription ' + tr.dataset.id + '.';
    const focusTo = next && next.querySelector('.sub-delete');
    if (focusTo) focusTo.focus();
    else if (pattern) pattern.focus();
  });
  const row = (s) => {
    const f = s.filter && typeof s.filter === 'object' ? s.filter : {};
    const fparts = [];
    if (f.sender) fparts.push('sender ' + f.sender);
    if (f.min_priority) fparts.push('priority ≥ ' + f.min_priority);
    if (f.content_type) fparts.push(String(f.content_type));
    if (Array.isArray(f.tags) && f.tags.length) fparts.push('tags ' + f.tags.join(', '));
    const tr = h('tr', { class: 'sub-row', dataset: { id: String(s.id) } },
      h('td', null, h('code', { text: s.id })),
      h('td', null, h('code', { text: s.pattern })),
      h('td', { text: s.delivery_mode }),
      h('td', { text: fparts.join('; ') }),
      h('td', { class: 'num', text: s.queued === undefined ? '' : s.queued }),
      h('td', { text: s.auto_ack ? 'yes' : 'no' }),
      h('td', { class: 'nowrap' }, timeEl(s.created_at)));
    if (act) {
      const b = h('button', { type: 'button', class: 'button small danger sub-delete', text: 'Delete', 'aria-label': 'Delete subscription ' + String(s.pattern) });
      b.addEventListener('click', () => onDelete(tr, b));
      tr.appendChild(h('td', null, b));
    }
    return tr;
  };

  let pattern = null;
  if (act) {
    pattern = h('input', { id: 'sub-pattern', name: 'pattern', type: 'text', required: true, autocomplete: 'off', spellcheck: 'false', placeholder: 'ai.models.*' });
    const mode = select({ id: 'sub-mode', name: 'delivery_mode' }, ['realtime', 'batch', 'polling'], 'realtime');
    const minPrio = select({ id: 'sub-min-priority', name: 'min_priority' }, [['', 'any'], 'low', 'normal', 'high', 'urgent'], '');
    const tags = h('input', { id: 'sub-tags', name: 'tags', type: 'text', autocomplete: 'off', spellcheck: 'false' });
    const autoAck = h('input', { id: 'sub-auto-ack', name: 'auto_ack', type: 'checkbox' });
    const create = h('button', { type: 'submit', id: 'sub-create', class: 'button', text: 'Subscribe' });
    const result = h('div', { id: 'sub-result', class: 'form-result', role: 'status' });
    const form = h('form', { id: 'sub-form', class: 'admin-form', novalidate: true, 'aria-label': 'New subscription' },
      h('div', { class: 'field-grid' },
        field('Pattern', pattern, 'a name, * for one segment, ** for one or more'),
        field('Delivery mode', mode),
        field('Minimum priority', minPrio),
        field('Tags', tags, 'comma-separated; a message must carry every one')),
      h('div', { class: 'check' }, autoAck, h('label', { for: 'sub-auto-ack', text: ' Acknowledge on push (auto_ack: at most once)' })),
      h('div', { class: 'actions' }, create), result);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      result.replaceChildren();
      const req = { pattern: pattern.value.trim(), delivery_mode: mode.value };
      const filter = {};
      if (minPrio.value) filter.min_priority = minPrio.value;
      const tl = splitList(tags.value);
      if (tl.length) filter.tags = tl;
      if (Object.keys(filter).length) req.filter = filter;
      if (autoAck.checked) req.auto_ack = true;
      const controls = { pattern, delivery_mode: mode, filter: minPrio, auto_ack: autoAck };
      await runAction(create, async () => {
        try {
          const s = await post('/v1/subscriptions', req);
          if (!ctx.alive()) return;
          markInvalid(null, controls);
          result.textContent = 'Subscribed to ' + String(s.pattern) + ' (' + String(s.id) + ').';
          t.tbody.appendChild(row(s));
          t.wrap.hidden = false;
          pattern.value = '';
        } catch (e) {
          if (!ctx.alive()) return;
          result.append(...problemNodes(e));
          markInvalid(e, controls);
          throw e;
        }
      });
    });
    body.append(form);
  }
  body.append(status, t.wrap, h('div', { class: 'actions' }, more));
  const load = pagedList(ctx, {
    tbody: t.tbody,
    status,
    more,
    path: (cursor) => '/v1/subscriptions' + query({ cursor }),
    items: (page) => (Array.isArray(page.subscriptions) ? page.subscriptions : []),
    next: (page) => page.next_cursor,
    row,
    noun: ['subscription', 'subscriptions'],
    onForbidden: () => notAllowed(body, 'Subscriptions'),
  });
  await load();
}

const CONFIG_FIELDS = [
  ['retention_seconds', 'Retention (s)', 'time to live of messages sent without ttl_seconds'],
  ['max_subscribers', 'Max subscribers', '1 … 2147483647'],
  ['cleanup_after_seconds', 'Clean up after (s)', 'idle time (no messages, no subscribers) before removal'],
];

async function renderOne(ctx, name) {
  const path = '/v1/topics/' + encodeURIComponent(name);
  const heading = h('h1', { tabindex: '-1', text: 'Topic ' + name });
  const box = h('div', { id: 'topic', dataset: { name } });
  ctx.root.append(heading,
    h('p', null, h('a', { href: '#/topics', text: '← All topics' }), ' · ',
      h('a', { id: 'topic-mail-link', href: hashLink('mail', name), text: 'Messages' }), ' · ',
      h('a', { id: 'topic-tail-link', href: hashLink('tail', name), text: 'Live tail' })),
    box);
  let topic;
  try {
    topic = await get(path, { signal: ctx.signal });
  } catch (e) {
    if (!ctx.alive()) return;
    if (is403(e)) { notAllowed(box, 'This topic'); return; }
    throw e;
  }
  if (!ctx.alive()) return;
  const info = h('div', { id: 'topic-info' });
  const showInfo = (tp) => {
    const cfg = tp.config || {};
    const set = tp.settings || {};
    const st = tp.stats || {};
    const own = (k) => (cfg[k] !== undefined ? ' (set here)' : ' (inherited or default)');
    info.replaceChildren(
      fieldList([
        ['Name', h('code', { text: tp.name })],
        ['Description', cfg.description === undefined ? h('span', { class: 'muted', text: 'none' }) : String(cfg.description)],
        ['Retention', set.retention_seconds === undefined ? undefined : set.retention_seconds + ' s' + own('retention_seconds')],
        ['Max subscribers', set.max_subscribers === undefined ? undefined : set.max_subscribers + own('max_subscribers')],
        ['Clean up after', set.cleanup_after_seconds === undefined ? undefined : set.cleanup_after_seconds + ' s' + own('cleanup_after_seconds')],
        ['Messages sent', st.messages === undefined ? undefined : String(st.messages)],
        ['Subscribers', st.subscribers === undefined ? undefined : st.subscribers + (st.peak_subscribers !== undefined ? ' (peak ' + st.peak_subscribers + ')' : '')],
        ['Last message', st.last_message_at ? timeEl(st.last_message_at) : undefined],
        ['Created', st.created_at ? timeEl(st.created_at) : undefined],
      ], { id: 'topic-fields' }));
  };
  showInfo(topic);
  box.append(info);

  const stats = section('topic-stats', 'Mailbox statistics');
  box.append(stats.el);

  if (isAdmin()) {
    const cfgSec = section('topic-config', 'Configuration');
    const cfg = topic.config || {};
    const description = h('textarea', { id: 'topic-description', name: 'description', rows: '2', maxlength: '1024' });
    description.value = cfg.description === undefined ? '' : String(cfg.description);
    const inputs = { description };
    for (const [k] of CONFIG_FIELDS) {
      inputs[k] = h('input', { id: 'topic-' + k.replace(/_/g, '-'), name: k, type: 'number', min: '1', value: cfg[k] === undefined ? '' : String(cfg[k]), autocomplete: 'off' });
    }
    const save = h('button', { type: 'submit', id: 'topic-save', class: 'button', text: 'Save configuration' });
    const result = h('div', { id: 'topic-config-result', class: 'form-result', role: 'status' });
    const form = h('form', { id: 'topic-config-form', class: 'admin-form', novalidate: true, 'aria-label': 'Configuration of ' + name },
      h('p', { class: 'muted small', text: 'What is set here replaces the topic\'s own configuration entirely: an empty field goes back to being inherited.' }),
      h('div', { class: 'field-grid' },
        CONFIG_FIELDS.map(([k, label, hint]) => field(label, inputs[k], hint))),
      field('Description', description, 'at most 1024 characters; not inherited'),
      h('div', { class: 'actions' }, save), result);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      result.replaceChildren();
      const req = {};
      if (description.value.trim()) req.description = description.value;
      for (const [k] of CONFIG_FIELDS) if (inputs[k].value.trim()) req[k] = Number(inputs[k].value.trim());
      await runAction(save, async () => {
        try {
          const ans = await request('PUT', path, req);
          if (!ctx.alive()) return;
          markInvalid(null, inputs);
          if (ans && ans.name) { topic = ans; showInfo(ans); }
          result.textContent = 'Saved.';
        } catch (e) {
          if (!ctx.alive()) return;
          result.append(...problemNodes(e));
          markInvalid(e, inputs);
          throw e;
        }
      });
    });
    const delResult = h('div', { id: 'topic-delete-result', class: 'form-result', role: 'status' });
    const remove = confirmButton({
      id: 'topic-delete',
      text: 'Delete topic',
      confirmId: 'topic-delete-confirm',
      confirmText: 'Yes, delete ' + name + ' and its history',
      onConfirm: (btn) => runAction(btn, async () => {
        await del(path);
        if (!ctx.alive()) return;
        delResult.textContent = 'Deleted ' + name + '.';
        location.hash = '#/topics';
      }),
    });
    cfgSec.body.append(form, h('h3', { text: 'Delete' }),
      h('p', { class: 'muted small', text: 'Removes the topic\'s mailbox, history, configuration and statistics. Subscriptions to the name are kept.' }),
      h('div', { class: 'actions' }, remove), delResult);
    box.append(cfgSec.el);
  }

  try {
    const s = await get('/v1/mailboxes/' + encodeURIComponent(name) + '/stats', { signal: ctx.signal });
    if (!ctx.alive()) return;
    stats.body.append(fieldList([
      ['Kind', String(s.kind || '')],
      ['Live messages', String(s.size === undefined ? '' : s.size)],
      ['Received in all', String(s.total === undefined ? '' : s.total)],
      ['Dropped', String(s.dropped === undefined ? '' : s.dropped)],
      ['Pending deliveries', String(s.pending === undefined ? '' : s.pending)],
      ['Unread (yours)', String(s.unread === undefined ? '' : s.unread)],
      ['Oldest unread', s.oldest_unread_at ? timeEl(s.oldest_unread_at) : undefined],
      ['Oldest message', s.oldest_message_at ? timeEl(s.oldest_message_at) : undefined],
      ['Last message', s.last_message_at ? timeEl(s.last_message_at) : undefined],
      ['Subscribers', s.subscribers === undefined ? undefined : String(s.subscribers)],
    ], { id: 'topic-mailbox-stats' }));
  } catch (e) {
    if (!ctx.alive()) return;
    if (is403(e)) notAllowed(stats.body, 'Statistics of this mailbox');
    else if (e && e.status === 404) stats.body.append(h('p', { class: 'muted', text: 'No mailbox statistics (no such mailbox yet).' }));
    else throw e;
  }
}

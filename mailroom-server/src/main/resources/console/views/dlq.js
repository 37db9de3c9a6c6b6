// #/dlq and #/dlq/<id>: the dead-letter queue, with replay and purge.
// An admin names an agent with ?agent= (every DLQ route takes it; without it, the list and
// purge cover every agent and the single routes mean the admin's own).

import { h, field, table, timeEl, hashLink } from '../dom.js';
import { get, post, del, query, canAct, isAdmin } from '../api.js';
import { previewText } from '../render.js';
import { messageArticle } from './message.js';
import {
  is403, notAllowed, confirmButton, openRows, pagedList, fieldList, runAction,
} from './common.js';

/**
 * Renders the dead-letter list or one dead letter.
 * @param {import('../app.js').ViewContext} ctx
 */
export async function renderDlq(ctx) {
  if (ctx.params[0]) return renderOne(ctx, ctx.params[0]);
  return renderList(ctx);
}

function dlqHref(d) {
  return hashLink('dlq', d.id) + (isAdmin() && d.agent_id ? query({ agent: d.agent_id }) : '');
}

async function renderList(ctx) {
  const admin = isAdmin();
  const agentFilter = admin ? (ctx.query.get('agent') || '').trim() : '';
  const limitValue = ctx.query.get('limit') || '';
  ctx.root.append(h('h1', { tabindex: '-1', text: 'Dead letters' }));

  const limit = h('input', { id: 'dlq-limit', name: 'limit', type: 'number', min: '1', max: '1000', value: limitValue, autocomplete: 'off' });
  const form = h('form', { id: 'dlq-filters', class: 'inline-form', role: 'search', 'aria-label': 'Dead-letter filters' });
  let agent = null;
  if (admin) {
    agent = h('input', { id: 'dlq-agent', name: 'agent', type: 'text', value: agentFilter, autocomplete: 'off', spellcheck: 'false' });
    form.append(field('Agent', agent, 'empty: every agent'));
  }
  form.append(field('Page size', limit, '1 … 1000 (default 50)'),
    h('button', { type: 'submit', id: 'dlq-apply', class: 'button', text: 'Show' }));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const target = '#/dlq' + query({ agent: agent ? agent.value.trim() : '', limit: limit.value.trim() });
    if (location.hash === target) load(); else location.hash = target;
  });

  const content = h('div', { id: 'dlq-content' });
  const status = h('p', { id: 'dlq-status', class: 'muted', role: 'status' });
  const result = h('div', { id: 'dlq-result', class: 'form-result', role: 'status' });
  result.hidden = true;
  const t = table(['Message', 'Agent', 'Subscription', 'Reason', 'Attempts', 'Dead at', 'Sender', 'Preview'], { id: 'dlq-table', class: 'dlq-table' });
  const more = h('button', { type: 'button', id: 'dlq-more', class: 'button secondary', text: 'Load more' });
  content.append(status, t.wrap, h('div', { class: 'actions' }, more));

  if (canAct()) {
    const scope = admin ? (agentFilter ? 'of ' + agentFilter : 'of every agent') : '';
    const purgeAll = confirmButton({
      id: 'dlq-purge-all',
      text: 'Purge all dead letters' + (scope ? ' ' + scope : ''),
      confirmId: 'dlq-purge-all-confirm',
      confirmText: 'Yes, purge ' + (scope ? 'every dead letter ' + scope : 'all my dead letters'),
      onConfirm: (btn) => runAction(btn, async () => {
        const ans = await del('/v1/dlq' + query({ agent: agentFilter }));
        if (!ctx.alive()) return;
        const n = ans && typeof ans.purged === 'number' ? ans.purged : 0;
        result.textContent = 'Purged ' + n + ' dead letter' + (n === 1 ? '' : 's') + '.';
        result.hidden = false;
        await load();
      }),
    });
    content.append(h('div', { class: 'actions danger-zone' }, purgeAll));
  }
  content.append(result);
  ctx.root.append(form, content);
  openRows(t.tbody, 'tr.dlq-row');

  const load = pagedList(ctx, {
    tbody: t.tbody,
    status,
    more,
    path: (cursor) => '/v1/dlq' + query({ agent: agentFilter, limit: limitValue, after_id: cursor }),
    items: (page) => (Array.isArray(page.dead_letters) ? page.dead_letters : []),
    next: (page) => page.next_after_id,
    row: dlqRow,
    noun: ['dead letter', 'dead letters'],
    onForbidden: () => notAllowed(content, 'Dead letters'),
  });
  await load();
}

/**
 * A dead-letter row: tabindex=0; click or Enter opens it.
 * @param {object} d dead letter
 * @returns {HTMLTableRowElement}
 */
export function dlqRow(d) {
  const m = d.message && typeof d.message === 'object' ? d.message : {};
  const href = dlqHref(d);
  return h('tr', {
    class: 'dlq-row', tabindex: '0', dataset: { id: String(d.id), agent: String(d.agent_id || ''), href },
    'aria-label': 'Dead letter ' + String(d.id) + ' of ' + String(d.agent_id || ''),
  },
  h('td', { class: 'nowrap' }, h('a', { href, tabindex: '-1' }, h('code', { text: d.id }))),
  h('td', { text: d.agent_id }),
  h('td', { text: d.subscription_id }),
  h('td', { class: 'reason', text: d.reason }),
  h('td', { class: 'num', text: d.attempts }),
  h('td', { class: 'nowrap' }, timeEl(d.dead_at)),
  h('td', { text: m.sender || '' }),
  h('td', { class: 'preview', text: previewText(Object.assign({ payload: '' }, m)) || '(empty)' }));
}

async function renderOne(ctx, id) {
  const agentQ = isAdmin() ? (ctx.query.get('agent') || '').trim() : '';
  const q = query({ agent: agentQ });
  const heading = h('h1', { tabindex: '-1', text: 'Dead letter ' + id });
  const box = h('div', { id: 'dlq-letter', dataset: { id } });
  ctx.root.append(heading,
    h('p', null, h('a', { id: 'dlq-back', href: '#/dlq' + query({ agent: agentQ }), text: '← All dead letters' })),
    box);
  let d;
  try {
    d = await get('/v1/dlq/' + encodeURIComponent(id) + q, { signal: ctx.signal });
  } catch (e) {
    if (!ctx.alive()) return;
    if (is403(e)) { notAllowed(box, 'This dead letter'); return; }
    throw e;
  }
  if (!ctx.alive()) return;
  box.append(fieldList([
    ['Message', h('code', { text: d.id })],
    ['Agent', String(d.agent_id || '')],
    ['Subscription', String(d.subscription_id || '')],
    ['Reason', String(d.reason || '')],
    ['Attempts', String(d.attempts === undefined ? '' : d.attempts)],
    ['Dead at', timeEl(d.dead_at)],
  ], { id: 'dlq-fields' }));

  const result = h('div', { id: 'dlq-result', class: 'form-result', role: 'status' });
  result.hidden = true;
  if (canAct()) {
    const actions = h('div', { class: 'actions' });
    const replay = h('button', { type: 'button', id: 'dlq-replay', class: 'button', text: 'Replay' });
    const purge = confirmButton({
      id: 'dlq-purge',
      text: 'Purge',
      confirmId: 'dlq-purge-confirm',
      confirmText: 'Yes, purge this dead letter',
      onConfirm: (btn) => runAction(btn, async () => {
        await del('/v1/dlq/' + encodeURIComponent(id) + q);
        if (!ctx.alive()) return;
        result.replaceChildren('Purged: the dead letter ' + id + ' is gone (the message stays in the inbox). ',
          h('a', { href: '#/dlq' + query({ agent: agentQ }), text: 'Back to the list' }));
        result.hidden = false;
        actions.querySelectorAll('button').forEach((b) => { b.disabled = true; });
      }),
    });
    replay.addEventListener('click', () => runAction(replay, async () => {
      const ans = await post('/v1/dlq/' + encodeURIComponent(id) + '/replay' + q);
      if (!ctx.alive()) return;
      // The server answers 204 (no body); show whatever it answered otherwise.
      result.replaceChildren(h('strong', { text: 'Replayed' }), ': ',
        ans === null
          ? 'the server answered 204 No Content: the delivery is pending again with its attempts reset, and the agent\'s stream pushes it as attempt 1.'
          : h('code', { text: JSON.stringify(ans) }));
      result.hidden = false;
    }));
    actions.append(replay, purge);
    box.append(actions);
  }
  box.append(result);
  if (d.message && typeof d.message === 'object') {
    box.append(h('h2', { class: 'section-title', text: 'Message' }), messageArticle(d.message));
  }
  heading.textContent = 'Dead letter ' + String(d.id);
}

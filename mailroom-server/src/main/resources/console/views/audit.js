// #/audit: the audit log with its filters and cursor paging, and the chain verification.
// Admin only.

import { h, field, select, table, timeEl } from '../dom.js';
import { get, query, isAdmin, problemNodes } from '../api.js';
import { notAllowed, section, pagedList, runAction, scrollRegion } from './common.js';

/** Text filters of GET /v1/audit: [param, label, hint]. */
const TEXT_FILTERS = [
  ['actor', 'Actor', 'agent id, or - for none'],
  ['action', 'Action', 'method and route, e.g. POST /v1/messages'],
  ['resource', 'Resource', 'exact, e.g. team.review'],
  ['since', 'Since', 'ISO-8601 instant (inclusive)'],
  ['until', 'Until', 'ISO-8601 instant (exclusive)'],
  ['limit', 'Page size', '1 … 1000 (default 50)'],
];
const PARAMS = ['actor', 'action', 'resource', 'outcome', 'since', 'until', 'order', 'limit'];

/**
 * Renders the audit view.
 * @param {import('../app.js').ViewContext} ctx
 */
export async function renderAudit(ctx) {
  ctx.root.append(h('h1', { tabindex: '-1', text: 'Audit log' }));
  const content = h('div', { id: 'audit-content' });
  ctx.root.append(content);
  if (!isAdmin()) {
    notAllowed(content, 'The audit log');
    return;
  }
  const q = ctx.query;
  const inputs = {};
  for (const [p] of TEXT_FILTERS) {
    inputs[p] = h('input', { id: 'audit-' + p, name: p, type: p === 'limit' ? 'number' : 'text', value: q.get(p) || '', autocomplete: 'off', spellcheck: 'false' });
  }
  inputs.limit.min = '1';
  inputs.limit.max = '1000';
  inputs.outcome = select({ id: 'audit-outcome', name: 'outcome' }, [['', 'any'], 'ok', 'denied', 'invalid', 'failed'], q.get('outcome') || '');
  inputs.order = select({ id: 'audit-order', name: 'order' }, [['asc', 'oldest first (asc)'], ['desc', 'newest first (desc)']], q.get('order') || 'asc');
  const labels = Object.fromEntries(TEXT_FILTERS.map(([p, l]) => [p, l]));
  const hints = Object.fromEntries(TEXT_FILTERS.map(([p, , hint]) => [p, hint]));
  Object.assign(labels, { outcome: 'Outcome', order: 'Order' });

  const params = {};
  for (const p of PARAMS) {
    const v = (q.get(p) || '').trim();
    if (v && !(p === 'order' && v === 'asc')) params[p] = v;
  }

  const form = h('form', { id: 'audit-filters', class: 'filters', role: 'search', 'aria-label': 'Audit filters' },
    h('fieldset', { class: 'filter-grid' }, h('legend', { text: 'Filters (exact matches)' }),
      ['actor', 'action', 'resource', 'outcome', 'since', 'until', 'order', 'limit'].map((p) => field(labels[p], inputs[p], hints[p]))),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', id: 'audit-apply', class: 'button', text: 'Show' }),
      h('a', { id: 'audit-reset', class: 'button secondary', href: '#/audit', text: 'Clear filters' })));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const next = {};
    for (const p of PARAMS) {
      const v = inputs[p].value.trim();
      if (v && !(p === 'order' && v === 'asc')) next[p] = v;
    }
    const target = '#/audit' + query(next);
    if (location.hash === target) load(); else location.hash = target;
  });

  // Verification.
  const verify = h('button', { type: 'button', id: 'audit-verify', class: 'button secondary', text: 'Verify the hash chains' });
  const verifyResult = h('div', { id: 'audit-verify-result', class: 'form-result', role: 'status', 'aria-live': 'polite' });
  verify.addEventListener('click', () => runAction(verify, async () => {
    verifyResult.replaceChildren(h('p', { class: 'muted', text: 'Verifying… (reads the whole log)' }));
    delete verifyResult.dataset.ok;
    let ans;
    try {
      ans = await get('/v1/audit/verify', { signal: ctx.signal });
    } catch (e) {
      if (!ctx.alive()) return;
      verifyResult.replaceChildren(...problemNodes(e));
      throw e;
    }
    if (!ctx.alive()) return;
    renderVerify(verifyResult, ans);
  }));
  const verifySec = section('audit-verify-section', 'Tamper evidence');
  verifySec.body.append(h('div', { class: 'actions' }, verify), verifyResult);

  const status = h('p', { id: 'audit-status', class: 'muted', role: 'status' });
  const t = table(['At', 'Actor', 'Action', 'Resource', 'Status', 'Outcome', 'Detail', 'Request id', 'Chain · index'], { id: 'audit-table', class: 'audit-table' });
  scrollRegion(t.wrap, 'Audit records');
  const more = h('button', { type: 'button', id: 'audit-more', class: 'button secondary', text: 'Load more' });
  content.append(form, verifySec.el, status, t.wrap, h('div', { class: 'actions' }, more));

  const load = pagedList(ctx, {
    tbody: t.tbody,
    status,
    more,
    path: (cursor) => '/v1/audit' + query(Object.assign({}, params, { cursor })),
    items: (page) => (Array.isArray(page.records) ? page.records : []),
    next: (page) => page.next_cursor,
    row: auditRow,
    noun: ['record', 'records'],
    onForbidden: () => notAllowed(content, 'The audit log'),
  });
  await load();
}

/**
 * An audit record row (all text).
 * @param {object} r record
 * @returns {HTMLTableRowElement}
 */
export function auditRow(r) {
  return h('tr', { class: ['audit-row', 'outcome-' + String(r.outcome || '').replace(/[^a-z]/g, '')], dataset: { id: String(r.chain) + ':' + String(r.index), outcome: String(r.outcome || '') } },
    h('td', { class: 'nowrap' }, timeEl(r.at)),
    h('td', { text: r.actor }),
    h('td', null, h('code', { text: r.action })),
    h('td', { text: r.resource }),
    h('td', { class: 'num', text: r.status }),
    h('td', null, h('span', { class: 'outcome', text: r.outcome })),
    h('td', { class: 'detail', text: r.detail === null || r.detail === undefined ? '' : r.detail }),
    h('td', null, h('code', { text: r.request_id || '' })),
    h('td', { class: 'nowrap' }, h('code', { text: String(r.chain) + ' · ' + String(r.index) })));
}

function renderVerify(el, ans) {
  const chains = Array.isArray(ans.chains) ? ans.chains : [];
  const ok = ans.ok === true;
  el.dataset.ok = String(ok);
  const broken = chains.filter((c) => c.ok !== true);
  const nodes = [h('p', null, h('strong', { id: 'audit-verify-ok', class: ok ? 'verify-ok' : 'verify-broken', text: ok ? 'OK' : 'Broken' }),
    ok ? ': every chain verifies (' + chains.length + ' chain' + (chains.length === 1 ? '' : 's') + ', ' + chains.reduce((n, c) => n + (Number(c.records) || 0), 0) + ' records).'
      : ': ' + broken.length + ' of ' + chains.length + ' chain' + (chains.length === 1 ? '' : 's') + ' broken.')];
  const ul = h('ul', { class: 'verify-chains' });
  for (const c of chains) {
    const p = c.problem && typeof c.problem === 'object' ? c.problem : null;
    ul.append(h('li', { class: c.ok === true ? 'chain-ok' : 'chain-broken', dataset: { chain: String(c.chain) } },
      h('code', { text: String(c.chain) }),
      ': ' + (Number(c.records) || 0) + ' records, indexes ' + String(c.first_index) + ' … ' + String(c.last_index) + ' — ' +
      (c.ok === true ? 'ok' : 'broken at index ' + (p ? String(p.index) : '?') + (p && p.reason ? ': ' + String(p.reason) : ''))));
  }
  el.replaceChildren(...nodes, ul);
}


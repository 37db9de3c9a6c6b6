// Helpers shared by the administration views (dead letters, agents, access, audit, topics):
// 403 handling, confirm steps, one-time token display, paged tables and row activation.

import { h, clear, field } from '../dom.js';
import { get, ApiError, showError, clearError } from '../api.js';

/**
 * True for a 403 answer.
 * @param {*} e
 * @returns {boolean}
 */
export function is403(e) {
  return e instanceof ApiError && e.status === 403;
}

/**
 * Replaces an element's content with the "not allowed" notice.
 * @param {HTMLElement} el
 * @param {string} [what] what was refused, e.g. "Listing agents"
 * @returns {HTMLElement} the notice
 */
export function notAllowed(el, what) {
  const p = h('p', { class: 'not-allowed', role: 'status', text: (what ? what + ': not' : 'Not') + ' allowed for your token.' });
  clear(el).appendChild(p);
  return p;
}

/**
 * A section with an h2 title, for the parts of a view.
 * @param {string} id the section's id (its title gets id + "-title")
 * @param {string} title
 * @returns {{el: HTMLElement, body: HTMLElement}}
 */
export function section(id, title) {
  const body = h('div', { class: 'section-body' });
  const el = h('section', { id, class: 'admin-section', 'aria-labelledby': id + '-title' },
    h('h2', { id: id + '-title', text: title }), body);
  return { el, body };
}

/**
 * Runs an action from a button: disables it while running, clears the error box and shows a
 * failure there. Resolves to the action's value, or undefined on failure.
 * @param {HTMLButtonElement} btn
 * @param {() => Promise<*>} fn
 * @returns {Promise<*>}
 */
export async function runAction(btn, fn) {
  btn.disabled = true;
  clearError();
  try {
    return await fn();
  } catch (e) {
    showError(e);
    return undefined;
  } finally {
    btn.disabled = false;
  }
}

/**
 * A button with a confirm step: the first click shows a second button (confirmId) and a Cancel
 * button; only the second one acts. Enter/Space work as on any button.
 * @param {{id?: string, cls?: string, text: string, confirmId?: string, confirmText: string,
 *   onConfirm: (btn: HTMLButtonElement) => Promise<*>|*}} o
 * @returns {HTMLElement} a wrapper holding the buttons
 */
export function confirmButton(o) {
  const first = h('button', { type: 'button', id: o.id || null, class: ['button', 'danger', o.cls || null], text: o.text, 'aria-expanded': 'false' });
  const yes = h('button', { type: 'button', id: o.confirmId || null, class: 'button danger confirm-yes', text: o.confirmText });
  const no = h('button', { type: 'button', class: 'button secondary confirm-no', text: 'Cancel' });
  const box = h('span', { class: 'confirm-step', role: 'group', 'aria-label': 'Confirm: ' + o.text }, yes, no);
  box.hidden = true;
  const wrap = h('span', { class: 'confirm-wrap' }, first, box);
  const close = () => {
    box.hidden = true;
    first.hidden = false;
    first.setAttribute('aria-expanded', 'false');
  };
  first.addEventListener('click', () => {
    first.hidden = true;
    first.setAttribute('aria-expanded', 'true');
    box.hidden = false;
    yes.focus();
  });
  no.addEventListener('click', () => { close(); first.focus(); });
  yes.addEventListener('click', async () => {
    yes.disabled = true;
    try {
      await o.onConfirm(yes);
    } finally {
      yes.disabled = false;
      if (wrap.isConnected) close();
    }
  });
  return wrap;
}

/**
 * Shows a newly issued token once: a warning, a read-only input (#agent-token) and a Copy button.
 * @param {{id: string, token: string, token_expires_at?: string}} ans the server's answer
 * @param {{self?: boolean}} [opts] self: the token replaced the one this session was opened with
 * @returns {HTMLElement}
 */
export function tokenBox(ans, opts = {}) {
  const input = h('input', { id: 'agent-token', type: 'text', readonly: true, value: String(ans.token || ''), autocomplete: 'off', spellcheck: 'false', class: 'token-input' });
  const copy = h('button', { type: 'button', id: 'agent-token-copy', class: 'button secondary', text: 'Copy' });
  const copied = h('span', { class: 'muted', role: 'status' });
  copy.addEventListener('click', async () => {
    input.focus();
    input.select();
    try {
      await navigator.clipboard.writeText(input.value);
      copied.textContent = 'Copied.';
    } catch (_) {
      copied.textContent = 'Select the token and copy it by hand (Ctrl+C).';
    }
  });
  const box = h('div', { id: 'agent-token-box', class: 'token-box', role: 'region', 'aria-label': 'New token' },
    h('p', { class: 'warning', text: 'The token of ' + String(ans.id || '') + ' is shown only now: copy it, it will not be shown again.' }),
    h('div', { class: 'inline-form' }, field('Token', input), copy, copied));
  if (ans.token_expires_at) box.appendChild(h('p', { class: 'muted small', text: 'Expires at ' + ans.token_expires_at }));
  if (opts.self) box.appendChild(h('p', { class: 'warning', text: 'This console session was opened with the old token and has ended: sign in again with the new one.' }));
  return box;
}

/**
 * Makes table rows with a data-href open it on click (outside links and buttons) and on Enter.
 * @param {HTMLElement} tbody
 * @param {string} selector the rows, e.g. "tr.dlq-row"
 */
export function openRows(tbody, selector) {
  const open = (tr) => { if (tr && tr.dataset.href) location.hash = tr.dataset.href; };
  tbody.addEventListener('click', (ev) => {
    if (ev.target.closest('a, button, input, select, textarea, label')) return;
    open(ev.target.closest(selector));
  });
  tbody.addEventListener('keydown', (ev) => {
    if ((ev.key === 'Enter' || ev.key === ' ') && ev.target.matches(selector)) {
      ev.preventDefault();
      open(ev.target);
    }
  });
}

/**
 * A paged listing into a tbody: a status line and a "Load more" button.
 * @param {import('../app.js').ViewContext} ctx
 * @param {{tbody: HTMLElement, status: HTMLElement, more: HTMLButtonElement,
 *   path: (cursor: string|null) => string, items: (page: object) => Array,
 *   next: (page: object) => (string|null), row: (item: object) => Node,
 *   noun: [string, string], onForbidden: () => void}} o
 * @returns {(next?: string|null) => Promise<void>} loads the first page (no argument) or the next
 */
export function pagedList(ctx, o) {
  let cursor = null;
  let count = 0;
  o.more.hidden = true;
  const load = async (next) => {
    o.more.disabled = true;
    o.status.textContent = 'Loading…';
    if (!next) { o.tbody.replaceChildren(); count = 0; }
    let page;
    try {
      page = await get(o.path(next || null), { signal: ctx.signal });
    } catch (e) {
      if (!ctx.alive()) return;
      o.status.textContent = '';
      o.more.disabled = false;
      if (is403(e)) { o.onForbidden(); return; }
      showError(e);
      return;
    }
    if (!ctx.alive()) return;
    const items = o.items(page) || [];
    const frag = document.createDocumentFragment();
    for (const it of items) frag.appendChild(o.row(it));
    o.tbody.appendChild(frag);
    count += items.length;
    // An empty table says nothing the status line does not: hide it.
    const wrap = o.tbody.closest('.table-wrap');
    if (wrap) wrap.hidden = count === 0;
    cursor = o.next(page) || null;
    o.more.hidden = !cursor;
    o.more.disabled = false;
    o.status.textContent = count === 0 ? 'No ' + o.noun[1] + '.'
      : count + ' ' + (count === 1 ? o.noun[0] : o.noun[1]) + (cursor ? ' shown; more may follow.' : '.');
  };
  o.more.addEventListener('click', () => { if (cursor) load(cursor); });
  return load;
}

/**
 * Makes a table's scrolling wrapper a focusable, labelled region, so that a table without
 * focusable content can still be scrolled sideways from the keyboard.
 * @param {HTMLElement} wrap
 * @param {string} label
 * @returns {HTMLElement} wrap
 */
export function scrollRegion(wrap, label) {
  wrap.setAttribute('tabindex', '0');
  wrap.setAttribute('role', 'region');
  wrap.setAttribute('aria-label', label);
  return wrap;
}

/**
 * Splits a comma-separated list into trimmed, non-empty parts.
 * @param {string} s
 * @returns {string[]}
 */
export function splitList(s) {
  return String(s || '').split(',').map((x) => x.trim()).filter(Boolean);
}

/**
 * Marks the controls named by a problem's field errors aria-invalid, and focuses the first.
 * @param {Error} e
 * @param {Object<string, HTMLElement>} controls by wire field name
 */
export function markInvalid(e, controls) {
  for (const c of Object.values(controls)) c.removeAttribute('aria-invalid');
  const errs = (e && e.problem && Array.isArray(e.problem.errors)) ? e.problem.errors : [];
  let first = null;
  for (const fe of errs) {
    const name = String(fe.field || '').replace(/\[.*$/, '').replace(/\..*$/, '');
    const c = controls[name];
    if (c) { c.setAttribute('aria-invalid', 'true'); first = first || c; }
  }
  if (first) first.focus();
}

/**
 * A <dl class="fields"> from [label, value] pairs (values are nodes or text; undefined skipped).
 * @param {Array<[string, *]>} rows
 * @param {Object<string,*>} [attrs]
 * @returns {HTMLElement}
 */
export function fieldList(rows, attrs) {
  const dl = h('dl', Object.assign({ class: 'fields' }, attrs || {}));
  for (const [label, value] of rows) {
    if (value === undefined) continue;
    dl.append(h('dt', { text: label }), h('dd', null, value === null ? '' : (value instanceof Node ? value : String(value))));
  }
  return dl;
}

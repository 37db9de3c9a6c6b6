// #/enrollments (admins): the enrollments with which agents register themselves; issue one (its
// secret shown once) and revoke one.

import { h, field, table, timeEl } from '../dom.js';
import { get, post, del, isAdmin, problemNodes } from '../api.js';
import {
  is403, notAllowed, section, confirmButton, runAction, splitList, markInvalid, scrollRegion,
} from './common.js';

/**
 * Renders the enrollments.
 * @param {import('../app.js').ViewContext} ctx
 */
export async function renderEnrollments(ctx) {
  ctx.root.append(h('h1', { tabindex: '-1', text: 'Enrollments' }));
  const content = h('div', { id: 'enrollments-content' });
  ctx.root.append(content);
  if (!isAdmin()) {
    notAllowed(content, 'Enrollments');
    return;
  }

  const roles = h('input', { id: 'enrollment-roles', name: 'roles', type: 'text', value: 'agent', autocomplete: 'off', spellcheck: 'false' });
  const uses = h('input', { id: 'enrollment-uses', name: 'uses', type: 'number', min: '1', max: '10000', value: '1', required: true, autocomplete: 'off' });
  const ttl = h('input', { id: 'enrollment-ttl', name: 'ttl_seconds', type: 'number', min: '1', value: '3600', required: true, autocomplete: 'off' });
  const prefix = h('input', { id: 'enrollment-prefix', name: 'id_prefix', type: 'text', maxlength: '32', autocomplete: 'off', spellcheck: 'false' });
  const create = h('button', { type: 'submit', id: 'enrollment-create', class: 'button', text: 'Issue enrollment' });
  const result = h('div', { id: 'enrollment-create-result', class: 'form-result', role: 'status' });
  const controls = { roles, uses, ttl_seconds: ttl, id_prefix: prefix };
  const form = h('form', { id: 'enrollment-form', class: 'admin-form', novalidate: true, 'aria-label': 'New enrollment' },
    h('div', { class: 'field-grid' },
      field('Roles', roles, 'comma-separated; the agents it registers get these'),
      field('Uses', uses, 'how many agents it registers, 1–10000'),
      field('Expires after (s)', ttl, 'from now; at most a year'),
      field('Id prefix', prefix, 'optional: the ids it registers must start with this')),
    h('div', { class: 'actions' }, create), result);

  const status = h('p', { id: 'enrollments-status', class: 'muted', role: 'status' });
  const t = table(['Enrollment', 'Roles', 'Left', 'Expires', 'Id prefix', 'Issued by', ''], { id: 'enrollments-table' });
  scrollRegion(t.wrap, 'Enrollments');

  const row = (e) => h('tr', { class: 'enrollment-row', dataset: { id: String(e.id) } },
    h('td', null, h('code', { text: e.id })),
    h('td', { text: Array.isArray(e.roles) ? e.roles.join(', ') : '' }),
    h('td', { class: 'num', text: String(e.remaining) + ' of ' + String(e.uses) }),
    h('td', { class: 'nowrap' }, timeEl(e.expires_at)),
    h('td', { text: e.id_prefix || '' }),
    h('td', { text: e.issuer || '' }),
    h('td', null, confirmButton({
      cls: 'enrollment-revoke',
      text: 'Revoke',
      confirmText: 'Yes, revoke ' + e.id,
      onConfirm: (btn) => runAction(btn, async () => {
        await del('/v1/enrollments/' + encodeURIComponent(e.id));
        if (!ctx.alive()) return;
        btn.closest('tr')?.remove();
        status.textContent = 'Revoked ' + e.id + ': its secret registers nobody from now on.';
      }),
    })));

  const load = async () => {
    let page;
    try {
      page = await get('/v1/enrollments', { signal: ctx.signal });
    } catch (e) {
      if (!ctx.alive()) return;
      if (is403(e)) { notAllowed(content, 'Enrollments'); return; }
      throw e;
    }
    if (!ctx.alive()) return;
    const list = Array.isArray(page.enrollments) ? page.enrollments : [];
    t.tbody.replaceChildren(...list.map(row));
    t.wrap.hidden = list.length === 0;
    status.textContent = list.length ? list.length + (list.length === 1 ? ' enrollment.' : ' enrollments.') : 'No enrollment.';
  };

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    result.replaceChildren();
    const body = { uses: Number(uses.value.trim()), ttl_seconds: Number(ttl.value.trim()) };
    const r = splitList(roles.value);
    if (r.length) body.roles = r;
    if (prefix.value.trim()) body.id_prefix = prefix.value.trim();
    await runAction(create, async () => {
      try {
        const ans = await post('/v1/enrollments', body);
        if (!ctx.alive()) return;
        markInvalid(null, controls);
        result.append(secretBox(ans));
        await load();
      } catch (e) {
        if (!ctx.alive()) return;
        result.append(...problemNodes(e));
        markInvalid(e, controls);
        throw e;
      }
    });
  });

  const issue = section('enrollment-new', 'New enrollment');
  issue.body.append(
    h('p', { class: 'muted small', text: 'An agent registers itself with the secret (POST /v1/agents/enroll, or mailroom enroll) and receives its own token; no admin token is handed out.' }),
    form);
  const all = section('enrollments-list', 'Enrollments');
  all.body.append(status, t.wrap);
  content.append(issue.el, all.el);
  await load();
}

/**
 * Shows a new enrollment's secret once: a warning, a read-only input and a Copy button.
 * @param {{enrollment: {id: string, expires_at: string}, token: string}} ans
 * @returns {HTMLElement}
 */
function secretBox(ans) {
  const input = h('input', { id: 'enrollment-secret', type: 'text', readonly: true, value: String(ans.token || ''), autocomplete: 'off', spellcheck: 'false', class: 'token-input' });
  const copy = h('button', { type: 'button', id: 'enrollment-secret-copy', class: 'button secondary', text: 'Copy' });
  const copied = h('span', { class: 'muted', role: 'status' });
  copy.addEventListener('click', async () => {
    input.focus();
    input.select();
    try {
      await navigator.clipboard.writeText(input.value);
      copied.textContent = 'Copied.';
    } catch (_) {
      copied.textContent = 'Select the secret and copy it by hand (Ctrl+C).';
    }
  });
  const e = ans.enrollment || {};
  return h('div', { id: 'enrollment-secret-box', class: 'token-box', role: 'region', 'aria-label': 'New enrollment secret' },
    h('p', { class: 'warning', text: 'The secret of enrollment ' + String(e.id || '') + ' is shown only now: copy it, it will not be shown again.' }),
    h('div', { class: 'inline-form' }, field('Secret', input), copy, copied),
    e.expires_at ? h('p', { class: 'muted small', text: 'Expires at ' + e.expires_at }) : null);
}

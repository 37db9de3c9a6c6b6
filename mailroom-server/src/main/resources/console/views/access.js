// #/access: permission rules (grant, revoke), roles, and "explain" (may agent X do Y on Z?).
// Every route here is for admins only.

import { h, field, select, table, timeEl, hashLink } from '../dom.js';
import { get, post, del, query, isAdmin, problemNodes } from '../api.js';
import {
  is403, notAllowed, section, pagedList, runAction, markInvalid,
} from './common.js';

const ACTIONS = ['read', 'write', 'subscribe', 'admin'];

/**
 * Renders the access view.
 * @param {import('../app.js').ViewContext} ctx
 */
export async function renderAccess(ctx) {
  ctx.root.append(h('h1', { tabindex: '-1', text: 'Access' }));
  const content = h('div', { id: 'access-content' });
  ctx.root.append(content);
  if (!isAdmin()) {
    // Rules, roles and explain are for admins only: no need to ask the server.
    notAllowed(content, 'Permission rules');
    return;
  }
  const rules = section('acl', 'Permission rules');
  const explain = section('explain', 'Explain a decision');
  const roles = section('roles', 'Roles');
  content.append(explain.el, rules.el, roles.el);
  explainForm(ctx, explain.body);
  await Promise.all([rulesPart(ctx, rules.body), rolesPart(ctx, roles.body)]);
}

function ruleText(r) {
  if (!r || typeof r !== 'object') return '';
  return 'rule ' + String(r.id) + ': ' + String(r.effect || 'allow') + ' ' + String(r.grantee) + ' ' +
    (Array.isArray(r.actions) ? r.actions.join(', ') : '') + ' on ' + String(r.resource);
}

/**
 * A rule row, with a Revoke button (admins only reach this view).
 * @param {object} r rule
 * @param {(tr: HTMLElement, btn: HTMLButtonElement) => void} onRevoke
 * @returns {HTMLTableRowElement}
 */
function ruleRow(r, onRevoke) {
  const revoke = h('button', { type: 'button', class: 'button small danger acl-revoke', text: 'Revoke', 'aria-label': 'Revoke ' + ruleText(r) });
  const tr = h('tr', { class: ['acl-row', 'effect-' + (r.effect === 'deny' ? 'deny' : 'allow')], dataset: { id: String(r.id) } },
    h('td', null, h('code', { text: r.id })),
    h('td', { text: r.grantee }),
    h('td', null, h('span', { class: 'effect', text: r.effect || 'allow' })),
    h('td', null, h('code', { text: r.resource })),
    h('td', { text: Array.isArray(r.actions) ? r.actions.join(', ') : '' }),
    h('td', { class: 'nowrap' }, timeEl(r.created_at)),
    h('td', { text: r.created_by || '' }),
    h('td', null, revoke));
  revoke.addEventListener('click', () => onRevoke(tr, revoke));
  return tr;
}

async function rulesPart(ctx, body) {
  const grantee = h('input', { id: 'acl-grantee', name: 'grantee', type: 'text', required: true, autocomplete: 'off', spellcheck: 'false', placeholder: 'agent:alice' });
  const effect = select({ id: 'acl-effect', name: 'effect' }, ['allow', 'deny'], 'allow');
  const resource = h('input', { id: 'acl-resource', name: 'resource', type: 'text', required: true, autocomplete: 'off', spellcheck: 'false', placeholder: 'team.review' });
  const boxes = {};
  const actions = h('fieldset', { id: 'acl-actions', class: 'checks' }, h('legend', { text: 'Actions' }),
    ACTIONS.map((a) => {
      boxes[a] = h('input', { type: 'checkbox', id: 'acl-action-' + a, name: 'actions', value: a });
      return h('label', { class: 'check', for: 'acl-action-' + a }, boxes[a], ' ' + a);
    }));
  const grant = h('button', { type: 'submit', id: 'acl-grant', class: 'button', text: 'Grant' });
  const result = h('div', { id: 'acl-result', class: 'form-result', role: 'status' });
  const form = h('form', { id: 'acl-form', class: 'admin-form', novalidate: true, 'aria-label': 'Grant a rule' },
    h('div', { class: 'field-grid' },
      field('Grantee', grantee, 'agent:<id>, role:<name> or * (everyone)'),
      field('Effect', effect),
      field('Resource', resource, 'a mailbox or topic name or pattern; covers its descendants')),
    actions,
    h('div', { class: 'actions' }, grant), result);

  const status = h('p', { id: 'acl-status', class: 'muted', role: 'status' });
  const t = table(['Id', 'Grantee', 'Effect', 'Resource', 'Actions', 'Created', 'By', ''], { id: 'acl-table' });
  body.append(form, h('h3', { text: 'Rules, in the order granted' }), status, t.wrap);

  const onRevoke = (tr, btn) => runAction(btn, async () => {
    await del('/v1/acl/' + encodeURIComponent(tr.dataset.id));
    if (!ctx.alive()) return;
    const next = tr.nextElementSibling || tr.previousElementSibling;
    tr.remove();
    status.textContent = 'Revoked rule ' + tr.dataset.id + '. ' + t.tbody.rows.length + ' rule' + (t.tbody.rows.length === 1 ? '' : 's') + '.';
    const focusTo = next && next.querySelector('.acl-revoke');
    if (focusTo) focusTo.focus(); else grantee.focus();
  });

  const load = async () => {
    status.textContent = 'Loading…';
    let ans;
    try {
      ans = await get('/v1/acl', { signal: ctx.signal });
    } catch (e) {
      if (!ctx.alive()) return;
      if (is403(e)) { notAllowed(body, 'Permission rules'); return; }
      throw e;
    }
    if (!ctx.alive()) return;
    const list = Array.isArray(ans.rules) ? ans.rules : [];
    t.tbody.replaceChildren(...list.map((r) => ruleRow(r, onRevoke)));
    t.wrap.hidden = list.length === 0;
    status.textContent = (list.length ? list.length + ' rule' + (list.length === 1 ? '' : 's') : 'No rules: the defaults decide.') +
      (ans.version !== undefined ? ' (version ' + ans.version + ')' : '');
  };

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    result.replaceChildren();
    const chosen = ACTIONS.filter((a) => boxes[a].checked);
    const req = { grantee: grantee.value.trim(), effect: effect.value, resource: resource.value.trim(), actions: chosen };
    const controls = { grantee, effect, resource, actions: boxes.read };
    await runAction(grant, async () => {
      try {
        const r = await post('/v1/acl', req);
        if (!ctx.alive()) return;
        markInvalid(null, controls);
        result.textContent = 'Granted ' + ruleText(r) + '.';
        t.tbody.appendChild(ruleRow(r, onRevoke));
        t.wrap.hidden = false;
        status.textContent = t.tbody.rows.length + ' rule' + (t.tbody.rows.length === 1 ? '' : 's') + '.';
      } catch (e) {
        if (!ctx.alive()) return;
        result.append(...problemNodes(e));
        markInvalid(e, controls);
        throw e;
      }
    });
  });
  await load();
}

function explainForm(ctx, body) {
  const agent = h('input', { id: 'explain-agent', name: 'agent', type: 'text', required: true, autocomplete: 'off', spellcheck: 'false' });
  const action = select({ id: 'explain-action', name: 'action' }, ACTIONS, 'read');
  const resource = h('input', { id: 'explain-resource', name: 'resource', type: 'text', required: true, autocomplete: 'off', spellcheck: 'false' });
  const run = h('button', { type: 'submit', id: 'explain-run', class: 'button', text: 'Explain' });
  const result = h('div', { id: 'explain-result', class: 'form-result', role: 'status', 'aria-live': 'polite' });
  const form = h('form', { id: 'explain-form', class: 'admin-form', novalidate: true, 'aria-label': 'Explain a decision' },
    h('div', { class: 'field-grid' },
      field('Agent', agent, 'agent id'),
      field('Action', action),
      field('Resource', resource, 'a mailbox or topic name; a pattern for subscribe')),
    h('div', { class: 'actions' }, run), result);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    result.replaceChildren();
    const controls = { agent, action, resource };
    await runAction(run, async () => {
      let ans;
      try {
        ans = await get('/v1/acl/explain' + query({ agent: agent.value.trim(), action: action.value, resource: resource.value.trim() }), { signal: ctx.signal });
      } catch (e) {
        if (!ctx.alive()) return;
        if (is403(e)) { notAllowed(result, 'Explain'); return; }
        result.append(...problemNodes(e));
        markInvalid(e, controls);
        throw e;
      }
      if (!ctx.alive()) return;
      markInvalid(null, controls);
      const allowed = ans.allowed === true;
      result.append(
        h('p', null,
          h('strong', { id: 'explain-decision', class: 'decision decision-' + (allowed ? 'allow' : 'deny'), dataset: { decision: allowed ? 'allow' : 'deny' }, text: allowed ? 'Allowed' : 'Denied' }),
          ': ' + String(ans.agent) + ' ' + (allowed ? 'may ' : 'may not ') + String(ans.action) + ' ' + String(ans.resource) + '.'),
        h('p', null, 'Reason: ', h('span', { id: 'explain-reason', text: String(ans.reason || '') })));
      if (ans.rule) result.append(h('p', null, 'Deciding rule: ', h('span', { id: 'explain-rule', text: ruleText(ans.rule) })));
      const considered = Array.isArray(ans.considered) ? ans.considered : [];
      if (considered.length) {
        result.append(h('p', { class: 'muted small', text: 'Applying rules, the deciding one first:' }),
          h('ol', { id: 'explain-considered', class: 'small' }, considered.map((r) => h('li', { text: ruleText(r) }))));
      }
    });
  });
  body.append(form);
}

async function rolesPart(ctx, body) {
  const status = h('p', { id: 'roles-status', class: 'muted', role: 'status' });
  const t = table(['Role', 'Built in', 'Description', 'Holders'], { id: 'roles-table' });
  const more = h('button', { type: 'button', id: 'roles-more', class: 'button secondary', text: 'Load more' });
  body.append(status, t.wrap, h('div', { class: 'actions' }, more));
  const load = pagedList(ctx, {
    tbody: t.tbody,
    status,
    more,
    path: (cursor) => '/v1/roles' + query({ cursor }),
    items: (page) => (Array.isArray(page.roles) ? page.roles : []),
    next: (page) => page.next_cursor,
    row: (r) => {
      const members = Array.isArray(r.members) ? r.members : [];
      const count = Number.isFinite(r.member_count) ? r.member_count : members.length;
      const cell = h('td');
      members.forEach((m, i) => {
        if (i) cell.append(', ');
        cell.append(h('a', { href: hashLink('agents', m), text: m }));
      });
      if (count > members.length) cell.append(' … (' + count + ' in all)');
      else if (!count) cell.append(h('span', { class: 'muted', text: 'none' }));
      return h('tr', { class: 'role-row', dataset: { name: String(r.name) } },
        h('td', null, h('code', { text: r.name })),
        h('td', { text: r.built_in ? 'yes' : 'no' }),
        h('td', { text: r.description || '' }),
        cell);
    },
    noun: ['role', 'roles'],
    onForbidden: () => notAllowed(body, 'Roles'),
  });
  await load();
}

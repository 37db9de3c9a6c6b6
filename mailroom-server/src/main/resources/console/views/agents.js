// #/agents and #/agents/<id>: the agents (admin); one agent's directory entry (anyone), its
// profile form, token rotation and revocation and its stats (itself or an admin), its roles,
// retirement and deletion (admin).

import { h, field, table, timeEl, fmtTime, hashLink } from '../dom.js';
import {
  get, post, del, request, query, session, isAdmin, canAct, problemNodes,
} from '../api.js';
import {
  is403, notAllowed, section, confirmButton, tokenBox, openRows, pagedList, fieldList,
  runAction, splitList, markInvalid, scrollRegion,
} from './common.js';

/**
 * Renders the agent list or one agent.
 * @param {import('../app.js').ViewContext} ctx
 */
export async function renderAgents(ctx) {
  if (ctx.params[0]) return renderOne(ctx, ctx.params[0]);
  return renderList(ctx);
}

function rolesText(roles) {
  return Array.isArray(roles) ? roles.join(', ') : '';
}

/**
 * An agent row: tabindex=0; click or Enter opens the agent.
 * @param {object} a agent
 * @returns {HTMLTableRowElement}
 */
export function agentRow(a) {
  const href = hashLink('agents', a.id);
  return h('tr', { class: 'agent-row', tabindex: '0', dataset: { id: String(a.id), href }, 'aria-label': 'Agent ' + String(a.id) },
    h('td', null, h('a', { href, tabindex: '-1', text: a.id })),
    h('td', { text: rolesText(a.roles) }),
    h('td', { class: 'nowrap' }, timeEl(a.created_at)),
    h('td', { class: 'nowrap' }, a.token_expires_at ? timeEl(a.token_expires_at) : 'never'));
}

async function renderList(ctx) {
  ctx.root.append(h('h1', { tabindex: '-1', text: 'Agents' }));
  const content = h('div', { id: 'agents-content' });
  ctx.root.append(content);
  const mine = session ? h('p', null, h('a', { id: 'agents-self', href: hashLink('agents', session.agent_id), text: 'Your own agent (' + session.agent_id + ')' })) : null;
  if (!isAdmin()) {
    // Listing agents is for admins only: no need to ask the server.
    notAllowed(content, 'Listing agents');
    if (mine) content.append(mine);
    return;
  }

  const status = h('p', { id: 'agents-status', class: 'muted', role: 'status' });
  const t = table(['Agent', 'Roles', 'Created', 'Token expires'], { id: 'agents-table' });
  const more = h('button', { type: 'button', id: 'agents-more', class: 'button secondary', text: 'Load more' });

  // The create form (admins: the only ones who get here).
  const newId = h('input', { id: 'agent-new-id', name: 'id', type: 'text', required: true, autocomplete: 'off', spellcheck: 'false', maxlength: '64' });
  const newRoles = h('input', { id: 'agent-new-roles', name: 'roles', type: 'text', value: 'agent', autocomplete: 'off', spellcheck: 'false' });
  const newTtl = h('input', { id: 'agent-new-ttl', name: 'token_ttl_seconds', type: 'number', min: '1', autocomplete: 'off' });
  const create = h('button', { type: 'submit', id: 'agent-create', class: 'button', text: 'Create agent' });
  const result = h('div', { id: 'agent-create-result', class: 'form-result', role: 'status' });
  const form = h('form', { id: 'agent-create-form', class: 'admin-form', novalidate: true, 'aria-label': 'New agent' },
    h('div', { class: 'field-grid' },
      field('Agent id', newId, '1–64 characters of A-Z a-z 0-9 _ -'),
      field('Roles', newRoles, 'comma-separated, e.g. agent or observer, reviewers'),
      field('Token lifetime (s)', newTtl, 'optional; empty: the server default')),
    h('div', { class: 'actions' }, create), result);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    result.replaceChildren();
    const body = { id: newId.value.trim() };
    const roles = splitList(newRoles.value);
    if (roles.length) body.roles = roles;
    if (newTtl.value.trim()) body.token_ttl_seconds = Number(newTtl.value.trim());
    const controls = { id: newId, roles: newRoles, token_ttl_seconds: newTtl };
    await runAction(create, async () => {
      try {
        const ans = await post('/v1/agents', body);
        if (!ctx.alive()) return;
        markInvalid(null, controls);
        result.append(h('p', null, 'Created ', h('a', { href: hashLink('agents', ans.id), text: ans.id }), '.'), tokenBox(ans));
        newId.value = '';
        t.tbody.prepend(agentRow(ans));
        t.wrap.hidden = false;
      } catch (e) {
        if (!ctx.alive()) return;
        result.append(...problemNodes(e));
        markInvalid(e, controls);
        throw e;
      }
    });
  });
  const createSection = section('agent-new', 'New agent');
  createSection.body.append(form);
  const listSection = section('agents-list', 'All agents');
  listSection.body.append(status, t.wrap, h('div', { class: 'actions' }, more));
  content.append(createSection.el, listSection.el);
  openRows(t.tbody, 'tr.agent-row');

  const load = pagedList(ctx, {
    tbody: t.tbody,
    status,
    more,
    path: (cursor) => '/v1/agents' + query({ cursor }),
    items: (page) => (Array.isArray(page.agents) ? page.agents : []),
    next: (page) => page.next_cursor,
    row: agentRow,
    noun: ['agent', 'agents'],
    onForbidden: () => notAllowed(content, 'Listing agents'),
  });
  await load();
}

async function renderOne(ctx, id) {
  const path = '/v1/agents/' + encodeURIComponent(id);
  const self = !!session && session.agent_id === id;
  const heading = h('h1', { tabindex: '-1', text: 'Agent ' + id });
  const box = h('div', { id: 'agent', dataset: { id } });
  ctx.root.append(heading);
  if (isAdmin()) ctx.root.append(h('p', null, h('a', { href: '#/agents', text: '← All agents' })));
  ctx.root.append(box);
  // Every agent may look up every other in the directory; the rest is for itself and admins.
  let agent;
  try {
    agent = await get(path, { signal: ctx.signal });
  } catch (e) {
    if (!ctx.alive()) return;
    if (is403(e)) { notAllowed(box, 'This agent'); return; }
    throw e;
  }
  if (!ctx.alive()) return;
  const info = h('div', { id: 'agent-info' });
  const showInfo = (a) => {
    info.replaceChildren(fieldList([
      ['Id', h('code', { text: a.id })],
      ['Status', h('span', { id: 'agent-status', dataset: { status: statusOf(a) }, text: statusText(a) })],
      ['Display name', h('span', { id: 'agent-display-name', text: a.display_name || '' })],
      ['Description', h('span', { id: 'agent-description', class: 'pre-wrap', text: a.description || '' })],
      ['Program', h('span', { id: 'agent-program', text: a.program || '' })],
      ['Model', h('span', { id: 'agent-model', text: a.model || '' })],
      ['Tags', h('span', { id: 'agent-tags', text: Array.isArray(a.tags) ? a.tags.join(', ') : '' })],
      ['Created', timeEl(a.created_at)],
      ['Last seen', a.last_seen ? timeEl(a.last_seen) : 'never'],
      ['Roles', Array.isArray(a.roles) ? h('span', { id: 'agent-roles-current', text: rolesText(a.roles) }) : undefined],
      ['Token expires', 'roles' in a ? (a.token_expires_at ? timeEl(a.token_expires_at) : 'never') : undefined],
    ]));
  };
  showInfo(agent);
  box.append(info);
  if (!isAdmin() && !self) return;
  box.append(h('p', null,
    h('a', { href: self ? '#/mail' : hashLink('mail', id), text: 'Mailbox of ' + id }), ' · ',
    h('a', { href: hashLink('tail', id), text: 'Live tail' })));

  // The profile and the token: the agent itself or an admin, never an observer.
  if (canAct()) {
    box.append(profileForm(ctx, path, agent, (a) => { agent = a; showInfo(a); }).el);
    const tokens = section('agent-tokens', 'Token');
    const ttl = h('input', { id: 'agent-rotate-ttl', name: 'ttl_seconds', type: 'number', min: '1', autocomplete: 'off' });
    const rotate = h('button', { type: 'button', id: 'agent-rotate', class: 'button', text: 'Issue a new token' });
    const tokenResult = h('div', { id: 'agent-token-result', class: 'form-result', role: 'status' });
    rotate.addEventListener('click', () => runAction(rotate, async () => {
      tokenResult.replaceChildren();
      const body = ttl.value.trim() ? { ttl_seconds: Number(ttl.value.trim()) } : undefined;
      const ans = await post(path + '/token', body);
      if (!ctx.alive()) return;
      tokenResult.append(tokenBox(ans, { self }));
      showInfo(Object.assign({}, agent, { token_expires_at: ans.token_expires_at }));
    }));
    const revoke = confirmButton({
      id: 'agent-revoke',
      text: 'Revoke token',
      confirmId: 'agent-revoke-confirm',
      confirmText: 'Yes, revoke the token of ' + id,
      onConfirm: (btn) => runAction(btn, async () => {
        tokenResult.replaceChildren();
        await del(path + '/token');
        if (!ctx.alive()) return;
        tokenResult.append(h('p', { text: 'Revoked: no token authenticates ' + id + ' until a new one is issued.' + (self ? ' This console session has ended.' : '') }));
      }),
    });
    tokens.body.append(
      h('p', { class: 'muted small', text: 'A new token replaces the current one at once; revoking leaves the agent with none. Either closes its open stream' + (self ? ' and ends this console session.' : '.') }),
      h('div', { class: 'inline-form' }, field('Lifetime of a new token (s)', ttl, 'optional; empty: the server default'), rotate),
      h('div', { class: 'actions' }, revoke),
      tokenResult);
    box.append(tokens.el);
  }

  if (isAdmin()) {
    const rolesSec = section('agent-roles-section', 'Roles');
    const roles = h('input', { id: 'agent-roles', name: 'roles', type: 'text', value: rolesText(agent.roles), autocomplete: 'off', spellcheck: 'false' });
    const save = h('button', { type: 'submit', id: 'agent-roles-save', class: 'button', text: 'Save roles' });
    const rolesResult = h('div', { id: 'agent-roles-result', class: 'form-result', role: 'status' });
    const form = h('form', { id: 'agent-roles-form', class: 'inline-form', novalidate: true, 'aria-label': 'Roles of ' + id },
      field('Roles', roles, 'comma-separated role names'), save);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      rolesResult.replaceChildren();
      await runAction(save, async () => {
        try {
          const ans = await request('PUT', path + '/roles', { roles: splitList(roles.value) });
          if (!ctx.alive()) return;
          roles.removeAttribute('aria-invalid');
          agent = ans && ans.id ? ans : Object.assign({}, agent, { roles: splitList(roles.value) });
          showInfo(agent);
          roles.value = rolesText(agent.roles);
          rolesResult.textContent = 'Saved: ' + rolesText(agent.roles) + '.';
        } catch (e) {
          if (!ctx.alive()) return;
          rolesResult.append(...problemNodes(e));
          markInvalid(e, { roles });
          throw e;
        }
      });
    });
    rolesSec.body.append(form, rolesResult);
    box.append(rolesSec.el);
  }

  if (isAdmin() && !self) box.append(lifecycle(ctx, path, id, agent, (a) => { agent = a; showInfo(a); }).el);

  const statsSec = section('agent-stats', 'Statistics');
  box.append(statsSec.el);
  try {
    const st = await get(path + '/stats', { signal: ctx.signal });
    if (!ctx.alive()) return;
    statsSec.body.append(fieldList([
      ['Node', String(st.node || '')],
      ['Last seen', st.last_seen_at ? timeEl(st.last_seen_at) : 'not seen on this node'],
      ['Stream open since', st.stream && st.stream.opened_at ? timeEl(st.stream.opened_at) : 'no stream open'],
    ]));
    const list = Array.isArray(st.backlogs) ? st.backlogs : [];
    if (list.length) {
      const t = table(['Subscription', 'Pending', 'Oldest'], { id: 'agent-backlogs' });
      scrollRegion(t.wrap, 'Backlogs');
      for (const b of list) {
        t.tbody.appendChild(h('tr', null, h('td', { text: b.subscription }),
          h('td', { class: 'num', text: b.pending }), h('td', null, timeEl(b.oldest_at))));
      }
      statsSec.body.append(h('h3', { text: 'Backlogs' }), t.wrap);
    } else {
      statsSec.body.append(h('p', { class: 'muted', text: 'No backlog.' }));
    }
  } catch (e) {
    if (!ctx.alive()) return;
    if (is403(e)) notAllowed(statsSec.body, 'Statistics');
    else throw e;
  }
}

/** 'online', 'offline' or 'retired'. */
function statusOf(a) {
  return a.retired_at ? 'retired' : a.online ? 'online' : 'offline';
}

function statusText(a) {
  return a.retired_at ? 'retired ' + fmtTime(a.retired_at) : statusOf(a);
}

/** The profile fields of the wire, with their labels, limits and hints. */
const PROFILE_FIELDS = [
  ['display_name', 'Display name', 100, 'how people see it; 1–100 characters'],
  ['description', 'Description', 1000, 'its role or task; up to 1000 characters'],
  ['program', 'Program', 100, 'the program it runs in, e.g. claude-code'],
  ['model', 'Model', 100, 'the model behind it'],
];

/**
 * The profile's edit form (PUT /v1/agents/{id}/profile): an empty field is unset, as the API
 * does with an absent one.
 * @returns {{el: HTMLElement, body: HTMLElement}}
 */
function profileForm(ctx, path, agent, changed) {
  const sec = section('agent-profile', 'Profile');
  const controls = {};
  const fields = [];
  for (const [name, label, max, hint] of PROFILE_FIELDS) {
    const id = 'profile-' + name.replace(/_/g, '-');
    const c = name === 'description'
      ? h('textarea', { id, name, rows: '3', maxlength: String(max) })
      : h('input', { id, name, type: 'text', maxlength: String(max), autocomplete: 'off' });
    c.value = agent[name] || '';
    controls[name] = c;
    fields.push(field(label, c, hint));
  }
  const tags = h('input', { id: 'profile-tags', name: 'tags', type: 'text', autocomplete: 'off', spellcheck: 'false' });
  tags.value = Array.isArray(agent.tags) ? agent.tags.join(', ') : '';
  controls.tags = tags;
  fields.push(field('Tags', tags, 'comma-separated, each 1–64 of A-Z a-z 0-9 _ . : -'));
  const save = h('button', { type: 'submit', id: 'profile-save', class: 'button', text: 'Save profile' });
  const result = h('div', { id: 'profile-result', class: 'form-result', role: 'status' });
  const form = h('form', { id: 'profile-form', class: 'admin-form', novalidate: true, 'aria-label': 'Profile of ' + agent.id },
    h('div', { class: 'field-grid' }, fields), h('div', { class: 'actions' }, save), result);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    result.replaceChildren();
    const body = {};
    for (const [name] of PROFILE_FIELDS) {
      const v = controls[name].value.trim();
      if (v) body[name] = v;
    }
    const list = splitList(tags.value);
    if (list.length) body.tags = list;
    await runAction(save, async () => {
      try {
        const ans = await request('PUT', path + '/profile', body);
        if (!ctx.alive()) return;
        markInvalid(null, controls);
        changed(ans);
        result.textContent = 'Saved.';
      } catch (e) {
        if (!ctx.alive()) return;
        result.append(...problemNodes(e));
        markInvalid(e, controls);
        throw e;
      }
    });
  });
  sec.body.append(form);
  return sec;
}

/**
 * Retire and delete (admins, for another agent), each behind a confirm step.
 * @returns {{el: HTMLElement, body: HTMLElement}}
 */
function lifecycle(ctx, path, id, agent, changed) {
  const sec = section('agent-lifecycle', 'Retire or delete');
  const result = h('div', { id: 'agent-lifecycle-result', class: 'form-result', role: 'status' });
  const actions = h('div', { class: 'actions' });
  if (!agent.retired_at) {
    actions.append(confirmButton({
      id: 'agent-retire',
      text: 'Retire',
      confirmId: 'agent-retire-confirm',
      confirmText: 'Yes, retire ' + id,
      onConfirm: (btn) => runAction(btn, async () => {
        result.replaceChildren();
        const ans = await post(path + '/retire');
        if (!ctx.alive()) return;
        changed(ans);
        document.getElementById('agent-retire')?.closest('.confirm-wrap')?.remove();
        result.textContent = 'Retired: its token no longer works on any node; its mail is kept.';
      }),
    }));
  }
  actions.append(confirmButton({
    id: 'agent-delete',
    text: 'Delete',
    confirmId: 'agent-delete-confirm',
    confirmText: 'Yes, delete ' + id + ' and its mailbox',
    onConfirm: (btn) => runAction(btn, async () => {
      result.replaceChildren();
      await del(path);
      if (!ctx.alive()) return;
      const box = document.getElementById('agent');
      if (box) box.replaceChildren(h('p', { id: 'agent-deleted', role: 'status', text: 'Deleted ' + id + ': its token, subscriptions and mailbox are gone; what it sent to others stays.' }));
    }),
  }));
  sec.body.append(
    h('p', { class: 'muted small', text: 'Retiring revokes its token on every node and keeps its mail, for the record. Deleting removes it with its subscriptions, read marks, reservations and mailbox; messages it sent to others stay. Neither can be undone.' }),
    actions, result);
  return sec;
}

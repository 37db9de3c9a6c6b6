// Mailroom console: hash router, header and session handling.

import { h, clear } from './dom.js';
import {
  session, loadSession, signOut, onSessionChange, showError, clearError, canAct, isAdmin,
} from './api.js';
import { renderSignin } from './views/signin.js';
import { renderOverview } from './views/overview.js';
import { renderMail } from './views/mail.js';
import { renderMessage } from './views/message.js';
import { renderThread } from './views/thread.js';
import { renderCompose } from './views/compose.js';
import { renderTail } from './views/tail.js';
import { renderDlq } from './views/dlq.js';
import { renderAgents } from './views/agents.js';
import { renderEnrollments } from './views/enrollments.js';
import { renderAccess } from './views/access.js';
import { renderAudit } from './views/audit.js';
import { renderTopics } from './views/topics.js';

/**
 * @typedef {Object} ViewContext
 * @property {HTMLElement} root the view's own element (detached once the view is left)
 * @property {string[]} params decoded path segments after the route name
 * @property {URLSearchParams} query the hash's query (after "?")
 * @property {(fn: () => void) => void} onCleanup registers work to undo when leaving the view
 * @property {() => boolean} alive true while the view is the current one
 * @property {AbortSignal} signal aborted when the view is left
 */

const routes = {
  '': renderOverview,
  signin: renderSignin,
  mail: renderMail,
  message: renderMessage,
  thread: renderThread,
  compose: renderCompose,
  tail: renderTail,
  dlq: renderDlq,
  agents: renderAgents,
  enrollments: renderEnrollments,
  access: renderAccess,
  audit: renderAudit,
  topics: renderTopics,
};

const navIds = { '': 'nav-overview', mail: 'nav-mail', message: 'nav-mail', thread: 'nav-mail', tail: 'nav-tail', compose: 'nav-compose',
  dlq: 'nav-dlq', agents: 'nav-agents', enrollments: 'nav-enrollments', access: 'nav-access', audit: 'nav-audit', topics: 'nav-topics' };

let current = null; // { cleanups, controller }
let routeSeq = 0;
let sessionCheck = null; // Promise of the one GET /console/session, made when first needed

/**
 * Parses location.hash ("#/mail/inbox?sender=bob") into route, params and query.
 * @returns {{route: string, params: string[], query: URLSearchParams}}
 */
export function parseHash() {
  let raw = location.hash.replace(/^#\/?/, '');
  let qs = '';
  const qi = raw.indexOf('?');
  if (qi >= 0) { qs = raw.slice(qi + 1); raw = raw.slice(0, qi); }
  const parts = raw.split('/').filter((p) => p !== '').map((p) => {
    try { return decodeURIComponent(p); } catch (_) { return p; }
  });
  return { route: parts[0] || '', params: parts.slice(1), query: new URLSearchParams(qs) };
}

function leaveView() {
  if (!current) return;
  current.controller.abort();
  for (const fn of current.cleanups.splice(0)) {
    try { fn(); } catch (e) { console.error(e); }
  }
  current = null;
}

async function route() {
  const seq = ++routeSeq;
  leaveView();
  clearError();
  const main = document.getElementById('main');
  // Busy until the view has fetched what it first shows (assistive technology, and tests, wait).
  main.setAttribute('aria-busy', 'true');
  const { route: name, params, query } = parseHash();

  // The sign-in page needs no session, so it is shown without asking for one (a browser without
  // a session would otherwise log a failed request). Any other page asks the server once.
  if (!session && name !== 'signin') {
    if (!sessionCheck) sessionCheck = loadSession().catch((e) => { showError(e); });
    await sessionCheck;
    // The hash may have changed while we waited: the newer call renders.
    if (seq !== routeSeq) return;
  }

  if (!session && name !== 'signin') {
    location.hash = '#/signin';
    return;
  }
  if (session && name === 'signin') {
    location.hash = '#/';
    return;
  }
  const view = Object.prototype.hasOwnProperty.call(routes, name) ? routes[name] : null;
  updateNav(name);

  const controller = new AbortController();
  const me = { cleanups: [], controller };
  current = me;
  const root = h('section', { class: 'view view-' + (name || 'overview') });
  clear(main).appendChild(root);
  /** @type {ViewContext} */
  const ctx = {
    root,
    params,
    query,
    onCleanup: (fn) => me.cleanups.push(fn),
    alive: () => current === me,
    signal: controller.signal,
  };
  if (!view) {
    root.append(h('h1', { tabindex: '-1', text: 'Not found' }), h('p', null, 'No such page. ', h('a', { href: '#/', text: 'Go to the overview' })));
    main.removeAttribute('aria-busy');
    focusHeading(root);
    return;
  }
  try {
    await view(ctx);
  } catch (e) {
    if (ctx.alive()) showError(e);
  }
  // A newer route() call, if any, clears the busy state when its own view is ready.
  if (!ctx.alive()) return;
  main.removeAttribute('aria-busy');
  const h1 = root.querySelector('h1');
  document.title = (h1 && h1.textContent ? h1.textContent + ' · ' : '') + 'Mailroom console';
  if (name !== 'signin') focusHeading(root);
}

function focusHeading(root) {
  const active = document.activeElement;
  // Keep focus where it is if the user is already inside the view (e.g. typed into a field).
  if (active && active !== document.body && root.contains(active)) return;
  const h1 = root.querySelector('h1');
  if (h1) {
    if (!h1.hasAttribute('tabindex')) h1.setAttribute('tabindex', '-1');
    h1.focus({ preventScroll: true });
  }
}

function updateNav(name) {
  const active = navIds[name];
  for (const a of document.querySelectorAll('#nav a')) {
    if (a.id === active) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

function renderHeader(s) {
  const nav = document.getElementById('nav');
  const user = document.getElementById('user');
  clear(nav);
  clear(user);
  if (!s) {
    nav.hidden = true;
    user.hidden = true;
    return;
  }
  const links = [
    ['nav-overview', '#/', 'Overview'],
    ['nav-mail', '#/mail', 'Mail'],
    ['nav-tail', '#/tail', 'Tail'],
  ];
  if (canAct()) links.push(['nav-compose', '#/compose', 'Compose']);
  // Everyone may list topics, subscriptions and their own dead letters (observers read only);
  // agents, enrollments, rules and the audit log are for admins.
  links.push(['nav-topics', '#/topics', 'Topics'], ['nav-dlq', '#/dlq', 'Dead letters']);
  if (isAdmin()) {
    links.push(['nav-agents', '#/agents', 'Agents'], ['nav-enrollments', '#/enrollments', 'Enrollments'],
      ['nav-access', '#/access', 'Access'], ['nav-audit', '#/audit', 'Audit']);
  }
  const ul = h('ul');
  for (const [id, href, text] of links) ul.appendChild(h('li', null, h('a', { id, href, text })));
  nav.appendChild(ul);
  nav.hidden = false;

  const out = h('button', { type: 'button', id: 'signout', class: 'button secondary', text: 'Sign out' });
  out.addEventListener('click', async () => {
    out.disabled = true;
    // The view stops polling first, so that nothing it asks for is refused once the session ends.
    leaveView();
    try {
      await signOut();
    } catch (e) {
      showError(e);
    } finally {
      location.hash = '#/signin';
    }
  });
  user.append(
    h('span', { class: 'whoami' },
      h('span', { id: 'agent-id', class: 'agent-id', text: s.agent_id }),
      ' ',
      h('span', { id: 'whoami-roles', class: 'roles muted', text: '(' + s.roles.join(', ') + ')' })),
    out);
  user.hidden = false;
  updateNav(parseHash().route);
}

onSessionChange((s) => renderHeader(s));
// The skip link moves focus to the main area without changing the hash (which is the route).
document.getElementById('skip').addEventListener('click', (ev) => {
  ev.preventDefault();
  const main = document.getElementById('main');
  main.focus();
  main.scrollIntoView();
});
window.addEventListener('hashchange', () => { route(); });
// Module scripts run once the document is parsed.
renderHeader(session);
route();

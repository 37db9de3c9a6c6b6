// Talks to the server: the console session (cookie + CSRF token) and the /v1 REST API.
// The CSRF token lives only in this module's memory, never in storage.

import { h, clear } from './dom.js';

/**
 * The signed-in session, or null. Set by loadSession/signIn, cleared by signOut or any 401.
 * @type {{agent_id: string, roles: string[], csrf_token: string, expires_at: string}|null}
 */
export let session = null;

/** Listeners called with the new session (or null) whenever it changes. */
const sessionListeners = new Set();

/**
 * Registers a listener for session changes.
 * @param {(s: object|null) => void} fn
 */
export function onSessionChange(fn) {
  sessionListeners.add(fn);
}

function setSession(s) {
  session = s;
  for (const fn of sessionListeners) fn(s);
}

/** An error answer of the server, carrying its problem+json document. */
export class ApiError extends Error {
  /**
   * @param {number} status HTTP status
   * @param {object} problem the problem document (type, title, status, detail, errors)
   */
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || ('HTTP ' + status));
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem || {};
  }
}

/** True when the session may only read (an observer that is not also an admin). */
export function isObserver() {
  return !!session && session.roles.includes('observer') && !session.roles.includes('admin');
}

/** True when the session is an admin. */
export function isAdmin() {
  return !!session && session.roles.includes('admin');
}

/** True when the session may act (send, reply, mark read, replay, purge): not an observer. */
export function canAct() {
  return !!session && !isObserver();
}

/** True when the session may read everything (admin or observer). */
export function readsAll() {
  return !!session && (session.roles.includes('admin') || session.roles.includes('observer'));
}

/** Called on any 401: forget the session and go to the sign-in view. */
export function unauthenticated() {
  if (session) setSession(null);
  if (location.hash !== '#/signin') location.hash = '#/signin';
}

async function readProblem(res) {
  const text = await res.text().catch(() => '');
  if (text) {
    try {
      const p = JSON.parse(text);
      if (p && typeof p === 'object') return p;
    } catch (_) { /* not JSON */ }
  }
  return { status: res.status, title: res.statusText || ('HTTP ' + res.status), detail: text.slice(0, 500) || undefined };
}

/**
 * Calls the server.
 * @param {string} method HTTP method
 * @param {string} path same-origin path with query, e.g. "/v1/inbox?limit=10"
 * @param {*} [body] a value sent as JSON (omitted when undefined)
 * @param {{redirectOn401?: boolean, signal?: AbortSignal}} [opts]
 * @returns {Promise<*>} the parsed JSON answer, or null for an empty one (204)
 * @throws {ApiError} on any non-2xx answer (after redirecting to sign-in on 401)
 */
export async function request(method, path, body, opts = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && session && session.csrf_token) {
    headers['X-CSRF-Token'] = session.csrf_token;
  }
  let res;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: opts.signal,
      cache: 'no-store',
    });
  } catch (e) {
    if (e && e.name === 'AbortError') throw e;
    throw new ApiError(0, { title: 'Network error', detail: 'The server could not be reached: ' + e.message });
  }
  if (!res.ok) {
    const problem = await readProblem(res);
    if (res.status === 401 && opts.redirectOn401 !== false) unauthenticated();
    throw new ApiError(res.status, problem);
  }
  if (res.status === 204) return null;
  const text = await res.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch (_) {
    throw new ApiError(res.status, { title: 'Bad answer', detail: 'The server answered something that is not JSON.' });
  }
}

/**
 * GET a JSON resource.
 * @param {string} path
 * @param {{signal?: AbortSignal}} [opts]
 * @returns {Promise<*>}
 */
export function get(path, opts) {
  return request('GET', path, undefined, opts);
}

/**
 * Checks that a GET would succeed, without reading its body (e.g. a stream's URL, to learn why
 * an EventSource closed): resolves on 2xx, throws the problem otherwise (401 → sign-in).
 * @param {string} path
 * @param {{signal?: AbortSignal}} [opts]
 * @returns {Promise<void>}
 */
export async function probe(path, opts = {}) {
  const ctl = new AbortController();
  if (opts.signal) opts.signal.addEventListener('abort', () => ctl.abort());
  const res = await fetch(path, { credentials: 'same-origin', headers: { Accept: 'text/event-stream' }, signal: ctl.signal, cache: 'no-store' });
  if (res.ok) {
    ctl.abort();
    return;
  }
  const problem = await readProblem(res);
  if (res.status === 401) unauthenticated();
  throw new ApiError(res.status, problem);
}

/**
 * POST a JSON body (or nothing).
 * @param {string} path
 * @param {*} [body]
 * @returns {Promise<*>}
 */
export function post(path, body) {
  return request('POST', path, body);
}

/**
 * DELETE a resource.
 * @param {string} path
 * @returns {Promise<*>}
 */
export function del(path) {
  return request('DELETE', path);
}

/**
 * Asks the server for the current session (cookie). Resolves to the session or null.
 * @returns {Promise<object|null>}
 */
export async function loadSession() {
  try {
    const s = await request('GET', '/console/session', undefined, { redirectOn401: false });
    setSession(normalize(s));
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) setSession(null);
    else throw e;
  }
  return session;
}

/**
 * Signs in with an agent token. The server sets the HttpOnly session cookie.
 * @param {string} token the agent's bearer token
 * @returns {Promise<object>} the session
 * @throws {ApiError} 401 with the problem's detail on a bad token
 */
export async function signIn(token) {
  const s = await request('POST', '/console/session', { token }, { redirectOn401: false });
  const n = normalize(s);
  if (!n) throw new ApiError(0, { title: 'Sign-in failed', detail: 'The server did not answer with a session.' });
  setSession(n);
  return session;
}

/**
 * Signs out (DELETE /console/session with the CSRF token) and forgets the session.
 * @returns {Promise<void>}
 */
export async function signOut() {
  try {
    await request('DELETE', '/console/session', undefined, { redirectOn401: false });
  } finally {
    setSession(null);
  }
}

function normalize(s) {
  // No session may also be answered as 204 or as an answer without an agent.
  if (!s || typeof s !== 'object' || !s.agent_id) return null;
  return {
    agent_id: String(s.agent_id || ''),
    roles: Array.isArray(s.roles) ? s.roles.map(String) : [],
    csrf_token: String(s.csrf_token || ''),
    expires_at: s.expires_at,
  };
}

/**
 * Builds a query string from an object; array values repeat the parameter, empty values are
 * left out.
 * @param {Object<string, string|string[]|number|boolean|null|undefined>} params
 * @returns {string} "" or "?a=1&b=2"
 */
export function query(params) {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v === null || v === undefined || v === '') continue;
    if (Array.isArray(v)) v.forEach((x) => { if (x !== '') sp.append(k, String(x)); });
    else sp.append(k, String(v));
  }
  const s = sp.toString();
  return s ? '?' + s : '';
}

/**
 * Builds the nodes describing a problem: its detail (or title) and its per-field errors.
 * @param {Error} err an ApiError or any error
 * @returns {Node[]}
 */
export function problemNodes(err) {
  const p = (err && err.problem) || {};
  const nodes = [];
  const status = err && err.status ? err.status + ' ' : '';
  nodes.push(h('p', { class: 'problem-detail', text: status + (p.detail || p.title || (err && err.message) || 'Error') }));
  if (Array.isArray(p.errors) && p.errors.length) {
    nodes.push(h('ul', { class: 'problem-errors' },
      p.errors.map((fe) => h('li', null,
        h('code', { text: String(fe && fe.field !== undefined ? fe.field : '') }), ': ',
        String(fe && fe.message !== undefined ? fe.message : '')))));
  }
  if (p.request_id) nodes.push(h('p', { class: 'problem-rid muted', text: 'Request id: ' + p.request_id }));
  return nodes;
}

/**
 * Shows an error in the page's #error area (role=alert). AbortErrors are ignored.
 * @param {Error} err
 */
export function showError(err) {
  if (err && err.name === 'AbortError') return;
  const box = document.getElementById('error');
  if (!box) return;
  clear(box);
  const close = h('button', { type: 'button', class: 'link-button', 'aria-label': 'Dismiss error', text: 'Dismiss' });
  close.addEventListener('click', clearError);
  box.append(...problemNodes(err), close);
  box.hidden = false;
}

/** Empties and hides the #error area. */
export function clearError() {
  const box = document.getElementById('error');
  if (!box) return;
  clear(box);
  box.hidden = true;
}

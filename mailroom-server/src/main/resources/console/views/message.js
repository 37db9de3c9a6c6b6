// #/message/<id>: one message with its header fields, metadata, payload and attachments.

import { h, hashLink, timeEl } from '../dom.js';
import { get, post, query, canAct, showError, clearError } from '../api.js';
import {
  messageFields, renderMetadata, renderPayload, renderAttachments, cssToken,
} from '../render.js';

/**
 * Renders one message as an <article>.
 * @param {object} msg
 * @param {{compact?: boolean}} [opts] compact: for the thread view (no duplicate ids)
 * @returns {HTMLElement}
 */
export function messageArticle(msg, opts = {}) {
  const compact = !!opts.compact;
  const art = h('article', { class: ['message', compact ? 'compact' : null], dataset: { id: String(msg.id) } });
  if (compact) {
    art.append(h('header', { class: 'message-head' },
      h('strong', { class: 'sender', text: msg.sender }), ' ',
      h('a', { href: hashLink('message', msg.id), class: 'muted small' }, timeEl(msg.timestamp)),
      ' ', h('span', { class: 'prio prio-' + cssToken(msg.priority), text: msg.priority }),
      msg.in_reply_to ? h('span', { class: 'muted small' }, ' in reply to ',
        h('a', { href: hashLink('message', msg.in_reply_to), text: msg.in_reply_to })) : null));
  } else {
    art.append(messageFields(msg), renderMetadata(msg), h('h2', { class: 'section-title', text: 'Payload' }));
  }
  art.append(renderPayload(msg, { id: compact ? null : 'payload' }));
  const at = renderAttachments(msg);
  if (at) art.append(at);
  return art;
}

/**
 * Renders the message view.
 * @param {import('../app.js').ViewContext} ctx
 */
export async function renderMessage(ctx) {
  const id = ctx.params[0] || '';
  const heading = h('h1', { tabindex: '-1', text: 'Message ' + id });
  const container = h('div', { id: 'message' });
  ctx.root.append(heading, container);
  const msg = await get('/v1/messages/' + encodeURIComponent(id), { signal: ctx.signal });
  if (!ctx.alive()) return;
  container.dataset.id = String(msg.id);
  const meta = msg.metadata || {};
  heading.textContent = typeof meta.subject === 'string' && meta.subject
    ? meta.subject.slice(0, 200)
    : 'Message from ' + String(msg.sender);

  const actions = h('div', { class: 'actions message-actions' });
  if (canAct()) {
    const markRead = h('button', { type: 'button', id: 'mark-read', class: 'button secondary', text: msg.read_at ? 'Mark read again' : 'Mark read' });
    const status = h('span', { id: 'mark-read-status', class: 'muted', role: 'status' });
    markRead.addEventListener('click', async () => {
      markRead.disabled = true;
      clearError();
      try {
        await post('/v1/messages/' + encodeURIComponent(msg.id) + '/read');
        status.textContent = 'Marked read.';
        markRead.textContent = 'Marked read';
      } catch (e) {
        showError(e);
      } finally {
        markRead.disabled = false;
      }
    });
    const reply = h('button', { type: 'button', id: 'reply', class: 'button', text: 'Reply' });
    reply.addEventListener('click', () => {
      location.hash = '#/compose' + query({ mode: 'direct', target: msg.sender, in_reply_to: msg.id });
    });
    actions.append(reply, markRead);
    if (msg.thread_id) actions.append(threadLink(msg));
    actions.append(status);
  } else if (msg.thread_id) {
    actions.append(threadLink(msg));
  }
  if (actions.childNodes.length) container.append(actions);
  container.append(messageArticle(msg));
}

function threadLink(msg) {
  return h('a', { id: 'view-thread', class: 'button secondary', href: hashLink('thread', msg.thread_id), text: 'View thread' });
}

// #/thread/<mailbox>/<thread_id>: a conversation, gathered by paging the mailbox's history
// (there is no thread query yet), with a reply box.

import { h, field, hashLink } from '../dom.js';
import { get, post, query, session, canAct, showError, clearError } from '../api.js';
import { listingPath } from './mail.js';
import { messageArticle } from './message.js';

const MAX_PAGES = 10;
const PAGE_SIZE = 1000;

/**
 * Renders the thread view.
 * @param {import('../app.js').ViewContext} ctx
 */
export async function renderThread(ctx) {
  const mailbox = ctx.params[0] || 'inbox';
  const threadId = ctx.params[1] || '';

  const mbInput = h('input', { id: 'thread-mailbox', type: 'text', value: mailbox, autocomplete: 'off', spellcheck: 'false' });
  const switcher = h('form', { class: 'inline-form', 'aria-label': 'Mailbox to search' },
    field('Mailbox searched', mbInput, '"inbox" for your own inbox'),
    h('button', { type: 'submit', class: 'button secondary', text: 'Search this mailbox' }));
  switcher.addEventListener('submit', (ev) => {
    ev.preventDefault();
    location.hash = hashLink('thread', mbInput.value.trim() || 'inbox', threadId);
  });
  const status = h('p', { id: 'thread-status', class: 'muted', role: 'status', text: 'Loading…' });
  const list = h('ol', { id: 'thread', class: 'thread' });
  ctx.root.append(h('h1', { tabindex: '-1', text: 'Thread ' + threadId }), switcher, status, list);

  const { messages, pages, truncated } = await collect(ctx, mailbox, threadId);
  if (!ctx.alive()) return;
  for (const m of messages) list.appendChild(threadItem(m));
  let text = messages.length + ' message' + (messages.length === 1 ? '' : 's') + ' in this thread, from ' +
    (mailbox === 'inbox' ? 'your inbox' : 'mailbox ' + mailbox) + ' (' + pages + ' page' + (pages === 1 ? '' : 's') + ' read).';
  if (truncated) text += ' Stopped after ' + MAX_PAGES + ' pages: older or newer messages of the thread may be missing.';
  status.textContent = text;
  if (truncated) status.classList.add('warning');

  if (canAct() && messages.length) ctx.root.append(replyBox(ctx, messages));
}

/** One message of the conversation: an <li class="thread-message" data-id>. */
function threadItem(m) {
  return h('li', { class: 'thread-message', dataset: { id: String(m.id) } }, messageArticle(m, { compact: true }));
}

async function collect(ctx, mailbox, threadId) {
  const base = listingPath(mailbox);
  const out = [];
  let cursor = null;
  let pages = 0;
  let truncated = false;
  do {
    if (pages === MAX_PAGES) { truncated = true; break; }
    const page = await get(base + query({ order: 'asc', limit: PAGE_SIZE, cursor }), { signal: ctx.signal });
    pages += 1;
    if (!ctx.alive()) break;
    for (const m of page.messages || []) if (m.thread_id === threadId) out.push(m);
    cursor = page.next_cursor || null;
  } while (cursor);
  return { messages: out, pages, truncated };
}

function replyBox(ctx, messages) {
  const me = session.agent_id;
  const last = messages[messages.length - 1];
  const lastOther = [...messages].reverse().find((m) => m.sender !== me);
  const target = lastOther ? lastOther.sender : (last.target || last.sender);
  const text = h('textarea', { id: 'thread-reply-text', rows: '5', required: true });
  const send = h('button', { type: 'submit', id: 'thread-reply-send', class: 'button', text: 'Send reply' });
  const result = h('div', { id: 'thread-reply-result', role: 'status' });
  let lastId = last.id;
  const hint = h('p', { class: 'muted small', text: 'Sent directly to ' + target + ' as Markdown, in reply to ' + lastId + '.' });
  const form = h('form', { class: 'reply-box', 'aria-label': 'Reply to the thread' },
    h('h2', { text: 'Reply' }),
    hint,
    field('Reply (Markdown)', text),
    h('div', { class: 'actions' }, send), result);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearError();
    result.replaceChildren();
    if (!text.value.trim()) { text.focus(); return; }
    send.disabled = true;
    try {
      const ans = await post('/v1/messages', {
        mode: 'direct', target, content_type: 'text/markdown', payload: text.value, in_reply_to: lastId,
      });
      if (!ctx.alive()) return;
      lastId = ans.id;
      hint.textContent = 'Sent directly to ' + target + ' as Markdown, in reply to ' + lastId + '.';
      text.value = '';
      result.append('Sent ', h('a', { href: hashLink('message', ans.id), text: ans.id }), '.');
      // Show the new message at the end of the conversation when it is readable here.
      try {
        const m = await get('/v1/messages/' + encodeURIComponent(ans.id), { signal: ctx.signal });
        const list = document.getElementById('thread');
        if (ctx.alive() && list) list.appendChild(threadItem(m));
      } catch (_) { /* the link is enough */ }
    } catch (e) {
      if (ctx.alive()) showError(e);
    } finally {
      send.disabled = false;
    }
  });
  return form;
}

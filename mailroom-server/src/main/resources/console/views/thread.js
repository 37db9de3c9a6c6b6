// #/thread/<thread_id>: a conversation, every message of the thread the signed-in token may
// read wherever it was sent (GET /v1/threads/{thread_id}), with a reply box. The older form
// #/thread/<mailbox>/<thread_id> still opens the same view. #/thread alone lists the threads of
// the signed-in agent's mailbox, most recently active first (GET /v1/threads).

import { h, field, hashLink, table, timeEl } from '../dom.js';
import { get, post, query, session, canAct, showError, clearError } from '../api.js';
import { messageArticle } from './message.js';
import { notAllowed, pagedList } from './common.js';

const MAX_PAGES = 20;
const PAGE_SIZE = 1000;

/**
 * Renders the thread view.
 * @param {import('../app.js').ViewContext} ctx
 */
export async function renderThread(ctx) {
  const threadId = (ctx.params.length > 1 ? ctx.params[1] : ctx.params[0]) || '';
  if (!threadId) {
    await renderThreadList(ctx);
    return;
  }
  const status = h('p', { id: 'thread-status', class: 'muted', role: 'status', text: 'Loading…' });
  const list = h('ol', { id: 'thread', class: 'thread' });
  ctx.root.append(h('h1', { tabindex: '-1', text: 'Thread ' + threadId }), status, list);

  const { messages, truncated } = await collect(ctx, threadId);
  if (!ctx.alive()) return;
  for (const m of messages) list.appendChild(threadItem(m));
  let text = messages.length + ' message' + (messages.length === 1 ? '' : 's') +
    ' in this thread that you may read, in every mailbox and topic.';
  if (truncated) text += ' Showing the first ' + messages.length + '.';
  status.textContent = text;
  if (truncated) status.classList.add('warning');

  if (canAct() && messages.length) ctx.root.append(replyBox(ctx, messages));
}

/** The threads of the signed-in agent's mailbox, with their summaries, a page at a time. */
async function renderThreadList(ctx) {
  const status = h('p', { id: 'threads-status', class: 'muted', role: 'status' });
  const t = table(['Thread', 'Messages', 'Unread', 'Last activity', 'Last from', 'Participants'], { id: 'threads-table' });
  const more = h('button', { type: 'button', id: 'threads-more', class: 'button secondary', text: 'Load more' });
  ctx.root.append(h('h1', { tabindex: '-1', text: 'Threads' }),
    h('p', { class: 'muted', text: 'The threads of your mailbox, most recently active first. Each counts the messages of the whole thread you may read, wherever they were sent.' }),
    status, t.wrap, h('div', { class: 'actions' }, more));
  const load = pagedList(ctx, {
    tbody: t.tbody,
    status,
    more,
    path: (cursor) => '/v1/threads' + query({ limit: 50, cursor }),
    items: (page) => (Array.isArray(page.threads) ? page.threads : []),
    next: (page) => page.next_cursor,
    row: (s) => h('tr', { class: 'thread-row', dataset: { thread: String(s.thread_id) } },
      h('th', { scope: 'row' }, h('a', { href: hashLink('thread', s.thread_id), text: s.thread_id })),
      h('td', { class: 'num', text: String(s.message_count) + (s.complete ? '' : '+') }),
      h('td', { class: 'num', text: String(s.unread_count) }),
      h('td', null, timeEl(s.last_activity)),
      h('td', { text: s.last_sender }),
      h('td', { text: Array.isArray(s.participants) ? s.participants.join(', ') : '' })),
    noun: ['thread', 'threads'],
    onForbidden: () => notAllowed(ctx.root, 'Threads'),
  });
  await load();
}

/** One message of the conversation: an <li class="thread-message" data-id>. */
function threadItem(m) {
  return h('li', { class: 'thread-message', dataset: { id: String(m.id) } }, messageArticle(m, { compact: true }));
}

async function collect(ctx, threadId) {
  const base = '/v1/threads/' + encodeURIComponent(threadId);
  const out = [];
  let cursor = null;
  let pages = 0;
  let truncated = false;
  do {
    if (pages === MAX_PAGES) { truncated = true; break; }
    const page = await get(base + query({ order: 'asc', limit: PAGE_SIZE, cursor }), { signal: ctx.signal });
    pages += 1;
    if (!ctx.alive()) break;
    out.push(...(page.messages || []));
    cursor = page.next_cursor || null;
  } while (cursor);
  return { messages: out, truncated };
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

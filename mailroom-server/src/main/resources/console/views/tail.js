// #/tail/<mailbox>: the live tail of a mailbox or topic.

import { h, field, hashLink } from '../dom.js';
import { probe, session, showError } from '../api.js';
import { Tail, MAX_ROWS, openRowsOnActivate, statusLine, tailList } from '../tail.js';

/**
 * Renders the tail view.
 * @param {import('../app.js').ViewContext} ctx
 */
export function renderTail(ctx) {
  const name = ctx.params[0] || '';
  const input = h('input', { id: 'tail-mailbox', name: 'mailbox', type: 'text', value: name || (session ? session.agent_id : ''), autocomplete: 'off', spellcheck: 'false', required: true });
  const start = h('button', { type: 'submit', id: 'tail-start', class: 'button', text: name ? 'Restart' : 'Start' });
  const form = h('form', { class: 'inline-form', 'aria-label': 'Mailbox to tail' },
    field('Mailbox', input, 'a mailbox or topic name; your own mailbox is your agent id'), start);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const mb = input.value.trim();
    if (!mb) { input.focus(); return; }
    const target = hashLink('tail', mb);
    if (location.hash === target) {
      // Same mailbox: hashchange would not fire, so re-render by hand.
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    } else {
      location.hash = target;
    }
  });

  ctx.root.append(h('h1', { tabindex: '-1', text: name ? 'Tail of ' + name : 'Live tail' }), form);
  if (!name) {
    ctx.root.append(h('p', { class: 'muted', text: 'Choose a mailbox and start.' }));
    return;
  }

  const status = statusLine();
  const counts = h('span', { id: 'tail-counts', class: 'muted small' });
  const pause = h('button', { type: 'button', id: 'tail-pause', class: 'button secondary', text: 'Pause' });
  const list = tailList();
  ctx.root.append(
    h('div', { class: 'tail-bar' }, status, pause, counts,
      h('a', { href: hashLink('mail', name), text: 'History of ' + name })),
    h('p', { class: 'muted small', text: 'Newest at the bottom; at most ' + MAX_ROWS + ' rows are kept. Select a row (click, or Enter) to open the message; the list holds still while a row has focus.' }),
    list.wrap);
  openRowsOnActivate(list.body);

  const tail = new Tail(name, list.body, list.wrap, {
    onStatus(text, state) {
      status.textContent = text;
      status.dataset.state = state;
    },
    onCount(c) {
      counts.textContent = c.received + ' received · ' + c.rows + ' shown' + (c.queued ? ' · ' + c.queued + ' waiting' : '');
    },
    async onClosed(detail) {
      // EventSource hides the answer: ask again with fetch to show the problem (401 → sign-in).
      if (detail && ctx.alive()) showError(new Error('The tail of ' + name + ' ended: ' + detail));
      try {
        await probe('/v1/mailboxes/' + encodeURIComponent(name) + '/tail', { signal: ctx.signal });
        if (ctx.alive() && !detail) showError(new Error('The tail of ' + name + ' was closed by the server.'));
      } catch (e) {
        if (ctx.alive()) showError(e);
      }
    },
  });
  pause.addEventListener('click', () => {
    const paused = !tail.paused;
    tail.setPaused(paused);
    pause.textContent = paused ? 'Resume' : 'Pause';
  });
  tail.start();
  ctx.onCleanup(() => tail.stop());
}

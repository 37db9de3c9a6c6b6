// #/compose: send a message (POST /v1/messages). Prefilled from the hash query
// (#/compose?mode=direct&target=bob&in_reply_to=...), as Reply does.

import { h, field, select, hashLink } from '../dom.js';
import { post, canAct, problemNodes, showError, clearError } from '../api.js';

const CONTENT_TYPES = ['text/plain', 'text/markdown', 'text/code', 'application/json', 'text/uri-list'];

/**
 * Builds the POST /v1/messages body from the compose form's values.
 * @param {Object<string,string>} v raw values: mode, target, content_type, language, payload,
 *   priority, tags, thread_id, in_reply_to
 * @returns {object}
 */
export function buildSendBody(v) {
  const body = { mode: v.mode, content_type: v.content_type, payload: v.payload };
  if (v.mode !== 'broadcast') body.target = v.target.trim();
  if (v.content_type === 'text/code' && v.language.trim()) body.language = v.language.trim();
  if (v.content_type === 'text/uri-list') body.payload = v.payload.trim();
  if (v.priority && v.priority !== 'normal') body.priority = v.priority;
  const tags = v.tags.split(',').map((t) => t.trim()).filter(Boolean);
  if (tags.length) body.tags = tags;
  if (v.thread_id.trim()) body.thread_id = v.thread_id.trim();
  if (v.in_reply_to.trim()) body.in_reply_to = v.in_reply_to.trim();
  return body;
}

/**
 * Renders the compose view.
 * @param {import('../app.js').ViewContext} ctx
 */
export function renderCompose(ctx) {
  ctx.root.append(h('h1', { tabindex: '-1', text: 'Compose' }));
  if (!canAct()) {
    ctx.root.append(h('p', { text: 'Observers may not send messages.' }));
    return;
  }
  const q = ctx.query;
  const mode = select({ id: 'compose-mode', name: 'mode' }, ['direct', 'topic', 'broadcast'], q.get('mode') || 'direct');
  const target = h('input', { id: 'compose-target', name: 'target', type: 'text', value: q.get('target') || '', autocomplete: 'off', spellcheck: 'false' });
  const ctype = select({ id: 'compose-content-type', name: 'content_type' }, CONTENT_TYPES, q.get('content_type') || 'text/plain');
  const language = h('input', { id: 'compose-language', name: 'language', type: 'text', value: q.get('language') || '', autocomplete: 'off', spellcheck: 'false', placeholder: 'e.g. python' });
  const payload = h('textarea', { id: 'compose-payload', name: 'payload', rows: '10', spellcheck: 'false' });
  payload.value = q.get('payload') || '';
  const priority = select({ id: 'compose-priority', name: 'priority' }, ['low', 'normal', 'high', 'urgent'], q.get('priority') || 'normal');
  const tags = h('input', { id: 'compose-tags', name: 'tags', type: 'text', value: q.get('tags') || '', autocomplete: 'off', spellcheck: 'false' });
  const threadId = h('input', { id: 'compose-thread-id', name: 'thread_id', type: 'text', value: q.get('thread_id') || '', autocomplete: 'off', spellcheck: 'false' });
  const inReplyTo = h('input', { id: 'compose-in-reply-to', name: 'in_reply_to', type: 'text', value: q.get('in_reply_to') || '', autocomplete: 'off', spellcheck: 'false' });
  const send = h('button', { type: 'submit', id: 'compose-send', class: 'button', text: 'Send' });
  const result = h('div', { id: 'compose-result', class: 'form-result', role: 'status' });

  const targetField = field('Target', target, 'agent id, mailbox or topic name');
  const languageField = field('Language', language, 'for text/code, e.g. java, python, c++');
  const controls = { mode, target, content_type: ctype, language, payload, priority, tags, thread_id: threadId, in_reply_to: inReplyTo };

  const sync = () => {
    const broadcast = mode.value === 'broadcast';
    target.disabled = broadcast;
    targetField.hidden = broadcast;
    languageField.hidden = ctype.value !== 'text/code';
  };
  mode.addEventListener('change', sync);
  ctype.addEventListener('change', sync);
  sync();

  const form = h('form', { id: 'compose-form', class: 'compose', novalidate: true },
    h('div', { class: 'field-grid' },
      field('Mode', mode), targetField, field('Content type', ctype), languageField,
      field('Priority', priority), field('Tags', tags, 'comma-separated'),
      field('Thread id', threadId), field('In reply to', inReplyTo, 'message id')),
    field('Payload', payload, 'application/json: JSON text; text/uri-list: one absolute URI'),
    h('div', { class: 'actions' }, send),
    result);

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearError();
    result.replaceChildren();
    for (const c of Object.values(controls)) c.removeAttribute('aria-invalid');
    const body = buildSendBody({
      mode: mode.value, target: target.value, content_type: ctype.value, language: language.value,
      payload: payload.value, priority: priority.value, tags: tags.value, thread_id: threadId.value,
      in_reply_to: inReplyTo.value,
    });
    send.disabled = true;
    try {
      const ans = await post('/v1/messages', body);
      if (!ctx.alive()) return;
      result.append('Sent ', h('a', { id: 'compose-new-id', href: hashLink('message', ans.id), text: ans.id }),
        ' to ' + ans.recipients + ' recipient' + (ans.recipients === 1 ? '' : 's') + (ans.duplicate ? ' (duplicate)' : '') + '.');
    } catch (e) {
      if (!ctx.alive()) return;
      result.append(...problemNodes(e));
      showError(e);
      const errs = (e.problem && Array.isArray(e.problem.errors)) ? e.problem.errors : [];
      let first = null;
      for (const fe of errs) {
        const name = String(fe.field || '').replace(/\[.*$/, '');
        const c = controls[name];
        if (c) { c.setAttribute('aria-invalid', 'true'); first = first || c; }
      }
      if (first) first.focus();
    } finally {
      send.disabled = false;
    }
  });
  ctx.root.append(form);
}

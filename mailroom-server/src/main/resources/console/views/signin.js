// #/signin: exchange an agent token for a session cookie.

import { h } from '../dom.js';
import { signIn, showError, clearError } from '../api.js';

/**
 * Renders the sign-in view.
 * @param {import('../app.js').ViewContext} ctx
 */
export function renderSignin(ctx) {
  const token = h('input', {
    id: 'token', name: 'token', type: 'password', autocomplete: 'current-password',
    required: true, spellcheck: 'false', 'aria-describedby': 'token-hint',
  });
  const button = h('button', { id: 'signin', type: 'submit', class: 'button', text: 'Sign in' });
  const form = h('form', { class: 'signin-form', novalidate: true },
    h('div', { class: 'field' },
      h('label', { for: 'token', text: 'Agent token' }),
      token,
      h('small', { id: 'token-hint', class: 'hint', text: 'The bearer token of an agent (mr_…). It is sent once to start a session and not kept by the page.' })),
    h('div', { class: 'actions' }, button));

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearError();
    const value = token.value.trim();
    if (!value) {
      showError(new Error('Enter a token.'));
      token.focus();
      return;
    }
    button.disabled = true;
    try {
      await signIn(value);
      token.value = '';
      location.hash = '#/';
    } catch (e) {
      showError(e);
      token.setAttribute('aria-invalid', 'true');
      token.focus();
    } finally {
      button.disabled = false;
    }
  });

  ctx.root.append(
    h('h1', { tabindex: '-1', text: 'Sign in' }),
    h('p', { class: 'muted', text: 'Sign in to the Mailroom console with an agent token.' }),
    form);
  token.focus();
}

// The token prompt shown when ACLs are on and the session has no token.
import { h } from './dom.js';
import { api, ApiError, routes, session } from './api.js';

/** Renders the prompt into `main`; resolves once a token was accepted (or the person continues without one). */
export function askForToken(main, message) {
  return new Promise(resolve => {
    const input = h('input', { id: 'token', name: 'token', type: 'password', autocomplete: 'off', spellcheck: 'false', required: true, 'aria-describedby': 'token-help' });
    const error = h('p', { id: 'token-error', class: 'error', role: 'alert' }, message ?? '');
    const form = h('form', { class: 'login', 'aria-labelledby': 'login-title' },
      h('h1', { id: 'login-title' }, 'Sign in'),
      h('p', { id: 'token-help' }, 'This agent has access control on. Enter an ACL token (its secret ID). It is kept only in this tab\'s session storage and sent as X-Consul-Token.'),
      h('label', { for: 'token' }, 'ACL token'),
      input,
      error,
      h('div', { class: 'actions' },
        h('button', { type: 'submit' }, 'Sign in'),
        h('button', { type: 'button', class: 'secondary', onclick: () => { session.continueAnonymously(); resolve(); } }, 'Continue without a token')));
    form.addEventListener('submit', async event => {
      event.preventDefault();
      session.signIn(input.value.trim());
      try {
        await api(routes.permissions());
        resolve();
      } catch (e) {
        session.signOut();
        error.textContent = e instanceof ApiError && e.tokenNotFound ? 'That token was not found or has expired.' : e.message;
        input.focus();
      }
    });
    main.replaceChildren(form);
    input.focus();
  });
}

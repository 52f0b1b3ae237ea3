// The app shell: signs in when ACLs are on, keeps one event stream, routes /ui/... addresses to pages.
import { api, routes, session } from './api.js';
import { startEventStream } from './stream.js';
import { askForToken } from './login.js';
import { h } from './dom.js';
import * as servicesPage from './pages/services.js';
import * as servicePage from './pages/service.js';
import * as healthPage from './pages/health.js';
import * as eventsPage from './pages/events.js';
import * as notFoundPage from './pages/notfound.js';

// Kept in step with Ui/DashboardEndpoints.IsPage on the server.
const pages = [
  [/^\/ui\/?$/, servicesPage, () => 'Services'],
  [/^\/ui\/services\/?$/, servicesPage, () => 'Services'],
  [/^\/ui\/services\/([^/]+)\/?$/, servicePage, name => name],
  [/^\/ui\/health\/?$/, healthPage, () => 'Health'],
  [/^\/ui\/events\/?$/, eventsPage, () => 'Events'],
];

const main = document.getElementById('main');
const connection = document.getElementById('connection');
const banner = document.getElementById('banner');
const signOut = document.getElementById('sign-out');

/** What every page shares: the recent events (newest last) and the stream's state. */
export const shared = { events: [], maxEvents: 500, live: false, aclEnabled: false };

let current = null;
let stream = null;

function route() {
  const path = location.pathname;
  for (const [pattern, page, title] of pages) {
    const match = pattern.exec(path);
    if (match) {
      const params = match.slice(1).map(decodeURIComponent);
      return { page, params, title: title(...params) };
    }
  }
  return { page: notFoundPage, params: [], title: 'Not found' };
}

function render() {
  if (!stream) return; // signing in: the prompt stays until a token is accepted
  current?.unmount?.();
  const { page, params, title } = route();
  document.title = `${title} · Switchboard`;
  for (const link of document.querySelectorAll('header nav a')) {
    const active = location.pathname.startsWith(link.getAttribute('href')) || (location.pathname.replace(/\/$/, '') === '/ui' && link.getAttribute('href') === '/ui/services');
    if (active) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
  }
  main.replaceChildren();
  current = page.mount(main, { params, navigate });
}

export function navigate(href) {
  history.pushState(null, '', href);
  render();
  main.focus({ preventScroll: true });
}

document.addEventListener('click', event => {
  const link = event.target.closest?.('a[href]');
  if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const url = new URL(link.href, location.href);
  if (url.origin !== location.origin || !url.pathname.startsWith('/ui') || link.target) return;
  event.preventDefault();
  navigate(url.pathname + url.search);
});
window.addEventListener('popstate', render);

function showState(state, delay) {
  shared.live = state === 'live';
  connection.dataset.state = state;
  if (state === 'live') {
    connection.textContent = 'Live';
    banner.hidden = true;
    current?.resync?.();
  } else if (state === 'reconnecting') {
    connection.textContent = 'Reconnecting…';
    banner.replaceChildren(
      h('span', {}, `The agent at ${location.host} is unreachable. Trying again in ${Math.round(delay / 1000)} s; what is shown may be out of date. `),
      h('button', { type: 'button', class: 'secondary', onclick: () => stream?.retryNow() }, 'Retry now'));
    banner.hidden = false;
  } else if (state === 'denied') {
    connection.textContent = 'No access';
    window.dispatchEvent(new CustomEvent('switchboard:token-rejected'));
  }
}

function onEvent(event) {
  event.received_at = new Date().toISOString();
  shared.events.push(event);
  if (shared.events.length > shared.maxEvents) shared.events.splice(0, shared.events.length - shared.maxEvents);
  current?.onEvent?.(event);
}

async function signIn(message) {
  stream?.stop();
  stream = null;
  current?.unmount?.();
  current = null;
  document.title = 'Sign in · Switchboard';
  signOut.hidden = true;
  await askForToken(main, message);
  start();
}

async function start() {
  let permissions;
  try {
    permissions = await api(routes.permissions());
  } catch (error) {
    if (error.tokenNotFound) { session.signOut(); return signIn('That token was not found or has expired.'); }
    showState('reconnecting', 2000);
    setTimeout(start, 2000);
    return;
  }
  shared.aclEnabled = permissions.acl_enabled;
  if (permissions.acl_enabled && !session.token() && !session.anonymous()) return signIn();
  signOut.hidden = !permissions.acl_enabled;
  stream = startEventStream(onEvent, showState);
  render();
}

signOut.addEventListener('click', () => { session.signOut(); shared.events.length = 0; signIn(); });
window.addEventListener('switchboard:token-rejected', () => {
  if (!stream) return;
  session.signOut();
  signIn('The token was rejected (deleted or expired): sign in again.');
});

start();

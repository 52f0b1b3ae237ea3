// The shell's not-found page (the server answers 404 with the shell for an unknown /ui route).
import { h } from '../dom.js';

export function mount(main) {
  main.append(
    h('h1', {}, 'Page not found'),
    h('p', {}, 'There is no dashboard page at ', h('code', {}, location.pathname), '.'),
    h('p', {}, h('a', { href: '/ui/services' }, 'Go to the services')));
}

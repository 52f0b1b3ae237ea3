// Services: every service with its instances by status, tags and versions; search, filter by tag and status, pages of 50.
import { api, routes } from '../api.js';
import { h, countBadge, tagList, pager, throttle, labelCells } from '../dom.js';

const PAGE_SIZE = 50;

export function mount(main) {
  const params = new URLSearchParams(location.search);
  const state = { all: [], q: params.get('q') ?? '', tag: params.get('tag') ?? '', status: params.get('status') ?? '', page: Number(params.get('page')) || 1, error: '' };

  const search = h('input', { id: 'search', type: 'search', value: state.q, placeholder: 'name, tag or version' });
  const tag = h('input', { id: 'tag-filter', type: 'text', value: state.tag, list: 'tag-options', autocomplete: 'off' });
  const tagOptions = h('datalist', { id: 'tag-options' });
  const status = h('select', { id: 'status-filter' },
    ['', 'passing', 'warning', 'critical'].map(s => h('option', { value: s, selected: s === state.status }, s ? `has ${s}` : 'any status')));
  const summary = h('p', { class: 'summary', 'aria-live': 'polite' });
  const body = h('tbody');
  const pages = h('div');
  const error = h('p', { class: 'error', role: 'alert' });

  main.append(
    h('h1', {}, 'Services'),
    summary,
    h('form', { class: 'filters', role: 'search', onsubmit: e => e.preventDefault() },
      h('div', {}, h('label', { for: 'search' }, 'Search'), search),
      h('div', {}, h('label', { for: 'tag-filter' }, 'Tag'), tag, tagOptions),
      h('div', {}, h('label', { for: 'status-filter' }, 'Status'), status)),
    error,
    h('div', { class: 'scroll' }, h('table', { id: 'services', class: 'stack' },
      h('caption', { class: 'visually-hidden' }, 'Services'),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, 'Service'), h('th', { scope: 'col' }, 'Instances'),
        h('th', { scope: 'col' }, 'Passing'), h('th', { scope: 'col' }, 'Warning'), h('th', { scope: 'col' }, 'Critical'),
        h('th', { scope: 'col' }, 'Tags'), h('th', { scope: 'col' }, 'Versions'))),
      body)),
    pages);

  function filtered() {
    const q = state.q.trim().toLowerCase();
    return state.all.filter(s =>
      (!q || s.service_name.includes(q) || s.tags.some(t => t.toLowerCase().includes(q)) || s.versions.some(v => v.toLowerCase().includes(q)))
      && (!state.tag || s.tags.includes(state.tag))
      && (!state.status || s[state.status] > 0));
  }

  function draw() {
    const list = filtered();
    const pageCount = Math.ceil(list.length / PAGE_SIZE);
    state.page = Math.min(Math.max(state.page, 1), Math.max(pageCount, 1));
    const rows = list.slice((state.page - 1) * PAGE_SIZE, state.page * PAGE_SIZE).map(s =>
      h('tr', { dataset: { service: s.service_name } },
        h('th', { scope: 'row' }, h('a', { href: `/ui/services/${encodeURIComponent(s.service_name)}` }, s.service_name)),
        h('td', {}, `${s.instances}`),
        h('td', {}, countBadge(s.passing, 'passing')),
        h('td', {}, countBadge(s.warning, 'warning')),
        h('td', {}, countBadge(s.critical, 'critical')),
        h('td', {}, tagList(s.tags)),
        h('td', {}, s.versions.join(', '))));
    body.replaceChildren(...rows);
    if (rows.length === 0)
      body.append(h('tr', {}, h('td', { colspan: 7 }, state.all.length ? 'No service matches.' : 'No service is registered (or this token may read none).')));
    labelCells(body);
    const critical = state.all.filter(s => s.critical > 0).length;
    summary.textContent = `${state.all.length} services, ${critical} with a critical instance.`;
    pages.replaceChildren(pager(state.page, pageCount, list.length, 'services', p => { state.page = p; remember(); draw(); }));
  }

  function remember() {
    const p = new URLSearchParams();
    if (state.q) p.set('q', state.q);
    if (state.tag) p.set('tag', state.tag);
    if (state.status) p.set('status', state.status);
    if (state.page > 1) p.set('page', String(state.page));
    const query = p.toString();
    history.replaceState(null, '', location.pathname + (query ? `?${query}` : ''));
  }

  let controller = new AbortController();
  async function load() {
    try {
      const answer = await api(routes.services(), { signal: controller.signal });
      state.all = answer.services;
      error.textContent = '';
      const tags = [...new Set(state.all.flatMap(s => s.tags))].sort();
      tagOptions.replaceChildren(...tags.map(t => h('option', { value: t })));
      draw();
    } catch (e) {
      if (e.name !== 'AbortError') error.textContent = `Could not load the services: ${e.message}`;
    }
  }
  const reload = throttle(load, 1000);

  search.addEventListener('input', () => { state.q = search.value; state.page = 1; remember(); draw(); });
  tag.addEventListener('input', () => { state.tag = tag.value; state.page = 1; remember(); draw(); });
  status.addEventListener('change', () => { state.status = status.value; state.page = 1; remember(); draw(); });
  load();

  return {
    onEvent: reload,
    resync: reload,
    unmount() { controller.abort(); },
  };
}

// Aggregated health: the registry's own state and each service's, refreshed when the catalog changes.
import { api, routes } from '../api.js';
import { h, badge, time, pager, throttle, labelCells } from '../dom.js';

const PAGE_SIZE = 100;
const tone = { healthy: 'passing', degraded: 'warning', unhealthy: 'critical' };

export function mount(main) {
  const controller = new AbortController();
  const overview = h('div', { class: 'cards' });
  const body = h('tbody');
  const pages = h('div');
  const error = h('p', { class: 'error', role: 'alert' });
  const onlyUnhealthy = h('input', { id: 'only-unhealthy', type: 'checkbox' });
  const state = { services: [], page: 1 };
  main.append(
    h('h1', {}, 'Health'),
    error,
    overview,
    h('form', { class: 'filters', onsubmit: e => e.preventDefault() }, h('div', { class: 'inline' }, onlyUnhealthy, h('label', { for: 'only-unhealthy' }, 'Only services without a healthy instance'))),
    h('div', { class: 'scroll' }, h('table', { id: 'health', class: 'stack' },
      h('caption', { class: 'visually-hidden' }, 'Health of each service'),
      h('thead', {}, h('tr', {}, ['Service', 'Status', 'Healthy instances', 'Endpoint', 'Last heartbeat'].map(c => h('th', { scope: 'col' }, c)))),
      body)),
    pages);

  function card(label, value, status) {
    return h('div', { class: 'card' }, h('span', { class: 'label' }, label), status ? badge(tone[status] ?? status, value) : h('strong', {}, value));
  }

  function draw() {
    const list = onlyUnhealthy.checked ? state.services.filter(([, s]) => s.status !== 'healthy') : state.services;
    const pageCount = Math.ceil(list.length / PAGE_SIZE);
    state.page = Math.min(Math.max(state.page, 1), Math.max(pageCount, 1));
    body.replaceChildren(...list.slice((state.page - 1) * PAGE_SIZE, state.page * PAGE_SIZE).map(([name, s]) =>
      h('tr', { dataset: { service: name } },
        h('th', { scope: 'row' }, h('a', { href: `/ui/services/${encodeURIComponent(name)}` }, name)),
        h('td', {}, badge(tone[s.status], s.status)),
        h('td', {}, `${s.healthy_instances} of ${s.instances}`),
        h('td', {}, h('code', {}, s.endpoint)),
        h('td', {}, time(s.last_heartbeat)))));
    labelCells(body);
    if (list.length === 0) body.append(h('tr', {}, h('td', { colspan: 5 }, 'No service to show.')));
    pages.replaceChildren(pager(state.page, pageCount, list.length, 'services', p => { state.page = p; draw(); }));
  }

  async function load() {
    try {
      const [aggregated, registry] = await Promise.all([
        api(routes.aggregated(), { signal: controller.signal }),
        api(routes.registryHealth(), { signal: controller.signal }),
      ]);
      error.textContent = '';
      overview.replaceChildren(
        card('Services overall', aggregated.overall_status, aggregated.overall_status),
        card('Services', `${aggregated.total_services}`),
        card('Healthy services', `${aggregated.healthy_services}`),
        card('Unhealthy services', `${aggregated.unhealthy_services}`),
        card('Instances', `${registry.service_discovery.total_instances}`),
        card('Registry', registry.status, registry.status),
        card(`Store (${registry.store.kind})`, registry.store.detail ? `${registry.store.status}: ${registry.store.detail}` : registry.store.status, registry.store.status === 'ok' ? 'healthy' : 'degraded'),
        card('Catalog index', `${registry.index}`));
      state.services = Object.entries(aggregated.services);
      draw();
    } catch (e) {
      if (e.name !== 'AbortError') error.textContent = `Could not load the health: ${e.message}`;
    }
  }
  const reload = throttle(load, 2000);
  onlyUnhealthy.addEventListener('change', () => { state.page = 1; draw(); });
  load();
  return { onEvent: reload, resync: reload, unmount() { controller.abort(); } };
}

// The live timeline: catalog events as they arrive on the event stream (the last 500 since the page was opened).
import { h, badge, time } from '../dom.js';
import { shared } from '../app.js';

const tone = { registered: 'passing', updated: 'info', status_changed: 'warning', deregistered: 'info', expired: 'critical', reaped: 'critical' };

export function mount(main) {
  const type = h('select', { id: 'event-type' }, ['', 'registered', 'updated', 'status_changed', 'deregistered', 'expired', 'reaped'].map(t => h('option', { value: t }, t || 'any')));
  const service = h('input', { id: 'event-service', type: 'search' });
  const list = h('ol', { id: 'timeline', class: 'timeline', 'aria-live': 'polite', 'aria-relevant': 'additions' });
  main.append(
    h('h1', {}, 'Events'),
    h('p', {}, 'Changes to the catalog as they happen, newest first (kept in this tab while it is open).'),
    h('form', { class: 'filters', role: 'search', onsubmit: e => e.preventDefault() },
      h('div', {}, h('label', { for: 'event-type' }, 'Type'), type),
      h('div', {}, h('label', { for: 'event-service' }, 'Service'), service)),
    list);

  const shown = e => (!type.value || e.type === type.value) && (!service.value || e.service_name.includes(service.value.trim()));
  const item = e => h('li', { dataset: { type: e.type, service: e.service_name } },
    time(e.received_at), ' ', badge(tone[e.type] ?? 'info', e.type), ' ',
    h('a', { href: `/ui/services/${encodeURIComponent(e.service_name)}` }, e.service_name), ' ',
    h('code', {}, e.instance_id), ' ', e.type === 'deregistered' || e.type === 'expired' || e.type === 'reaped' ? 'left' : badge(e.status), ` (index ${e.index})`);

  function draw() {
    const items = shared.events.filter(shown).reverse().map(item);
    list.replaceChildren(...items);
    if (items.length === 0) list.append(h('li', { class: 'empty' }, 'No event yet: changes appear here as they happen.'));
  }
  type.addEventListener('change', draw);
  service.addEventListener('input', draw);
  draw();

  return {
    onEvent(e) {
      if (!shown(e)) return;
      list.querySelector('.empty')?.remove();
      list.prepend(item(e));
      while (list.children.length > shared.maxEvents) list.lastElementChild.remove();
    },
  };
}

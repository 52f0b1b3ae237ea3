// One service: its instances (address, zone, weight, version, tags, status) in pages of 100, each with details (metadata,
// checks with output, last probe and recent transitions) and the actions the token may take.
import { api, routes } from '../api.js';
import { h, badge, countBadge, tagList, time, pager, throttle, labelCells } from '../dom.js';
import { confirmAction } from '../confirm.js';

const PAGE_SIZE = 100;

export function mount(main, { params }) {
  const [name] = params;
  const started = performance.now();
  const state = { instances: new Map(), open: new Set(), details: new Map(), page: 1, q: '', canWrite: false, loaded: false };
  const controller = new AbortController();

  const summary = h('p', { class: 'summary', 'aria-live': 'polite' });
  const message = h('p', { class: 'message', role: 'status', 'aria-live': 'polite' });
  const error = h('p', { class: 'error', role: 'alert' });
  const filter = h('input', { id: 'instance-filter', type: 'search', placeholder: 'id, address, zone, tag, status' });
  const body = h('tbody');
  const pages = h('div');
  main.append(
    h('p', { class: 'crumbs' }, h('a', { href: '/ui/services' }, 'Services'), ' / '),
    h('h1', {}, name),
    summary,
    h('form', { class: 'filters', role: 'search', onsubmit: e => e.preventDefault() },
      h('div', {}, h('label', { for: 'instance-filter' }, 'Filter instances'), filter)),
    message,
    error,
    h('div', { class: 'scroll' }, h('table', { id: 'instances', class: 'stack' },
      h('caption', { class: 'visually-hidden' }, `Instances of ${name}`),
      h('thead', {}, h('tr', {},
        ['Instance', 'Status', 'Address', 'Zone', 'Weight', 'Version', 'Tags', 'Actions'].map(c => h('th', { scope: 'col' }, c)))),
      body)),
    pages);

  function matches(i, q) {
    return !q || [i.instance_id, `${i.host}:${i.port}`, i.zone, i.version, i.status, ...i.tags].some(v => v && v.toLowerCase().includes(q));
  }

  function draw() {
    const all = [...state.instances.values()].sort((a, b) => a.instance_id < b.instance_id ? -1 : a.instance_id > b.instance_id ? 1 : 0);
    const counts = { passing: 0, warning: 0, critical: 0 };
    for (const i of all) counts[i.status]++;
    summary.replaceChildren(`${all.length} instances: `, countBadge(counts.passing, 'passing'), ' passing, ',
      countBadge(counts.warning, 'warning'), ' warning, ', countBadge(counts.critical, 'critical'), ' critical.');
    const q = state.q.trim().toLowerCase();
    const list = all.filter(i => matches(i, q));
    const pageCount = Math.ceil(list.length / PAGE_SIZE);
    state.page = Math.min(Math.max(state.page, 1), Math.max(pageCount, 1));
    const rows = [];
    for (const i of list.slice((state.page - 1) * PAGE_SIZE, state.page * PAGE_SIZE)) {
      rows.push(row(i));
      if (state.open.has(i.instance_id)) rows.push(detailsRow(i));
    }
    if (rows.length === 0)
      rows.push(h('tr', {}, h('td', { colspan: 8 }, state.loaded ? (all.length ? 'No instance matches.' : 'This service has no instance (it may have been deregistered).') : 'Loading…')));
    // Rows are rebuilt on every change: the focused button is found again by its key, so keyboard users keep their place.
    const focused = body.contains(document.activeElement) ? document.activeElement.dataset.key : undefined;
    body.replaceChildren(...rows);
    if (focused) body.querySelector(`[data-key="${CSS.escape(focused)}"]`)?.focus();
    labelCells(body);
    for (const checks of body.querySelectorAll('table.checks tbody')) labelCells(checks);
    pages.replaceChildren(pager(state.page, pageCount, list.length, 'instances', p => { state.page = p; draw(); }));
  }

  function row(i) {
    const open = state.open.has(i.instance_id);
    const maintenance = i.checks.find(c => c.check_id.startsWith('_service_maintenance:'));
    return h('tr', { dataset: { instance: i.instance_id, status: i.status } },
      h('th', { scope: 'row' }, h('code', {}, i.instance_id)),
      h('td', {}, badge(i.status), maintenance ? h('span', { class: 'note' }, ' maintenance: ', maintenance.output || 'no reason given') : null),
      h('td', {}, `${i.host}:${i.port}`),
      h('td', {}, i.zone || '—'),
      h('td', {}, `${i.weight}`),
      h('td', {}, i.version || '—'),
      h('td', {}, tagList(i.tags)),
      h('td', { class: 'row-actions' },
        h('button', { type: 'button', class: 'secondary', dataset: { key: `details:${i.instance_id}` }, 'aria-expanded': String(open), 'aria-label': `Details of ${i.instance_id}`, onclick: () => toggle(i.instance_id) }, open ? 'Hide' : 'Details'),
        state.canWrite ? h('button', { type: 'button', class: 'secondary', dataset: { action: 'maintenance', key: `maintenance:${i.instance_id}` }, 'aria-label': `${maintenance ? 'End maintenance of' : 'Maintenance for'} ${i.instance_id}`, onclick: () => maintain(i, !maintenance) }, maintenance ? 'End maintenance' : 'Maintenance') : null,
        state.canWrite ? h('button', { type: 'button', class: 'danger', dataset: { action: 'deregister', key: `deregister:${i.instance_id}` }, 'aria-label': `Deregister ${i.instance_id}`, onclick: () => deregister(i) }, 'Deregister') : null));
  }

  function detailsRow(i) {
    const details = state.details.get(i.instance_id);
    const byId = new Map((details?.checks ?? []).map(c => [c.check_id, c]));
    const transitions = details?.transitions ?? [];
    const metadata = Object.entries(i.metadata ?? {});
    return h('tr', { class: 'details', dataset: { detailsOf: i.instance_id } }, h('td', { colspan: 8 },
      h('div', { class: 'grid' },
        h('section', {},
          h('h2', {}, 'Instance'),
          h('dl', {},
            h('dt', {}, 'URL'), h('dd', {}, `${i.protocol}://${i.host}:${i.port}${i.path ?? ''}`),
            h('dt', {}, 'Registered'), h('dd', {}, time(i.registered_at)),
            h('dt', {}, 'Last heartbeat'), h('dd', {}, time(details?.last_heartbeat)),
            h('dt', {}, 'Lease expires'), h('dd', {}, details?.lease_expires_at ? time(details.lease_expires_at) : 'no lease'),
            h('dt', {}, 'Latest output'), h('dd', {}, h('pre', {}, details?.latest_output ?? i.output ?? '')))),
        h('section', {},
          h('h2', {}, 'Metadata'),
          metadata.length ? h('dl', {}, metadata.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])) : h('p', {}, 'None.'))),
      h('section', {},
        h('h2', {}, 'Checks'),
        i.checks.length === 0 ? [h('p', {}, 'No check: the instance\'s own heartbeats decide its status.'), transitionList(transitions.filter(t => t.check_id === ''))] :
          h('div', { class: 'scroll' }, h('table', { class: 'checks stack' },
            h('thead', {}, h('tr', {}, ['Check', 'Kind', 'Status', 'Output', 'Last probe', 'Recent transitions'].map(c => h('th', { scope: 'col' }, c)))),
            h('tbody', {}, i.checks.map(c => checkRow(c, byId.get(c.check_id), transitions.filter(t => t.check_id === c.check_id)))))))));
  }

  function transitionList(transitions) {
    if (transitions.length === 0) return 'none yet';
    return h('ol', { class: 'transitions' }, [...transitions].reverse().slice(0, 5).map(t =>
      h('li', {}, time(t.at), ' ', badge(t.from), ' → ', badge(t.to), t.output ? h('span', { class: 'note' }, ' ', t.output) : null)));
  }

  function checkRow(c, live, transitions) {
    return h('tr', { dataset: { check: c.check_id, status: c.status } },
      h('th', { scope: 'row' }, h('code', {}, c.check_id)),
      h('td', {}, c.spec?.kind ?? ''),
      h('td', {}, badge(c.status)),
      h('td', {}, h('pre', {}, live?.latest_output ?? c.output)),
      h('td', {}, time(live?.last_probe_at)),
      h('td', {}, transitionList(transitions)));
  }

  async function loadDetails(id) {
    try {
      state.details.set(id, await api(routes.instance(id), { signal: controller.signal }));
      redraw();
    } catch { /* the row keeps what it had; the instance may just have left */ }
  }

  function toggle(id) {
    if (state.open.has(id)) state.open.delete(id);
    else { state.open.add(id); loadDetails(id); }
    draw();
  }

  async function deregister(i) {
    const ok = await confirmAction({
      title: 'Deregister this instance?',
      text: `${i.instance_id} (${i.host}:${i.port}) leaves the catalog of ${name} now. A service that registers itself will come back at its next registration.`,
      confirm: 'Deregister',
    });
    if (!ok) return;
    try {
      await api(routes.instance(i.instance_id), { method: 'DELETE' });
      message.textContent = `Deregistered ${i.instance_id}.`;
    } catch (e) {
      error.textContent = `Could not deregister ${i.instance_id}: ${e.message}`;
    }
  }

  async function maintain(i, enable) {
    const reason = h('input', { id: 'maintenance-reason', type: 'text', maxlength: 200 });
    const ok = await confirmAction({
      title: enable ? 'Put this instance in maintenance?' : 'End maintenance?',
      text: enable ? `${i.instance_id} is drained from discovery (marked critical) until maintenance ends.` : `${i.instance_id} takes traffic again once its checks pass.`,
      confirm: enable ? 'Start maintenance' : 'End maintenance',
      extra: enable ? h('div', {}, h('label', { for: 'maintenance-reason' }, 'Reason (shown on the page)'), reason) : null,
    });
    if (!ok) return;
    try {
      await api(routes.maintenance(i.instance_id), { method: 'PUT', json: { enable, reason: reason.value } });
      message.textContent = enable ? `${i.instance_id} is in maintenance.` : `${i.instance_id} left maintenance.`;
    } catch (e) {
      error.textContent = `Could not change maintenance of ${i.instance_id}: ${e.message}`;
    }
  }

  let frame = 0;
  function redraw() {
    if (!frame) frame = requestAnimationFrame(() => { frame = 0; draw(); });
  }

  // Events that arrive while a load is in flight are applied again on top of its answer, which may predate them.
  let arrivedDuringLoad = null;

  function apply(event) {
    if (event.instance) state.instances.set(event.instance_id, event.instance);
    else state.instances.delete(event.instance_id);
  }

  async function load() {
    arrivedDuringLoad = [];
    try {
      const [instances, permissions] = await Promise.all([
        api(routes.instances(name), { signal: controller.signal }),
        api(routes.permissions(name), { signal: controller.signal }),
      ]);
      state.canWrite = permissions.write;
      state.instances = new Map(instances.map(i => [i.instance_id, i]));
      for (const event of arrivedDuringLoad) apply(event);
      state.loaded = true;
      error.textContent = '';
      draw();
      if (!state.measured) {
        state.measured = true;
        const ms = performance.now() - started;
        main.dataset.renderMs = ms.toFixed(0);
        console.info(`switchboard: service page ${name} rendered ${instances.length} instances in ${ms.toFixed(0)} ms`);
      }
      for (const id of state.open) loadDetails(id);
    } catch (e) {
      if (e.name !== 'AbortError') error.textContent = `Could not load ${name}: ${e.message}`;
    } finally {
      arrivedDuringLoad = null;
    }
  }

  // Probe outputs and times change without catalog events: the open details are refreshed every 5 s.
  const refresh = setInterval(() => { for (const id of state.open) loadDetails(id); }, 5000);
  filter.addEventListener('input', () => { state.q = filter.value; state.page = 1; draw(); });
  draw();
  load();

  return {
    onEvent(event) {
      if (event.service_name !== name) {
        if (state.instances.has(event.instance_id)) { state.instances.delete(event.instance_id); redraw(); } // moved to another service
        return;
      }
      apply(event);
      arrivedDuringLoad?.push(event);
      if (state.open.has(event.instance_id)) loadDetails(event.instance_id);
      redraw();
    },
    resync: throttle(load, 1000),
    unmount() { controller.abort(); clearInterval(refresh); cancelAnimationFrame(frame); },
  };
}

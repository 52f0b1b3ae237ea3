// Builds elements from data as text only: strings become text nodes (never markup), attributes are set one by one.

/** h('a', {href: '/x', class: 'c'}, 'text', child, [more]) */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(el.dataset, value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else if (child instanceof Node) el.append(child);
    else el.append(document.createTextNode(String(child)));
  }
}

/** A status badge: passing, warning or critical, with the word (never colour alone). */
export function badge(status, label) {
  return h('span', { class: `badge ${status}`, dataset: { status } }, label ?? status);
}

/** A count badge (e.g. "3 critical"), dimmed when zero. */
export function countBadge(count, status) {
  return h('span', { class: `badge ${count > 0 ? status : 'zero'}`, dataset: { status, count: String(count) }, title: `${count} ${status}` }, `${count}`);
}

export function tagList(tags) {
  return h('ul', { class: 'tags', 'aria-label': 'tags' }, (tags ?? []).map(t => h('li', { class: 'tag' }, t)));
}

export function time(value) {
  if (!value) return '—';
  const date = new Date(value);
  return h('time', { datetime: date.toISOString(), title: date.toISOString() }, date.toLocaleTimeString());
}

export function clear(el) {
  el.replaceChildren();
  return el;
}

/** Calls fn at most once per `ms`, with the latest call's timing kept (trailing call). */
export function throttle(fn, ms) {
  let timer = null;
  let pending = false;
  return () => {
    if (timer) { pending = true; return; }
    fn();
    timer = setTimeout(function tick() {
      timer = null;
      if (pending) { pending = false; fn(); timer = setTimeout(tick, ms); }
    }, ms);
  };
}

/** Gives each cell of `tbody` its column's header as data-label (a phone shows rows as labelled cards). */
export function labelCells(tbody) {
  const headers = [...tbody.closest('table').querySelectorAll(':scope > thead > tr > th')].map(th => th.textContent);
  for (const row of tbody.rows) {
    if (row.cells.length !== headers.length) continue;
    [...row.cells].forEach((cell, i) => cell.setAttribute('data-label', headers[i]));
  }
}

/** Page controls ("Previous", "Page x of y", "Next") for a list cut into pages. */
export function pager(page, pages, total, noun, go) {
  return h('nav', { class: 'pager', 'aria-label': `${noun} pages` },
    h('button', { type: 'button', class: 'secondary', disabled: page <= 1, onclick: () => go(page - 1) }, 'Previous'),
    h('span', { 'aria-live': 'polite' }, `Page ${page} of ${Math.max(pages, 1)} (${total} ${noun})`),
    h('button', { type: 'button', class: 'secondary', disabled: page >= pages, onclick: () => go(page + 1) }, 'Next'));
}

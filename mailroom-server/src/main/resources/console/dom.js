// Small DOM helpers. Nothing here ever parses an HTML string: text goes in as text nodes,
// attributes through setAttribute, so untrusted data cannot become markup.

/** Attributes h() refuses, whatever the caller passes: event handlers and inline styles. */
const FORBIDDEN_ATTR = /^(on|style$|srcdoc$)/i;

/**
 * Creates an element.
 * @param {string} tag element name
 * @param {Object<string, *>} [attrs] attributes; `class`, `text` (textContent), `dataset`
 *   (object), `on` (object of event listeners) and `props` (object of DOM properties) are
 *   special; `null`/`undefined`/`false` values are skipped, `true` sets an empty attribute
 * @param {...(Node|string|number|null|undefined|Array)} children nodes or text
 * @returns {HTMLElement}
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') el.className = Array.isArray(v) ? v.filter(Boolean).join(' ') : v;
      else if (k === 'text') el.textContent = String(v);
      else if (k === 'dataset') Object.assign(el.dataset, v);
      else if (k === 'on') for (const [ev, fn] of Object.entries(v)) el.addEventListener(ev, fn);
      else if (k === 'props') Object.assign(el, v);
      else if (FORBIDDEN_ATTR.test(k)) throw new Error('attribute not allowed: ' + k);
      else el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  return el;
}

/**
 * Appends children (nodes, strings as text nodes, nested arrays; null skipped).
 * @param {Node} parent
 * @param {Array|Node|string} children
 * @returns {Node} parent
 */
export function append(parent, children) {
  if (children === null || children === undefined || children === false) return parent;
  if (Array.isArray(children)) {
    for (const c of children) append(parent, c);
  } else if (children instanceof Node) {
    parent.appendChild(children);
  } else {
    parent.appendChild(document.createTextNode(String(children)));
  }
  return parent;
}

/**
 * Removes every child of an element.
 * @param {Node} el
 * @returns {Node} el
 */
export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

let uid = 0;
/**
 * A fresh unique id for label/input pairs.
 * @param {string} prefix
 * @returns {string}
 */
export function nextId(prefix) {
  uid += 1;
  return prefix + '-' + uid;
}

/**
 * A labelled form field: a wrapper holding a <label> and the control.
 * @param {string} label visible label text
 * @param {HTMLElement} control input, select or textarea (gets an id if it has none)
 * @param {string} [hint] optional help text, linked with aria-describedby
 * @returns {HTMLElement}
 */
export function field(label, control, hint) {
  if (!control.id) control.id = nextId('f');
  const wrap = h('div', { class: 'field' }, h('label', { for: control.id, text: label }), control);
  if (hint) {
    const hid = control.id + '-hint';
    control.setAttribute('aria-describedby', hid);
    wrap.appendChild(h('small', { id: hid, class: 'hint', text: hint }));
  }
  return wrap;
}

/**
 * A <select> with options.
 * @param {Object<string,*>} attrs attributes for the select
 * @param {Array<string|[string,string]>} options values, or [value, label] pairs
 * @param {string} [selected] the selected value
 * @returns {HTMLSelectElement}
 */
export function select(attrs, options, selected) {
  const s = h('select', attrs);
  for (const o of options) {
    const [value, label] = Array.isArray(o) ? o : [o, o];
    const opt = h('option', { value, text: label });
    if (value === selected) opt.selected = true;
    s.appendChild(opt);
  }
  return s;
}

/**
 * A table inside a horizontally scrolling wrapper, with <th scope="col"> headers.
 * @param {string[]} headers column titles
 * @param {Object<string,*>} [attrs] attributes for the table
 * @returns {{wrap: HTMLElement, table: HTMLTableElement, tbody: HTMLTableSectionElement}}
 */
export function table(headers, attrs) {
  const tbody = h('tbody');
  const table = h('table', attrs,
    h('thead', null, h('tr', null, headers.map((t) => h('th', { scope: 'col', text: t })))),
    tbody);
  const wrap = h('div', { class: 'table-wrap' }, table);
  return { wrap, table, tbody };
}

/**
 * Formats an ISO instant for display (local time, seconds precision), or '' when absent.
 * @param {string} iso
 * @returns {string}
 */
export function fmtTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return DATE_FMT.format(d);
}

const DATE_FMT = new Intl.DateTimeFormat(undefined, {
  year: 'numeric', month: '2-digit', day: '2-digit',
  hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
});

/**
 * A <time> element for an ISO instant, with the exact instant as its datetime and title.
 * @param {string} iso
 * @returns {HTMLElement}
 */
export function timeEl(iso) {
  if (!iso) return h('span', { text: '' });
  return h('time', { datetime: iso, title: iso, text: fmtTime(iso) });
}

/**
 * Builds an application hash link.
 * @param {...string} parts path segments, each URI-encoded
 * @returns {string} e.g. "#/message/1M819J5X70000"
 */
export function hashLink(...parts) {
  return '#/' + parts.map((p) => encodeURIComponent(p)).join('/');
}

// Renders messages. Untrusted text only ever reaches the page as text nodes; the single
// exception, HTML made by markdown-it or highlight.js, goes through DOMPurify and then a
// post-processing pass (links, remote images) before it is inserted.

import { h, append, timeEl, hashLink } from './dom.js';

/* global DOMPurify, markdownit, hljs */

const SAFE_LINK_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);
const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);
/** Larger code than this is shown without highlighting (highlightAuto is slow). */
const MAX_HIGHLIGHT_CHARS = 200000;

let md = null;
function markdown() {
  if (!md) {
    md = window.markdownit({
      html: false,
      linkify: true,
      highlight(str, lang) {
        if (lang && window.hljs && hljs.getLanguage(lang) && str.length <= MAX_HIGHLIGHT_CHARS) {
          try {
            return hljs.highlight(str, { language: lang, ignoreIllegals: true }).value;
          } catch (_) { /* fall back to markdown-it's escaping */ }
        }
        return '';
      },
    });
    // Table alignment comes out as style="text-align:…", which the CSP refuses: use classes.
    md.core.ruler.push('align_classes', (state) => {
      for (const tok of state.tokens) {
        if ((tok.type === 'th_open' || tok.type === 'td_open') && tok.attrs) {
          const style = tok.attrGet('style');
          tok.attrs = tok.attrs.filter(([name]) => name !== 'style');
          const m = /text-align:\s*(left|right|center)/.exec(style || '');
          if (m) tok.attrJoin('class', 'align-' + m[1]);
        }
      }
    });
  }
  return md;
}

/**
 * Sanitizes an HTML string with DOMPurify and returns it as an inert DocumentFragment in which
 * every link has a safe protocol (else its href is removed) and opens in a new tab with
 * rel="noopener noreferrer", and no element loads anything from another origin.
 * @param {string} html
 * @returns {DocumentFragment}
 */
export function sanitizeToFragment(html) {
  const clean = DOMPurify.sanitize(html, { USE_PROFILES: { html: true }, FORBID_ATTR: ['style'] });
  // A <template> parses into an inert document: nothing loads before the checks below.
  const tpl = document.createElement('template');
  tpl.innerHTML = clean;
  const frag = tpl.content;
  for (const a of frag.querySelectorAll('a')) {
    const href = a.getAttribute('href');
    if (href !== null && !SAFE_LINK_PROTOCOLS.has(protocolOf(href))) a.removeAttribute('href');
    a.setAttribute('rel', 'noopener noreferrer');
    a.setAttribute('target', '_blank');
  }
  for (const el of frag.querySelectorAll('[src], [srcset], [poster], [background]')) {
    const urls = [el.getAttribute('src'), el.getAttribute('poster'), el.getAttribute('background')]
      .filter((u) => u !== null);
    const srcset = el.getAttribute('srcset');
    if (srcset !== null || !urls.every(isSameOrigin)) el.remove();
  }
  // Elements that may load from elsewhere and that markdown never needs.
  for (const el of frag.querySelectorAll('link, source, track, picture, video, audio, object, embed, iframe, form')) {
    el.remove();
  }
  return frag;
}

function protocolOf(href) {
  try {
    return new URL(href, location.href).protocol;
  } catch (_) {
    return 'invalid:';
  }
}

/**
 * True when a URL (relative or absolute) points to this page's origin.
 * @param {string} url
 * @returns {boolean}
 */
export function isSameOrigin(url) {
  try {
    const u = new URL(url, location.href);
    return u.origin === location.origin && (u.protocol === 'http:' || u.protocol === 'https:');
  } catch (_) {
    return false;
  }
}

/**
 * Renders markdown text (markdown-it, raw HTML shown as text) into a sanitized element.
 * @param {string} text
 * @returns {HTMLElement}
 */
export function renderMarkdown(text) {
  const div = h('div', { class: 'markdown' });
  div.appendChild(sanitizeToFragment(markdown().render(String(text))));
  return div;
}

/**
 * Renders source code highlighted by highlight.js, sanitized, in <pre><code>.
 * @param {string} text
 * @param {string} [language] the message's language; auto-detection when unknown
 * @returns {HTMLElement}
 */
export function renderCode(text, language) {
  const code = h('code', { class: 'hljs' });
  const pre = h('pre', { class: 'code' }, code);
  const src = String(text);
  if (!window.hljs || src.length > MAX_HIGHLIGHT_CHARS) {
    code.textContent = src;
    return pre;
  }
  let html;
  try {
    if (language && hljs.getLanguage(language)) {
      html = hljs.highlight(src, { language, ignoreIllegals: true }).value;
      code.classList.add('language-' + language.replace(/[^A-Za-z0-9_-]/g, '_'));
    } else {
      html = hljs.highlightAuto(src).value;
    }
  } catch (_) {
    code.textContent = src;
    return pre;
  }
  code.appendChild(sanitizeToFragment(html));
  return pre;
}

/**
 * Renders a JSON value as a foldable tree of <details>/<summary>, built with DOM nodes.
 * Children are built when a node is first opened, so large values stay cheap.
 * @param {*} value
 * @param {{openDepth?: number}} [opts] levels open at first (default 2)
 * @returns {HTMLElement}
 */
export function renderJson(value, opts = {}) {
  const openDepth = opts.openDepth === undefined ? 2 : opts.openDepth;
  return h('div', { class: 'json' }, jsonNode(null, value, 0, openDepth));
}

function jsonNode(key, value, depth, openDepth) {
  const keyNodes = key === null ? [] : [h('span', { class: 'json-key', text: key }), ': '];
  if (value !== null && typeof value === 'object') {
    const isArray = Array.isArray(value);
    const entries = isArray ? value.map((v, i) => [String(i), v]) : Object.entries(value);
    const summary = h('summary', null, keyNodes,
      h('span', { class: 'json-brace', text: isArray ? '[' : '{' }),
      h('span', { class: 'json-count muted', text: ' ' + entries.length + ' ' + (isArray ? plural(entries.length, 'item') : plural(entries.length, 'key')) + ' ' }),
      h('span', { class: 'json-brace', text: isArray ? ']' : '}' }));
    if (entries.length === 0) {
      return h('div', { class: 'json-line' }, keyNodes, h('span', { class: 'json-brace', text: isArray ? '[]' : '{}' }));
    }
    const details = h('details', { class: 'json-node' }, summary);
    const body = h('div', { class: 'json-children' });
    details.appendChild(body);
    let built = false;
    const build = () => {
      if (built) return;
      built = true;
      const frag = document.createDocumentFragment();
      for (const [k, v] of entries) frag.appendChild(jsonNode(k, v, depth + 1, openDepth));
      body.appendChild(frag);
    };
    details.addEventListener('toggle', () => { if (details.open) build(); });
    if (depth < openDepth) {
      build();
      details.open = true;
    }
    return details;
  }
  let cls = 'json-null';
  let text = 'null';
  if (typeof value === 'string') { cls = 'json-string'; text = JSON.stringify(value); }
  else if (typeof value === 'number') { cls = 'json-number'; text = String(value); }
  else if (typeof value === 'boolean') { cls = 'json-bool'; text = String(value); }
  else if (value !== null) { text = String(value); }
  return h('div', { class: 'json-line' }, keyNodes, h('span', { class: cls, text }));
}

function plural(n, word) {
  return n === 1 ? word : word + 's';
}

/**
 * Decodes standard or URL-safe base64 into bytes.
 * @param {string} b64
 * @returns {Uint8Array}
 */
export function base64ToBytes(b64) {
  let s = String(b64).replace(/[\r\n\s]/g, '').replace(/-/g, '+').replace(/_/g, '/');
  while (s.length % 4) s += '=';
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function formatBytes(n) {
  if (!Number.isFinite(n)) return '';
  if (n < 1024) return n + ' B';
  if (n < 1024 * 1024) return (n / 1024).toFixed(1) + ' KiB';
  if (n < 1024 * 1024 * 1024) return (n / 1024 / 1024).toFixed(1) + ' MiB';
  return (n / 1024 / 1024 / 1024).toFixed(2) + ' GiB';
}

/**
 * Renders a message's payload by its content type. Never renders binary inline.
 * @param {object} msg a message object
 * @param {{id?: string}} [opts] id for the payload container (default "payload")
 * @returns {HTMLElement}
 */
export function renderPayload(msg, opts = {}) {
  const box = h('div', { class: 'payload', 'data-content-type': String(msg.content_type || '') });
  if (opts.id !== null) box.id = opts.id || 'payload';
  const p = msg.payload;
  const text = typeof p === 'string' ? p : (p === undefined ? '' : JSON.stringify(p));
  switch (msg.content_type) {
    case 'text/markdown':
      box.appendChild(renderMarkdown(text));
      break;
    case 'text/code':
      if (msg.language) box.appendChild(h('p', { class: 'muted small', text: 'Language: ' + msg.language }));
      box.appendChild(renderCode(text, msg.language));
      break;
    case 'application/json': {
      let value = p;
      if (typeof p === 'string') {
        try { value = JSON.parse(p); } catch (_) { value = p; }
      }
      box.appendChild(renderJson(value));
      break;
    }
    case 'text/uri-list': {
      const uri = text.trim();
      box.appendChild(h('p', null, h('code', { class: 'uri', text: uri })));
      const proto = protocolOf(uri);
      if (/^[a-z][a-z0-9+.-]*:/i.test(uri) && (proto === 'http:' || proto === 'https:')) {
        box.appendChild(h('p', null, h('a', { href: uri, rel: 'noopener noreferrer', target: '_blank', text: 'Open link' })));
      }
      break;
    }
    case 'application/octet-stream': {
      let size = null;
      try { size = base64ToBytes(text).length; } catch (_) { size = null; }
      const btn = h('button', { type: 'button', id: opts.id === null ? null : 'download-payload', class: 'button',
        text: 'Download binary payload' + (size !== null ? ' (' + formatBytes(size) + ')' : '') });
      btn.addEventListener('click', () => downloadBase64(text, 'message-' + (msg.id || 'payload') + '.bin'));
      box.appendChild(h('p', { class: 'muted', text: 'Binary payload (application/octet-stream); not shown.' }));
      box.appendChild(btn);
      break;
    }
    default:
      box.appendChild(h('pre', { class: 'plain', text }));
  }
  return box;
}

/**
 * Saves base64 data as a file through a Blob URL (revoked shortly after).
 * @param {string} b64
 * @param {string} filename
 */
export function downloadBase64(b64, filename) {
  const blob = new Blob([base64ToBytes(b64)], { type: 'application/octet-stream' });
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: filename.replace(/[^A-Za-z0-9._-]/g, '_') });
  a.hidden = true;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30000);
}

/**
 * Renders a message's attachments: a download link each, and an image preview for PNG, JPEG,
 * GIF and WebP. Only same-origin URLs are used.
 * @param {object} msg
 * @returns {HTMLElement|null}
 */
export function renderAttachments(msg) {
  const list = Array.isArray(msg.attachments) ? msg.attachments : [];
  if (!list.length) return null;
  const ul = h('ul', { class: 'attachments' });
  for (const at of list) {
    const name = String(at.name || ('attachment-' + at.n));
    const li = h('li', { class: 'attachment' });
    const url = typeof at.url === 'string' ? at.url : '';
    if (url && isSameOrigin(url)) {
      const u = new URL(url, location.href);
      const local = u.pathname + u.search;
      li.appendChild(h('a', { href: local, download: name, class: 'attachment-link', text: name }));
      li.appendChild(h('span', { class: 'muted', text: ' ' + String(at.content_type || '') + ' · ' + formatBytes(Number(at.size)) }));
      if (IMAGE_TYPES.has(String(at.content_type).toLowerCase())) {
        li.appendChild(h('div', null, h('img', { src: local, alt: 'Preview of ' + name, class: 'attachment-preview', loading: 'lazy' })));
      }
    } else {
      li.appendChild(h('span', { text: name + ' (no same-origin download link)' }));
    }
    ul.appendChild(li);
  }
  return h('section', { class: 'attachments-box', 'aria-label': 'Attachments' }, h('h3', { text: 'Attachments' }), ul);
}

/**
 * A one-line text preview of a message (at most 200 characters), for lists and the tail.
 * @param {object} msg
 * @returns {string}
 */
export function previewText(msg) {
  const meta = msg.metadata;
  let s;
  if (meta && typeof meta.subject === 'string' && meta.subject) s = meta.subject;
  else if (msg.content_type === 'application/octet-stream') {
    s = '[binary ' + Math.floor(String(msg.payload || '').length * 3 / 4) + ' bytes]';
  } else if (typeof msg.payload === 'string') s = msg.payload.slice(0, 400);
  else if (msg.payload === undefined) s = '';
  else s = JSON.stringify(msg.payload).slice(0, 400);
  if (!s && Array.isArray(msg.attachments) && msg.attachments.length) {
    s = '[' + msg.attachments.length + ' attachment(s)]';
  }
  return s.replace(/\s+/g, ' ').slice(0, 200);
}

/**
 * Tag chips for a message.
 * @param {string[]} tags
 * @returns {HTMLElement}
 */
export function tagList(tags) {
  const span = h('span', { class: 'tags' });
  for (const t of Array.isArray(tags) ? tags : []) span.appendChild(h('span', { class: 'tag', text: t }));
  return span;
}

/**
 * The header fields of a message as a <dl>.
 * @param {object} msg
 * @returns {HTMLElement}
 */
export function messageFields(msg) {
  const dl = h('dl', { class: 'fields' });
  const row = (label, value) => append(dl, [h('dt', { text: label }), h('dd', null, value)]);
  row('Id', h('code', { text: msg.id }));
  row('Sender', String(msg.sender || ''));
  row('Mode', String(msg.mode || ''));
  if (msg.target !== undefined) row('Target', String(msg.target));
  row('Time', timeEl(msg.timestamp));
  row('Priority', h('span', { class: 'prio prio-' + cssToken(msg.priority), text: String(msg.priority || '') }));
  row('Content type', String(msg.content_type || '') + (msg.language ? ' (' + msg.language + ')' : ''));
  row('Tags', tagList(msg.tags));
  if (msg.thread_id) row('Thread', h('code', { text: msg.thread_id }));
  if (msg.in_reply_to) row('In reply to', h('a', { href: hashLink('message', msg.in_reply_to), id: 'in-reply-to', text: msg.in_reply_to }));
  if (msg.read_at) row('Read at', timeEl(msg.read_at));
  if (msg.expires_at) row('Expires', timeEl(msg.expires_at));
  return dl;
}

/**
 * A string reduced to characters safe in a CSS class name.
 * @param {*} s
 * @returns {string}
 */
export function cssToken(s) {
  return String(s || '').replace(/[^A-Za-z0-9_-]/g, '_');
}

/**
 * The metadata of a message as a folded JSON tree (closed at first).
 * @param {object} msg
 * @returns {HTMLElement}
 */
export function renderMetadata(msg) {
  const meta = msg.metadata && typeof msg.metadata === 'object' ? msg.metadata : {};
  const n = Object.keys(meta).length;
  return h('details', { class: 'metadata' },
    h('summary', { text: 'Metadata (' + n + ' ' + plural(n, 'key') + ')' }),
    renderJson(meta, { openDepth: 1 }));
}

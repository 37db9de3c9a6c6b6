// The live tail: an EventSource on /v1/mailboxes/{name}/tail, rendered at most once per
// animation frame, keeping at most MAX_ROWS rows. Like `tail -f`, the newest row is at the
// bottom; the list follows it while scrolled to the end. Rendering holds while keyboard focus
// is on a row, so the row does not move away under the user.

import { h, hashLink } from './dom.js';
import { previewText, cssToken } from './render.js';

/** Most rows kept in the DOM. */
export const MAX_ROWS = 500;
/** Shortest time between two renders (ms). */
export const MIN_RENDER_MS = 100;

/**
 * Streams a mailbox into a table body.
 */
export class Tail {
  /**
   * @param {string} mailbox mailbox or topic name
   * @param {HTMLElement} tbody the row group rows go in
   * @param {HTMLElement} scroller the scrolling box around the table (followed to the end)
   * @param {{onStatus?: (text: string, state: string) => void,
   *          onCount?: (c: {received: number, rows: number, queued: number}) => void,
   *          onClosed?: (detail: string|null) => void}} [hooks] onClosed gets the server's
   *   reason when it sent one, else null
   */
  constructor(mailbox, tbody, scroller, hooks = {}) {
    this.mailbox = mailbox;
    this.tbody = tbody;
    this.scroller = scroller;
    this.held = false;
    this.hooks = hooks;
    this.queue = [];
    this.paused = false;
    this.received = 0;
    this.frame = 0;
    this.timer = 0;
    this.lastFlush = -Infinity;
    this.es = null;
    this.stopped = false;
    this.lastId = null;
    this.retries = 0;
    this.reconnectTimer = 0;
  }

  /** Opens the EventSource (the session cookie authenticates it). */
  start() {
    this.tbody.addEventListener('focusin', () => { this.held = true; this.liveStatus(); });
    this.tbody.addEventListener('focusout', (ev) => {
      if (ev.relatedTarget && this.tbody.contains(ev.relatedTarget)) return;
      this.held = false;
      if (!this.stopped) this.liveStatus();
      this.schedule();
    });
    this.connect();
  }

  /**
   * Opens (or reopens) the stream. A reopened stream asks for what came after the last message
   * received (after_id), so a dropped connection loses nothing.
   */
  connect() {
    if (this.stopped) return;
    let url = '/v1/mailboxes/' + encodeURIComponent(this.mailbox) + '/tail';
    if (this.lastId) url += '?after_id=' + encodeURIComponent(this.lastId);
    const es = new EventSource(url);
    this.es = es;
    this.status(this.retries ? 'Reconnecting…' : 'Connecting…', 'connecting');
    es.addEventListener('open', () => { this.retries = 0; this.liveStatus(); });
    es.addEventListener('messages', (ev) => this.onMessages(ev.data));
    es.addEventListener('heartbeat', () => this.liveStatus());
    es.addEventListener('error', (ev) => {
      if (this.stopped || es !== this.es) return;
      if (typeof ev.data === 'string' && ev.data) {
        // The server's own "error" event: it ended the tail (credential ended, store failed).
        let detail = ev.data;
        try { detail = JSON.parse(ev.data).detail || detail; } catch (_) { /* keep the text */ }
        es.close();
        this.status('Closed', 'closed');
        if (this.hooks.onClosed) this.hooks.onClosed(String(detail));
        return;
      }
      if (es.readyState === EventSource.CLOSED) {
        // Refused (401, 403, 404, 503...): EventSource does not say why; the hook asks.
        this.status('Closed', 'closed');
        if (this.hooks.onClosed) this.hooks.onClosed(null);
        return;
      }
      // The connection dropped: reopen it ourselves, after the last message we have.
      es.close();
      this.retries = (this.retries || 0) + 1;
      this.status('Reconnecting…', 'connecting');
      const delay = Math.min(10000, 500 * 2 ** Math.min(this.retries, 5));
      this.reconnectTimer = setTimeout(() => { this.reconnectTimer = 0; this.connect(); }, delay);
    });
  }

  /** Closes the stream and cancels any pending frame. */
  stop() {
    this.stopped = true;
    if (this.es) this.es.close();
    this.es = null;
    if (this.frame) cancelAnimationFrame(this.frame);
    if (this.timer) clearTimeout(this.timer);
    if (this.countTimer) clearTimeout(this.countTimer);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.frame = 0;
    this.timer = 0;
  }

  /**
   * Pauses or resumes rendering. While paused, messages are still received; only the newest
   * MAX_ROWS are kept for when rendering resumes.
   * @param {boolean} paused
   */
  setPaused(paused) {
    this.paused = paused;
    this.liveStatus();
    if (!paused) this.schedule();
  }

  onMessages(data) {
    let batch;
    try {
      const parsed = JSON.parse(data);
      batch = parsed && Array.isArray(parsed.messages) ? parsed.messages : [];
    } catch (_) {
      return;
    }
    this.received += batch.length;
    if (batch.length) this.lastId = String(batch[batch.length - 1].id);
    for (const m of batch) this.queue.push(m);
    // Only the newest MAX_ROWS can ever be shown: drop the rest at once.
    if (this.queue.length > MAX_ROWS * 2) this.queue.splice(0, this.queue.length - MAX_ROWS);
    this.schedule();
  }

  schedule() {
    if (this.paused || this.held || this.frame || this.timer || this.stopped) {
      this.count();
      return;
    }
    // At most one render per animation frame, and no more than one per MIN_RENDER_MS, so
    // that a fast stream does not spend every frame re-laying out the table.
    const wait = MIN_RENDER_MS - (performance.now() - this.lastFlush);
    const frame = () => {
      this.timer = 0;
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        this.flush();
      });
    };
    if (wait > 0) this.timer = setTimeout(frame, wait); else frame();
  }

  flush() {
    if (this.paused || this.held || this.stopped) return;
    this.lastFlush = performance.now();
    let items = this.queue;
    this.queue = [];
    if (items.length > MAX_ROWS) items = items.slice(items.length - MAX_ROWS);
    if (items.length) {
      const sc = this.scroller;
      const follow = !sc || sc.scrollHeight - sc.scrollTop - sc.clientHeight < 40;
      const frag = document.createDocumentFragment();
      for (const m of items) frag.appendChild(tailRow(m));
      this.tbody.appendChild(frag);
      let extra = this.tbody.childElementCount - MAX_ROWS;
      while (extra-- > 0) this.tbody.removeChild(this.tbody.firstElementChild);
      if (follow && sc) sc.scrollTop = sc.scrollHeight;
    }
    this.count();
  }

  /** Reports the counters, at most 4 times a second (each update costs a layout). */
  count() {
    if (!this.hooks.onCount || this.countTimer) return;
    const report = () => {
      this.countTimer = 0;
      this.lastCount = performance.now();
      this.hooks.onCount({ received: this.received, rows: this.tbody.childElementCount, queued: this.queue.length });
    };
    const wait = 250 - (performance.now() - (this.lastCount || -Infinity));
    if (wait > 0) this.countTimer = setTimeout(report, wait); else report();
  }

  /** Reports the state of an open stream: paused, held (a row has focus) or live. */
  liveStatus() {
    if (this.paused) this.status('Paused', 'paused');
    else if (this.held) this.status('Held while a row has focus', 'paused');
    else this.status('Live', 'live');
  }

  status(text, state) {
    if (text === this.lastStatus) return;
    this.lastStatus = text;
    if (this.hooks.onStatus) this.hooks.onStatus(text, state);
  }
}

/**
 * One tail row (an ARIA row of cells; a <div> grid so that off-screen rows cost no layout):
 * time, sender, target, priority, tags, preview, all as text.
 * @param {object} m message object
 * @returns {HTMLElement}
 */
export function tailRow(m) {
  const row = document.createElement('div');
  row.className = 'tail-row prio-row-' + cssToken(m.priority);
  row.setAttribute('role', 'row');
  row.tabIndex = 0;
  row.dataset.id = String(m.id);
  const ts = String(m.timestamp || '');
  cell(row, ts.length >= 23 ? ts.slice(11, 23) : ts, 'time');
  cell(row, m.sender);
  cell(row, m.mode === 'broadcast' ? '(broadcast)' : m.target);
  cell(row, m.priority, 'prio prio-' + cssToken(m.priority));
  cell(row, Array.isArray(m.tags) ? m.tags.join(', ') : '');
  cell(row, previewText(m), 'preview');
  return row;
}

function cell(row, text, cls) {
  const c = document.createElement('span');
  c.setAttribute('role', 'cell');
  if (cls) c.className = cls;
  c.textContent = text === undefined || text === null ? '' : String(text);
  row.appendChild(c);
}

/**
 * The tail's list: an ARIA table of div rows with a header row, in a scrolling box.
 * @returns {{wrap: HTMLElement, body: HTMLElement}} the scrolling box and the row group
 */
export function tailList() {
  const body = h('div', { id: 'tail-rows', role: 'rowgroup', class: 'tail-body' });
  const head = h('div', { role: 'rowgroup' }, h('div', { role: 'row', class: 'tail-head' },
    ['Time (UTC)', 'Sender', 'Target', 'Priority', 'Tags', 'Preview'].map((t) => h('span', { role: 'columnheader', text: t }))));
  const list = h('div', { id: 'tail-table', role: 'table', 'aria-label': 'Live messages', class: 'tail-list' }, head, body);
  const wrap = h('div', { class: 'tail-scroll' }, list);
  return { wrap, body };
}

/**
 * Wires click and Enter on tail rows (event delegation) to open the message view.
 * @param {HTMLElement} tbody
 */
export function openRowsOnActivate(tbody) {
  const open = (tr) => { if (tr && tr.dataset.id) location.hash = hashLink('message', tr.dataset.id); };
  tbody.addEventListener('click', (ev) => open(ev.target.closest('.tail-row')));
  tbody.addEventListener('keydown', (ev) => {
    if ((ev.key === 'Enter' || ev.key === ' ') && ev.target.matches && ev.target.matches('.tail-row')) {
      ev.preventDefault();
      open(ev.target);
    }
  });
}

/**
 * A status line element for the tail.
 * @returns {HTMLElement}
 */
export function statusLine() {
  return h('p', { id: 'tail-status', class: 'tail-status', role: 'status', 'aria-live': 'polite' });
}

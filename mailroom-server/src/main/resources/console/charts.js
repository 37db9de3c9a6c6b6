// A small live line chart on <canvas>, kept in memory (no library).

import { h } from './dom.js';

/**
 * A line chart of one series over a sliding time window.
 */
export class LineChart {
  /**
   * @param {string} title accessible title, e.g. "Sends per second"
   * @param {{windowMs?: number, id?: string, unit?: string, unitWords?: string}} [opts] window
   *   length (default 2 minutes); the value's unit as shown ("/s", the default, or " ms") and as
   *   read aloud ("per second", or "milliseconds")
   */
  constructor(title, opts = {}) {
    this.title = title;
    this.windowMs = opts.windowMs || 120000;
    this.unit = opts.unit || '/s';
    this.unitWords = opts.unitWords || 'per second';
    /** @type {{t: number, v: number}[]} */
    this.points = [];
    this.canvas = h('canvas', { id: opts.id || null, role: 'img', 'aria-label': title, width: '300', height: '100' });
    this.value = h('span', { class: 'chart-value', text: '–' });
    this.el = h('figure', { class: 'chart' },
      h('figcaption', null, title + ': ', this.value),
      this.canvas);
  }

  /**
   * Adds a sample and redraws.
   * @param {number} v value
   * @param {number} [t] time in ms (default now)
   */
  add(v, t = Date.now()) {
    const value = Number.isFinite(v) ? v : 0;
    this.points.push({ t, v: value });
    const cutoff = t - this.windowMs;
    while (this.points.length > 2 && this.points[0].t < cutoff) this.points.shift();
    this.value.textContent = formatRate(value) + this.unit;
    this.canvas.setAttribute('aria-label', this.title + ': ' + formatRate(value) + ' ' + this.unitWords + ' now');
    this.draw();
  }

  /** Draws the series, scaled to its maximum, with the theme's colours. */
  draw() {
    const c = this.canvas;
    const dpr = window.devicePixelRatio || 1;
    const w = Math.max(100, Math.round((c.clientWidth || 300) * dpr));
    const hgt = Math.max(60, Math.round((c.clientHeight || 100) * dpr));
    if (c.width !== w) c.width = w;
    if (c.height !== hgt) c.height = hgt;
    const g = c.getContext('2d');
    if (!g) return;
    const css = getComputedStyle(c);
    const fg = css.getPropertyValue('--chart-line').trim() || '#2563eb';
    const grid = css.getPropertyValue('--chart-grid').trim() || '#8884';
    const text = css.getPropertyValue('--muted').trim() || '#888';
    g.clearRect(0, 0, w, hgt);
    const pad = 4 * dpr;
    const now = this.points.length ? this.points[this.points.length - 1].t : Date.now();
    const t0 = now - this.windowMs;
    const max = Math.max(1, ...this.points.map((p) => p.v)) * 1.1;
    g.strokeStyle = grid;
    g.lineWidth = 1;
    g.beginPath();
    for (let i = 0; i <= 4; i++) {
      const y = pad + (hgt - 2 * pad) * i / 4;
      g.moveTo(0, y);
      g.lineTo(w, y);
    }
    g.stroke();
    g.fillStyle = text;
    g.font = (11 * dpr) + 'px system-ui, sans-serif';
    g.textBaseline = 'top';
    g.fillText('max ' + formatRate(max / 1.1), pad, pad);
    if (this.points.length < 2) return;
    g.strokeStyle = fg;
    g.lineWidth = 2 * dpr;
    g.lineJoin = 'round';
    g.beginPath();
    this.points.forEach((p, i) => {
      const x = ((p.t - t0) / this.windowMs) * w;
      const y = hgt - pad - (p.v / max) * (hgt - 2 * pad);
      if (i === 0) g.moveTo(x, y); else g.lineTo(x, y);
    });
    g.stroke();
  }
}

/**
 * Formats a rate for display.
 * @param {number} v
 * @returns {string}
 */
export function formatRate(v) {
  if (!Number.isFinite(v)) return '–';
  if (v >= 100) return String(Math.round(v));
  if (v >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

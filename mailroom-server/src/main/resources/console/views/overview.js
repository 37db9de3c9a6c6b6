// #/ Overview: system statistics with live charts, alerts, agents, dead letters; or, for a
// plain agent, its own stats and unread count.

import { h, clear, table, timeEl, hashLink } from '../dom.js';
import {
  get, post, del, query, session, isAdmin, readsAll, canAct, ApiError, showError,
} from '../api.js';
import { LineChart, formatRate } from '../charts.js';

const REFRESH_MS = 2000;

// Kept across visits so the charts keep their last two minutes.
let sendsChart = null;
let pushesChart = null;
let latencyChart = null;

/**
 * Renders the overview.
 * @param {import('../app.js').ViewContext} ctx
 */
export async function renderOverview(ctx) {
  const box = h('div', { id: 'overview', class: 'overview' });
  ctx.root.append(h('h1', { tabindex: '-1', text: 'Overview' }), box);
  // The system's statistics are the admin's (GET /v1/stats); anyone else, an observer included,
  // sees their own. The directory (GET /v1/agents) is everyone's.
  if (isAdmin()) {
    systemPanels(ctx, box);
  } else {
    agentPanels(ctx, box);
    agentsPanel(ctx, box);
  }
  if (canAct() || readsAll()) dlqPanel(ctx, box);
}

/**
 * Runs fn now and then every REFRESH_MS while the view lives; stops for good when fn returns
 * false.
 */
function poll(ctx, fn) {
  let timer = null;
  const tick = async () => {
    timer = null;
    if (!ctx.alive()) return;
    let again = true;
    try {
      again = (await fn()) !== false;
    } catch (e) {
      if (ctx.alive()) showError(e);
    }
    if (again && ctx.alive()) timer = setTimeout(tick, REFRESH_MS);
  };
  ctx.onCleanup(() => { if (timer) clearTimeout(timer); });
  tick();
}

function panel(id, title) {
  const body = h('div', { class: 'panel-body' });
  const el = h('section', { id, class: 'panel', 'aria-labelledby': id + '-title' },
    h('h2', { id: id + '-title', text: title }), body);
  return { el, body };
}

function is403(e) {
  return e instanceof ApiError && e.status === 403;
}

function numberRow(dl, label, value, id) {
  dl.append(h('dt', { text: label }), h('dd', { id: id || null, class: 'num', text: value === undefined || value === null ? '–' : String(value) }));
}

function systemPanels(ctx, box) {
  if (!sendsChart) sendsChart = new LineChart('Sends per second', { id: 'chart-sends' });
  if (!pushesChart) pushesChart = new LineChart('Pushes per second', { id: 'chart-pushes' });
  if (!latencyChart) latencyChart = new LineChart('Delivery latency (mean over the last minute)', { id: 'chart-latency', unit: ' ms', unitWords: 'milliseconds' });

  const stats = panel('stats', 'System');
  const counts = h('dl', { class: 'counts' });
  const rates = h('dl', { class: 'counts' });
  const backlogs = h('div');
  const charts = h('div', { class: 'charts' }, sendsChart.el, pushesChart.el, latencyChart.el);
  const meta = h('p', { class: 'muted small' });
  stats.body.append(meta, counts, charts, h('h3', { text: 'Rates (last minute, this node)' }), rates,
    h('h3', { text: 'Top backlogs' }), backlogs);
  box.appendChild(stats.el);

  let alerts = null;
  if (isAdmin()) {
    alerts = panel('alerts', 'Firing alerts');
    box.appendChild(alerts.el);
  }

  poll(ctx, async () => {
    let s;
    try {
      s = await get('/v1/stats', { signal: ctx.signal });
    } catch (e) {
      if (is403(e)) { stats.el.remove(); return false; }
      throw e;
    }
    if (!ctx.alive()) return false;
    const c = s.counts || {};
    const r = s.rates || {};
    meta.textContent = 'Node ' + (s.node || '?') + ' · backend ' + (s.backend || '?') + ' · generated ' + (s.generated_at || '');
    clear(counts);
    numberRow(counts, 'Pending deliveries', c.pending_deliveries, 'stat-pending');
    numberRow(counts, 'Dead letters', c.dead_letters, 'stat-dead-letters');
    numberRow(counts, 'Agents', c.agents);
    numberRow(counts, 'Active agents', c.active_agents);
    numberRow(counts, 'Open streams', c.open_streams);
    numberRow(counts, 'Topics', c.topics);
    numberRow(counts, 'Subscriptions', c.subscriptions);
    clear(rates);
    numberRow(rates, 'Requests/s', formatRate(r.requests_per_second));
    numberRow(rates, 'Sends/s', formatRate(r.sends_per_second), 'stat-sends-rate');
    numberRow(rates, 'Pushes (deliveries)/s', formatRate(r.deliveries_per_second), 'stat-pushes-rate');
    numberRow(rates, 'Acks/s', formatRate(r.acks_per_second));
    numberRow(rates, 'Error rate', r.error_rate === undefined ? '–' : String(r.error_rate));
    sendsChart.add(Number(r.sends_per_second));
    pushesChart.add(Number(r.deliveries_per_second));
    latencyChart.add(typeof r.delivery_latency_ms === 'number' ? r.delivery_latency_ms : 0);
    clear(backlogs);
    const list = Array.isArray(s.top_backlogs) ? s.top_backlogs : [];
    if (!list.length) {
      backlogs.appendChild(h('p', { class: 'muted', text: 'No backlog.' }));
    } else {
      const t = table(['Agent', 'Subscription', 'Pending', 'Oldest']);
      for (const b of list) {
        t.tbody.appendChild(h('tr', null,
          h('td', { text: b.agent }), h('td', { text: b.subscription }),
          h('td', { class: 'num', text: b.pending }), h('td', null, timeEl(b.oldest_at))));
      }
      backlogs.appendChild(t.wrap);
    }
    if (alerts) {
      try {
        const a = await get('/v1/admin/alerts', { signal: ctx.signal });
        if (ctx.alive()) renderAlerts(alerts.body, a);
      } catch (e) {
        if (is403(e)) { alerts.el.remove(); alerts = null; } else throw e;
      }
    }
    return true;
  });

  agentsPanel(ctx, box);
}

function renderAlerts(body, a) {
  clear(body);
  const firing = Array.isArray(a && a.firing) ? a.firing : [];
  if (a && a.enabled === false) body.appendChild(h('p', { class: 'muted', text: 'Alerts are disabled on this node.' }));
  if (!firing.length) {
    body.appendChild(h('p', { class: 'muted', text: 'No alert is firing.' }));
    return;
  }
  const t = table(['Rule', 'Subject', 'Value', 'Since'], { id: 'alerts-table' });
  for (const f of firing) {
    t.tbody.appendChild(h('tr', { class: 'alert-row' },
      h('td', { text: f.rule }), h('td', { text: f.subject === undefined ? '' : f.subject }),
      h('td', { class: 'num', text: f.value === undefined ? '' : f.value }), h('td', null, timeEl(f.since))));
  }
  body.appendChild(t.wrap);
}

async function agentsPanel(ctx, box) {
  const p = panel('agents', 'Agents');
  box.appendChild(p.el);
  let page;
  try {
    page = await get('/v1/agents?limit=100', { signal: ctx.signal });
  } catch (e) {
    if (is403(e)) { p.el.remove(); return; }
    if (ctx.alive()) showError(e);
    return;
  }
  if (!ctx.alive()) return;
  const agents = Array.isArray(page.agents) ? page.agents : [];
  // The directory: every agent sees every other's public fields; roles only an admin.
  const withRoles = agents.some((a) => Array.isArray(a.roles));
  const header = ['Agent', 'Name', 'Online', 'Last seen', 'Role or task', 'Tags'];
  const t = table(withRoles ? header.concat(['Roles']) : header);
  for (const a of agents) {
    const status = a.retired_at ? 'retired' : a.online ? 'online' : 'offline';
    const row = h('tr', { class: 'agent-' + status },
      h('th', { scope: 'row' }, h('a', { href: hashLink('agents', a.id), text: a.id })),
      h('td', { text: a.display_name || '' }),
      h('td', { text: status }),
      h('td', null, a.last_seen ? timeEl(a.last_seen) : 'never'),
      h('td', { text: a.description || '' }),
      h('td', { text: Array.isArray(a.tags) ? a.tags.join(', ') : '' }));
    if (withRoles) row.appendChild(h('td', { text: Array.isArray(a.roles) ? a.roles.join(', ') : '' }));
    t.tbody.appendChild(row);
  }
  p.body.appendChild(t.wrap);
  if (page.next_cursor) p.body.appendChild(h('p', { class: 'muted', text: 'Showing the first ' + agents.length + ' agents.' }));
}

function agentPanels(ctx, box) {
  const me = session.agent_id;
  const p = panel('me', 'Agent ' + me);
  const dl = h('dl', { class: 'counts' });
  const backlogs = h('div');
  p.body.append(dl, backlogs);
  box.appendChild(p.el);
  poll(ctx, async () => {
    let unread = null;
    let st = null;
    let any = false;
    try {
      unread = await get('/v1/inbox/unread_count', { signal: ctx.signal });
      any = true;
    } catch (e) { if (!is403(e)) throw e; }
    try {
      st = await get('/v1/agents/' + encodeURIComponent(me) + '/stats', { signal: ctx.signal });
      any = true;
    } catch (e) { if (!is403(e)) throw e; }
    if (!ctx.alive()) return false;
    if (!any) { p.el.remove(); return false; }
    clear(dl);
    if (unread) {
      dl.append(h('dt', { text: 'Unread in inbox' }), h('dd', { class: 'num' },
        h('a', { id: 'unread-count', href: '#/mail?unread=true', text: String(unread.unread) })));
    }
    if (st) {
      dl.append(h('dt', { text: 'Last seen' }), h('dd', null, st.last_seen_at ? timeEl(st.last_seen_at) : 'not seen'));
      dl.append(h('dt', { text: 'Stream open since' }), h('dd', null, st.stream && st.stream.opened_at ? timeEl(st.stream.opened_at) : 'no stream open'));
      clear(backlogs);
      const list = Array.isArray(st.backlogs) ? st.backlogs : [];
      if (list.length) {
        const t = table(['Subscription', 'Pending', 'Oldest']);
        for (const b of list) {
          t.tbody.appendChild(h('tr', null, h('td', { text: b.subscription }),
            h('td', { class: 'num', text: b.pending }), h('td', null, timeEl(b.oldest_at))));
        }
        backlogs.append(h('h3', { text: 'Backlogs' }), t.wrap);
      }
    }
    return true;
  });
}

async function dlqPanel(ctx, box) {
  const p = panel('dlq', 'Dead letters');
  box.appendChild(p.el);
  const admin = isAdmin();
  const load = async () => {
    let page;
    try {
      page = await get('/v1/dlq' + query({ limit: 50 }), { signal: ctx.signal });
    } catch (e) {
      if (is403(e)) { p.el.remove(); return; }
      throw e;
    }
    if (!ctx.alive()) return;
    clear(p.body);
    const list = Array.isArray(page.dead_letters) ? page.dead_letters : [];
    if (!list.length) {
      p.body.appendChild(h('p', { class: 'muted', text: 'No dead letters.' }));
      return;
    }
    const heads = ['Message', 'Agent', 'Subscription', 'Attempts', 'Reason', 'Dead at'];
    if (canAct()) heads.push('Actions');
    const t = table(heads, { id: 'dlq-table' });
    for (const d of list) {
      const tr = h('tr', { class: 'dlq-row', dataset: { id: String(d.id) } },
        h('td', null, h('a', { href: hashLink('message', d.id), text: d.id })),
        h('td', { text: d.agent_id }), h('td', { text: d.subscription_id }),
        h('td', { class: 'num', text: d.attempts }), h('td', { text: d.reason }), h('td', null, timeEl(d.dead_at)));
      if (canAct()) {
        const agentQ = admin ? query({ agent: d.agent_id }) : '';
        const replay = h('button', { type: 'button', class: 'button small dlq-replay', text: 'Replay' });
        const remove = h('button', { type: 'button', class: 'button small secondary dlq-delete', text: 'Delete' });
        replay.addEventListener('click', () => act(() => post('/v1/dlq/' + encodeURIComponent(d.id) + '/replay' + agentQ)));
        remove.addEventListener('click', () => act(() => del('/v1/dlq/' + encodeURIComponent(d.id) + agentQ)));
        tr.appendChild(h('td', { class: 'actions' }, replay, ' ', remove));
      }
      t.tbody.appendChild(tr);
    }
    p.body.appendChild(t.wrap);
    if (page.next_after_id) p.body.appendChild(h('p', { class: 'muted', text: 'Showing the first ' + list.length + '.' }));
    if (canAct()) {
      const purge = h('button', { type: 'button', id: 'dlq-purge', class: 'button danger', text: admin ? 'Purge all dead letters (every agent)' : 'Purge my dead letters' });
      purge.addEventListener('click', () => {
        // eslint-disable-next-line no-alert
        if (window.confirm('Remove every dead letter' + (admin ? ' of every agent' : '') + '?')) act(() => del('/v1/dlq'));
      });
      p.body.appendChild(h('div', { class: 'actions' }, purge));
    }
  };
  const act = async (fn) => {
    try {
      await fn();
      await load();
    } catch (e) {
      if (ctx.alive()) showError(e);
    }
  };
  try {
    await load();
  } catch (e) {
    if (ctx.alive()) showError(e);
  }
}

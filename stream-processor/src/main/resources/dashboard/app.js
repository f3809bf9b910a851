'use strict';
// casefeed dashboard: a single page over the stream-processor's query API. No framework and nothing
// fetched from the internet: every asset is served by casefeed itself (Chart.js from its WebJar).

const DIMENSIONS = ['account', 'status', 'severity', 'service', 'language'];
const REFRESH_MS = 5000;
const view = document.getElementById('view');
let refreshTimer = null;
let lastRoute = null;

function token() { return localStorage.getItem('casefeed.token'); }

async function api(path) {
  const headers = {};
  if (token()) headers['Authorization'] = 'Bearer ' + token();
  const response = await fetch(path, { headers });
  if (response.status === 401) {
    const entered = prompt('This casefeed query API needs an access token:');
    if (entered) { localStorage.setItem('casefeed.token', entered); return api(path); }
    throw new Error('access token required');
  }
  const body = await response.json();
  if (!response.ok) throw new Error(body.error || ('HTTP ' + response.status));
  return body;
}

function esc(value) {
  return String(value ?? '').replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}
function fmtTime(iso) { return iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : ''; }
function fmtDuration(ms) {
  if (ms == null) return '';
  const minutes = Math.round(ms / 60000);
  if (minutes < 60) return minutes + ' min';
  const hours = minutes / 60;
  if (hours < 48) return hours.toFixed(1) + ' h';
  return (hours / 24).toFixed(1) + ' d';
}
function sevClass(severity) { return 'sev-' + esc(severity); }
function route() {
  const hash = location.hash.replace(/^#\/?/, '') || 'pivot';
  const [path, query] = hash.split('?');
  return { parts: path.split('/').map(decodeURIComponent), params: new URLSearchParams(query || '') };
}
function link(path, params) {
  const query = params ? new URLSearchParams(Object.entries(params).filter(([, v]) => v !== '' && v != null)).toString() : '';
  return '#/' + path + (query ? '?' + query : '');
}
function caseLink(c) {
  const d = c.caseDetails;
  return '#/case/' + encodeURIComponent(c.accountId) + '/' + encodeURIComponent(d.caseId);
}

async function renderTotals() {
  try {
    const stats = await api('/api/stats');
    document.getElementById('totals').innerHTML =
      `<b id="total-cases">${stats.cases}</b> cases · <b id="total-open">${stats.open}</b> open · <b>${stats.resolved}</b> resolved`;
    document.getElementById('live').classList.remove('stale');
    document.getElementById('updated').textContent = 'updated ' + new Date().toISOString().substring(11, 19) + 'Z';
  } catch (e) {
    document.getElementById('live').classList.add('stale');
    document.getElementById('updated').textContent = 'offline: ' + e.message;
  }
}

function dimensionSelect(name, selected, allowNone) {
  const options = (allowNone ? ['<option value="">(none)</option>'] : [])
    .concat(DIMENSIONS.map(d => `<option value="${d}" ${d === selected ? 'selected' : ''}>${d}</option>`));
  return `<select id="${name}" name="${name}">${options.join('')}</select>`;
}

async function renderPivot({ params }) {
  const rows = params.get('rows') || 'account';
  const cols = params.has('cols') ? params.get('cols') : 'status';
  const filters = {};
  DIMENSIONS.forEach(d => { if (params.get(d)) filters[d] = params.get(d); });
  const query = new URLSearchParams({ rows, ...(cols ? { cols } : {}), ...filters });
  const pivot = await api('/api/pivot?' + query);
  const columns = pivot.columns;
  const cellLink = (row, col) => {
    const p = { ...filters, [rows]: row };
    if (cols) p[cols] = col;
    return link('cases', p);
  };
  const colTotals = {};
  pivot.data.forEach(r => columns.forEach(c => { colTotals[c] = (colTotals[c] || 0) + (r.counts[c] || 0); }));
  view.innerHTML = `
    <div class="panel">
      <div class="controls">
        <label>Rows ${dimensionSelect('rows', rows, false)}</label>
        <label>Columns ${dimensionSelect('cols', cols, true)}</label>
        ${DIMENSIONS.map(d => `<label>${d} <input data-filter="${d}" value="${esc(filters[d] || '')}" size="12" placeholder="any"></label>`).join('')}
      </div>
      <table class="pivot" id="pivot-table" data-rows="${esc(rows)}" data-cols="${esc(cols)}">
        <thead><tr><th>${esc(rows)} \\ ${esc(cols || '')}</th>${columns.map(c => `<th class="num">${esc(c)}</th>`).join('')}<th class="num">total</th></tr></thead>
        <tbody>${pivot.data.map(r => `<tr data-row="${esc(r.row)}"><th>${esc(r.row)}</th>${columns.map(c => {
          const n = r.counts[c] || 0;
          return n ? `<td class="num" data-col="${esc(c)}"><a href="${cellLink(r.row, c)}">${n}</a></td>` : `<td class="num zero" data-col="${esc(c)}">0</td>`;
        }).join('')}<td class="num total">${r.total}</td></tr>`).join('')}</tbody>
        <tfoot><tr class="total"><th>total</th>${columns.map(c => `<td class="num">${colTotals[c] || 0}</td>`).join('')}<td class="num" id="pivot-total">${pivot.total}</td></tr></tfoot>
      </table>
      ${pivot.data.length ? '' : '<p>No cases yet: the first sweep may still be running.</p>'}
    </div>`;
  const go = () => {
    const p = { rows: document.getElementById('rows').value, cols: document.getElementById('cols').value };
    view.querySelectorAll('[data-filter]').forEach(i => { p[i.dataset.filter] = i.value.trim(); });
    location.hash = link('pivot', p);
  };
  document.getElementById('rows').onchange = go;
  document.getElementById('cols').onchange = go;
  view.querySelectorAll('[data-filter]').forEach(i => { i.onchange = go; });
}

async function renderCases({ params }) {
  const query = new URLSearchParams(params);
  if (!query.has('limit')) query.set('limit', '50');
  const page = await api('/api/cases?' + query);
  const sort = params.get('sort') || '-created';
  const sortHeader = (field, label) => {
    const active = sort.replace('-', '') === field;
    const next = active && sort.startsWith('-') ? field : '-' + field;
    const p = Object.fromEntries(params); p.sort = next; p.offset = 0;
    return `<th class="sortable ${active ? 'sorted' : ''} ${active && !sort.startsWith('-') ? 'asc' : ''}"><a href="${link('cases', p)}">${label}</a></th>`;
  };
  const offset = page.offset, limit = page.limit;
  const pageLink = delta => { const p = Object.fromEntries(params); p.offset = Math.max(0, offset + delta); return link('cases', p); };
  view.innerHTML = `
    <div class="panel">
      <div class="controls">
        ${DIMENSIONS.map(d => `<label>${d} <input data-filter="${d}" value="${esc(params.get(d) || '')}" size="12" placeholder="any"></label>`).join('')}
        <label>state <select data-filter="state">${['', 'open', 'resolved'].map(s => `<option value="${s}" ${params.get('state') === s ? 'selected' : ''}>${s || 'any'}</option>`).join('')}</select></label>
        <label>subject contains <input data-filter="q" value="${esc(params.get('q') || '')}" size="20"></label>
      </div>
      <table id="case-table">
        <thead><tr>${sortHeader('created', 'created')}<th>case</th>${sortHeader('account', 'account')}${sortHeader('subject', 'subject')}${sortHeader('status', 'status')}${sortHeader('severity', 'severity')}<th>service</th><th>lang</th>${sortHeader('changed', 'last change')}<th class="num">age</th></tr></thead>
        <tbody>${page.cases.map(c => {
          const d = c.caseDetails;
          return `<tr class="case-row"><td>${fmtTime(d.timeCreated)}</td><td><a class="case-link" href="${caseLink(c)}">${esc(d.displayId || d.caseId)}</a></td>
            <td>${esc(c.accountId)}</td><td>${esc(d.subject)}</td><td>${esc(d.status)}</td><td class="${sevClass(d.severityCode)}">${esc(d.severityCode)}</td>
            <td>${esc(d.serviceCode)}</td><td>${esc(d.language)}</td><td>${esc(c.lastChangeType)} ${fmtTime(c.lastChangedAt)}</td><td class="num">${fmtDuration(c.ageMs)}</td></tr>`;
        }).join('')}</tbody>
      </table>
      <div class="pager"><span id="case-count">${page.total}</span> cases ·
        ${offset > 0 ? `<a href="${pageLink(-limit)}">previous</a>` : ''} ${offset + limit < page.total ? `<a href="${pageLink(limit)}">next</a>` : ''}
        showing ${page.total ? offset + 1 : 0}–${Math.min(offset + limit, page.total)}</div>
    </div>`;
  view.querySelectorAll('[data-filter]').forEach(input => {
    input.onchange = () => {
      const p = Object.fromEntries(params); p.offset = 0;
      view.querySelectorAll('[data-filter]').forEach(i => { p[i.dataset.filter] = i.value.trim(); });
      location.hash = link('cases', p);
    };
  });
}

async function renderCase({ parts }) {
  const [, accountId, caseId] = parts;
  const c = await api('/api/cases/' + encodeURIComponent(accountId) + '/' + encodeURIComponent(caseId));
  const d = c.caseDetails;
  const consoleUrl = 'https://support.console.aws.amazon.com/support/home#/case/?displayId=' + encodeURIComponent(d.displayId || '');
  const events = (c.history || []).map(h => ({ at: h.observedAt, html: `<b>${esc(h.changeType)}</b> v${h.version} ${esc((h.changedFields || []).join(', '))}${h.communicationAuthor ? ' by ' + esc(h.communicationAuthor) : ''}${h.backfill ? ' <span class="badge">backfill</span>' : ''}` }))
    .concat((d.recentCommunications || []).map(m => ({ at: m.timeCreated, html: `<b>${esc(m.submittedBy)}</b> wrote<div class="comm">${esc(m.body)}</div>` })))
    .sort((a, b) => String(b.at).localeCompare(String(a.at)));
  view.innerHTML = `
    <div class="grid">
      <div class="panel" id="case-detail">
        <h2>#${esc(d.displayId)} ${esc(d.subject)}</h2>
        <dl class="details">
          <dt>status</dt><dd id="case-status">${esc(d.status)}</dd>
          <dt>severity</dt><dd class="${sevClass(d.severityCode)}">${esc(d.severityCode)}</dd>
          <dt>account</dt><dd>${esc(c.accountId)}</dd>
          <dt>case id</dt><dd>${esc(d.caseId)}</dd>
          <dt>service / category</dt><dd>${esc(d.serviceCode)} / ${esc(d.categoryCode)}</dd>
          <dt>language</dt><dd>${esc(d.language)}</dd>
          <dt>opened by</dt><dd>${esc(d.submittedBy)} at ${fmtTime(d.timeCreated)}</dd>
          <dt>cc</dt><dd>${esc((d.ccEmailAddresses || []).join(', '))}</dd>
          <dt>first seen</dt><dd>${fmtTime(c.firstSeenAt)}</dd>
          <dt>first AWS response</dt><dd>${fmtTime(c.firstAwsResponseAt)} ${c.timeToFirstAwsResponseMs != null ? '(' + fmtDuration(c.timeToFirstAwsResponseMs) + ')' : ''}</dd>
          <dt>waiting on customer since</dt><dd>${fmtTime(c.waitingOnCustomerSince)}</dd>
          <dt>resolved</dt><dd>${fmtTime(c.resolvedAt)} ${c.timeToResolveMs != null ? '(' + fmtDuration(c.timeToResolveMs) + ')' : ''}</dd>
          <dt>reopened</dt><dd>${c.reopenCount} time(s)</dd>
          <dt>version</dt><dd>${c.version}</dd>
        </dl>
        <p><a href="${consoleUrl}" rel="noreferrer">Open in the AWS Support console</a></p>
      </div>
      <div class="panel"><h3>Timeline</h3><ul class="timeline" id="timeline">${events.map(e => `<li><time>${fmtTime(e.at)}</time>${e.html}</li>`).join('')}</ul></div>
    </div>`;
}

async function renderAccounts() {
  const accounts = await api('/api/accounts');
  const badge = outcome => {
    const cls = outcome === 'ok' ? 'ok' : (outcome === 'throttled' ? 'warn' : (outcome ? 'bad' : ''));
    return `<span class="badge ${cls}">${esc(outcome || 'not read yet')}</span>`;
  };
  // With AWS Support events on: whether the account's events arrive, or stopped and it is polled at the plain fast interval.
  const events = mode => mode === 'fallen-back'
    ? ' <span class="badge warn" title="its events stopped: polled at the plain fast interval until an event arrives">events stopped</span>'
    : (mode === 'flowing' ? ' <span class="badge ok" title="AWS Support events arrive; the fast poll is the net">events</span>' : '');
  view.innerHTML = `
    <div class="panel"><table id="account-table">
      <thead><tr><th>account</th><th>name</th><th>coverage</th><th>reason</th><th>last read</th><th class="num">open</th><th class="num">cases</th></tr></thead>
      <tbody>${accounts.map(a => `<tr><td><a href="${link('cases', { account: a.accountId })}">${esc(a.accountId)}</a></td><td>${esc(a.name)}</td>
        <td>${badge(a.lastPollOutcome)}${events(a.events)}</td><td>${esc(a.lastPollReason)}</td><td>${fmtTime(a.lastPollAt)}</td>
        <td class="num">${a.openCases}</td><td class="num">${a.cases}</td></tr>`).join('')}</tbody>
    </table></div>`;
}

// What the notifier sent where: per channel target (a mail address, slack:<name>, teams:<name>, sns:<name>,
// webhook:<name>), its counts and newest notifications; a target that answered 4xx for good comes first, in red.
async function renderNotifications() {
  const n = await api('/api/notifications');
  if (!n.enabled) {
    view.innerHTML = '<div class="panel">Notifications are not followed here (query.notifications.enabled=false).</div>';
    return;
  }
  const stage = s => `<span class="badge ${s === 'sent' ? 'ok' : (s === 'intended' ? 'warn' : 'bad')}">${esc(s)}</span>`;
  const refusing = n.targets.filter(t => t.refusing);
  const status = !n.reading ? '<p class="muted">No notifier has written its ledger (casefeed.notifications) yet.</p>'
    : (n.waitingForRegistry ? '<p class="warn">Waiting for the schema registry to read the newest notifications.</p>' : '');
  const alert = refusing.length === 0 ? '' : `<div class="panel error" id="refusing-targets"><b>${refusing.length} target(s) refuse notifications</b>
    <ul>${refusing.map(t => `<li><b>${esc(t.target)}</b> since ${fmtTime(t.lastErrorAt)}: ${esc(t.lastError)}</li>`).join('')}</ul>
    Fix the target's URL, token or permissions; nothing reaches it until then. Other channels go on.</div>`;
  const counts = t => Object.entries(t.stages).map(([k, v]) => `${v} ${esc(k)}`).join(' · ');
  view.innerHTML = `${status}${alert}
    <div class="panel"><table id="notification-table">
      <thead><tr><th>channel</th><th>target</th><th>notifications</th><th>newest</th><th>last error</th></tr></thead>
      <tbody>${n.targets.map(t => `<tr class="${t.refusing ? 'refusing' : ''}" data-target="${esc(t.target)}">
        <td>${esc(t.channel)}</td><td>${esc(t.target)}</td><td>${counts(t)}</td>
        <td><ul class="recent">${t.recent.map(e => `<li><time>${fmtTime(e.at)}</time> ${esc(e.kind)} · ${esc(e.group)} ${stage(e.stage)}${e.error ? ' <span class="muted">' + esc(e.error) + '</span>' : ''}</li>`).join('')}</ul></td>
        <td>${t.lastError ? esc(t.lastError) + ' <span class="muted">(' + fmtTime(t.lastErrorAt) + ')</span>' : ''}</td></tr>`).join('')}</tbody>
    </table></div>`;
}

// Chart.js (from its WebJar, loaded by index.html) draws the Trends tab: axes, dates, values on hover.
const charts = {};
const AGE_LABELS = { '<1d': 'under 1 day', '1-3d': '1 to 3 days', '3-7d': '3 to 7 days', '7-30d': '7 to 30 days', '>30d': 'over 30 days' };

/** The last {@code count} UTC days up to today, as YYYY-MM-DD, so the axis has no gaps. */
function lastDays(count) {
  const today = new Date();
  const days = [];
  for (let i = count - 1; i >= 0; i--) {
    const d = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - i));
    days.push(d.toISOString().slice(0, 10));
  }
  return days;
}

function drawChart(id, config) {
  if (charts[id]) charts[id].destroy();
  const canvas = document.getElementById(id);
  if (!canvas || typeof Chart === 'undefined') return;
  // No animation: the page refreshes every few seconds and would otherwise replay it each time.
  config.options = Object.assign({ animation: false, responsive: true, maintainAspectRatio: false,
    interaction: { mode: 'index', intersect: false } }, config.options || {});
  charts[id] = new Chart(canvas, config);
}

function countAxis(title) {
  return { beginAtZero: true, title: { display: true, text: title }, ticks: { precision: 0 } };
}

async function renderTrends() {
  const stats = await api('/api/stats');
  const byDate = new Map(stats.perDay.map(d => [d.date, d]));
  const days = lastDays(30);
  const opened = days.map(d => (byDate.get(d) || {}).opened || 0);
  const resolved = days.map(d => (byDate.get(d) || {}).resolved || 0);
  const ageKeys = Object.keys(stats.openByAge);
  const ages = ageKeys.map(k => stats.openByAge[k]);
  const activity = opened.concat(resolved).some(v => v > 0);
  const anyOpen = ages.some(v => v > 0);
  const timing = (title, data) => `<div class="panel"><h3>${title}</h3><table><thead><tr><th>severity</th><th class="num">cases</th><th class="num">median</th><th class="num">p90</th></tr></thead>
    <tbody>${Object.entries(data.bySeverity || {}).map(([k, v]) => `<tr><td class="${sevClass(k)}">${esc(k)}</td><td class="num">${v.count}</td><td class="num">${fmtDuration(v.medianMs)}</td><td class="num">${fmtDuration(v.p90Ms)}</td></tr>`).join('')}</tbody></table></div>`;
  view.innerHTML = `
    <div class="grid">
      <div class="panel chart"><h3>Opened and resolved per day (UTC, last 30 days)</h3>
        ${activity ? '<div class="chart-box"><canvas id="chart-per-day" role="img" aria-label="Cases opened and resolved per day"></canvas></div>'
          : '<p class="empty" id="chart-per-day-empty">No case was opened or resolved in the last 30 days.</p>'}</div>
      <div class="panel chart"><h3>Open cases by age</h3>
        ${anyOpen ? '<div class="chart-box"><canvas id="chart-age" role="img" aria-label="Open cases by age"></canvas></div>'
          : '<p class="empty" id="chart-age-empty">No open case.</p>'}</div>
      ${timing('Time to first AWS response', stats.timeToFirstAwsResponse)}
      ${timing('Time to resolve', stats.timeToResolve)}
    </div>`;
  if (activity) {
    drawChart('chart-per-day', {
      type: 'bar',
      data: { labels: days, datasets: [
        { label: 'opened', data: opened, backgroundColor: '#0b6bcb' },
        { label: 'resolved', data: resolved, backgroundColor: '#2e7d32' }] },
      options: { scales: { x: { title: { display: true, text: 'day (UTC)' }, ticks: { maxRotation: 60, autoSkip: true } },
        y: countAxis('cases') } }
    });
  } else if (charts['chart-per-day']) {
    charts['chart-per-day'].destroy();
    delete charts['chart-per-day'];
  }
  if (anyOpen) {
    drawChart('chart-age', {
      type: 'bar',
      data: { labels: ageKeys.map(k => AGE_LABELS[k] || k), datasets: [{ label: 'open cases', data: ages, backgroundColor: '#e06c00' }] },
      options: { scales: { x: { title: { display: true, text: 'age since the case was opened' } }, y: countAxis('open cases') },
        plugins: { legend: { display: false } } }
    });
  } else if (charts['chart-age']) {
    charts['chart-age'].destroy();
    delete charts['chart-age'];
  }
}

const VIEWS = { pivot: renderPivot, cases: renderCases, case: renderCase, accounts: renderAccounts, trends: renderTrends,
  notifications: renderNotifications };

async function render(isRefresh) {
  const r = route();
  const name = VIEWS[r.parts[0]] ? r.parts[0] : 'pivot';
  document.querySelectorAll('nav a').forEach(a => a.classList.toggle('active', a.dataset.view === name || (name === 'case' && a.dataset.view === 'cases')));
  // A refresh must not wipe what someone is typing into a filter.
  if (isRefresh && document.activeElement && view.contains(document.activeElement) && document.activeElement.matches('input, select')) return;
  try {
    await VIEWS[name](r);
    view.dataset.rendered = location.hash || '#/pivot';
  } catch (e) {
    view.innerHTML = `<div class="panel error">Could not load: ${esc(e.message)}</div>`;
  }
}

function schedule() {
  clearInterval(refreshTimer);
  refreshTimer = setInterval(() => { renderTotals(); render(true); }, REFRESH_MS);
}

window.addEventListener('hashchange', () => { if (location.hash !== lastRoute) { lastRoute = location.hash; render(false); } });
renderTotals();
render(false);
schedule();

// SPDX-License-Identifier: Apache-2.0
// The collector's dashboard: reads the fleet API with the session cookie and
// draws it. Every value from the store reaches the page through textContent
// or an attribute set by setAttribute, never as markup, so a hostname or a
// check id holding HTML stays text. No external assets, no frameworks.
'use strict';

const SVG = 'http://www.w3.org/2000/svg';

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  for (const c of children) {
    if (c === null || c === undefined) continue;
    node.append(typeof c === 'string' || typeof c === 'number' ? String(c) : c);
  }
  return node;
}

function svg(tag, attrs) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
  return node;
}

function pct(v) {
  return v === null || v === undefined ? '–' : v.toFixed(1) + '%';
}

// An admin's change: a JSON POST (a form from elsewhere cannot make one).
async function post(path, body) {
  const res = await fetch(path, {
    method: 'POST', credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(body || {}),
  });
  if (!res.ok) throw new Error(path + ': HTTP ' + res.status);
  return res.json();
}

async function api(path) {
  const res = await fetch(path, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
  if (res.status === 401) {
    window.location.assign('/');
    throw new Error('signed out');
  }
  if (!res.ok) throw new Error(path + ': HTTP ' + res.status);
  return res.json();
}

function deviceLink(id, label) {
  return el('a', { href: '#device/' + encodeURIComponent(id), 'data-device': id }, label || id);
}

function tile(label, value, testid, cls) {
  return el('div', { class: 'tile ' + (cls || '') }, el('div', { class: 'value', 'data-testid': testid }, value),
    el('div', { class: 'label' }, label));
}

// A line chart of percentages (0-100) over labelled points.
function lineChart(points, testid) {
  const w = 640, h = 180, pad = 28;
  const root = svg('svg', { viewBox: `0 0 ${w} ${h}`, class: 'chart', role: 'img', 'data-testid': testid });
  for (const y of [0, 50, 100]) {
    const yy = h - pad - (y / 100) * (h - 2 * pad);
    root.append(svg('line', { x1: pad, x2: w - 8, y1: yy, y2: yy, class: 'grid' }));
    const t = svg('text', { x: 2, y: yy + 4, class: 'axis' });
    t.textContent = y + '%';
    root.append(t);
  }
  const xs = (i) => pad + (points.length < 2 ? (w - pad) / 2 : (i * (w - pad - 16)) / (points.length - 1));
  const ys = (v) => h - pad - (v / 100) * (h - 2 * pad);
  const drawn = points.filter((p) => p.value !== null && p.value !== undefined);
  if (drawn.length > 1) {
    const d = points.map((p, i) => (p.value === null ? null : `${xs(i)},${ys(p.value)}`)).filter(Boolean).join(' ');
    root.append(svg('polyline', { points: d, class: 'line' }));
  }
  points.forEach((p, i) => {
    if (p.value === null || p.value === undefined) return;
    const c = svg('circle', { cx: xs(i), cy: ys(p.value), r: 3.5, class: 'point' });
    const title = svg('title');
    title.textContent = `${p.label}: ${pct(p.value)}`;
    c.append(title);
    root.append(c);
  });
  if (points.length) {
    const first = svg('text', { x: pad, y: h - 6, class: 'axis' });
    first.textContent = points[0].label;
    const last = svg('text', { x: w - 8, y: h - 6, class: 'axis', 'text-anchor': 'end' });
    last.textContent = points[points.length - 1].label;
    root.append(first, last);
  }
  return root;
}

function checkBars(checks) {
  const list = el('div', { class: 'bars', 'data-testid': 'checks' });
  for (const c of checks) {
    const due = c.due || 0;
    const total = c.pass + c.fail + due + c.error + c.skip || 1;
    const bar = el('div', { class: 'bar' });
    for (const s of ['pass', 'fail', 'due', 'error', 'skip']) {
      if (!c[s]) continue;
      const part = el('span', { class: 'part ' + s, title: `${s}: ${c[s]}` });
      part.style.width = ((c[s] * 100) / total).toFixed(2) + '%';
      bar.append(part);
    }
    const drill = new URLSearchParams({ check: c.id, status: 'failing' });
    list.append(el('div', { class: 'check-row', 'data-check': c.id },
      el('div', { class: 'check-id' }, el('a', { href: inventoryHref(drill), 'data-drill': c.id, title: 'the devices failing it' }, c.id)),
      bar,
      el('div', { class: 'check-figures' },
        el('span', { class: 'pct', 'data-testid': 'check-pct' }, pct(c.compliance_percent)),
        el('span', { class: 'counts' },
          `${c.pass} pass · ${c.fail} fail${due ? ` · ${due} due (failing within grace)` : ''} · ${c.error} error · ${c.skip} skip`))));
  }
  if (!checks.length) list.append(el('p', { class: 'muted' }, 'No reports yet.'));
  return list;
}

// "3 days", "5 hours": how old a release feed is.
function age(seconds) {
  if (seconds === null || seconds === undefined) return '–';
  const d = Math.floor(seconds / 86400);
  if (d >= 1) return d + (d === 1 ? ' day' : ' days');
  const h = Math.floor(seconds / 3600);
  return h >= 1 ? h + (h === 1 ? ' hour' : ' hours') : 'under an hour';
}

function feedRows(s) {
  const limit = (s.feed_max_age_days_default || 10) * 86400;
  return s.feeds.map((f) => {
    const stale = f.age_seconds !== undefined && f.age_seconds > limit;
    return [f.name, f.feed_format || '–', f.fetched_at || '–',
      el('span', { class: 'status ' + (stale ? 'fail' : 'pass'), 'data-testid': 'feed-age' },
        age(f.age_seconds) + (stale ? ' (stale: checks that need it say error)' : '')),
      String(f.serial)];
  });
}

function table(headers, rows, testid) {
  const t = el('table', { 'data-testid': testid });
  t.append(el('thead', {}, el('tr', {}, ...headers.map((h) => el('th', {}, h)))));
  const body = el('tbody');
  for (const r of rows) body.append(el('tr', {}, ...r.map((c) => el('td', {}, c))));
  t.append(body);
  return t;
}

async function showFleet(app) {
  const s = await api('/v1/fleet/summary');
  const d = s.devices;
  document.getElementById('generated').textContent = 'as of ' + s.generated_at + ' (' + s.store + ')';
  app.replaceChildren(
    el('section', { class: 'tiles' },
      tile('fleet compliance', pct(d.compliance_percent), 'compliance', 'big'),
      tile('active devices', d.active, 'active'),
      tile('compliant', d.compliant, 'compliant', 'ok'),
      tile('non-compliant', d.noncompliant, 'noncompliant', 'bad'),
      tile('stale (' + Math.round(s.stale_after_seconds / 86400) + ' days)', d.stale, 'stale', 'warn'),
      tile('never reported', d.never_reported, 'never'),
      tile('revoked', d.revoked, 'revoked')),
    el('p', {}, el('a', { href: '#devices', 'data-testid': 'inventory-link' }, 'Every device: search, filter, sort, export →'),
      ' · ', el('a', { href: '#review', 'data-testid': 'review-link' }, 'Review: stale and duplicate devices →')),
    el('section', {}, el('h2', {}, 'Checks, least compliant first'), checkBars(s.checks)),
    el('section', {}, el('h2', {}, 'Non-compliant devices and what to fix'),
      s.noncompliant_devices.length
        ? table(['device', 'hostname', 'last report', 'failing checks and remediation'],
          s.noncompliant_devices.map((x) => [deviceLink(x.id), x.hostname || '–', x.last_report || '–',
            el('ul', { class: 'failing' }, ...x.failing.map((f) => el('li', {},
              el('strong', {}, f.check), ` ${f.status}, ${f.severity || 'no severity'}`,
              f.remediation ? el('div', { class: 'fix' }, f.remediation) : null)))]), 'noncompliant-table')
        : el('p', { class: 'muted' }, 'None.')),
    el('section', {}, el('h2', {}, 'Stale devices'),
      s.stale_devices.length
        ? table(['device', 'hostname', 'last report'],
          s.stale_devices.map((x) => [deviceLink(x.id), x.hostname || '–', x.last_report || 'never']), 'stale-table')
        : el('p', { class: 'muted' }, 'None.')),
    el('section', {}, el('h2', {}, 'Compliance per day'),
      lineChart(s.history.map((h) => ({ label: h.day, value: h.compliance_percent })), 'history-chart')),
    el('section', {}, el('h2', {}, 'Compliance per day, per check'),
      (s.history_by_check || []).length
        ? el('div', { class: 'check-history', 'data-testid': 'check-history' },
          ...s.history_by_check.map((c) => el('figure', { 'data-check': c.id },
            el('figcaption', {}, el('a', { href: inventoryHref(new URLSearchParams({ check: c.id, status: 'failing' })) }, c.id),
              ' ', el('span', { class: 'muted' }, c.days.length + (c.days.length === 1 ? ' day' : ' days'))),
            lineChart(c.days.map((d) => ({ label: d.today ? d.day + ' (now)' : d.day, value: d.compliance_percent })),
              'check-history-chart'))))
        : el('p', { class: 'muted' }, 'No days yet.')),
    el('section', {}, el('h2', {}, 'Release feeds agents get'),
      s.feeds && s.feeds.length
        ? table(['feed', 'format', 'fetched', 'age', 'serial'], feedRows(s), 'feeds-table')
        : el('p', { class: 'muted', 'data-testid': 'feeds-none' },
          'None: checks that say latest have nothing to judge by (posture-collector feed fetch).')));
}

// What an agent observed or expected, any shape of JSON, as text: objects
// as term lists, lists of objects as tables (at most 200 rows shown),
// lists of values joined.
function evidence(v, depth) {
  depth = depth || 0;
  if (v === null || v === undefined) return el('span', { class: 'muted' }, '–');
  if (typeof v !== 'object') return String(v);
  if (depth > 4) return JSON.stringify(v);
  if (Array.isArray(v)) {
    if (!v.length) return el('span', { class: 'muted' }, 'none');
    if (v.every((x) => x !== null && typeof x === 'object' && !Array.isArray(x))) {
      const cols = [];
      for (const x of v) for (const k of Object.keys(x)) if (!cols.includes(k)) cols.push(k);
      const shown = v.slice(0, 200);
      const t = table(cols, shown.map((x) => cols.map((k) => evidence(x[k], depth + 1))), 'evidence-table');
      t.classList.add('evidence');
      return v.length > shown.length
        ? el('div', {}, t, el('p', { class: 'muted' }, `and ${v.length - shown.length} more`))
        : t;
    }
    return v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(', ');
  }
  const dl = el('dl', { class: 'evidence' });
  for (const [k, x] of Object.entries(v)) dl.append(el('dt', {}, k), el('dd', {}, evidence(x, depth + 1)));
  return dl;
}

// A stored report as its device sent it (the API answers the body itself).
function reportHref(device, report) {
  return '/v1/fleet/devices/' + encodeURIComponent(device) + '/reports/' + encodeURIComponent(report);
}

// KEPT: for a page drawn again (auto-refresh), which cards were open.
function checkCard(c, kept) {
  const open = kept && kept.has(c.check) ? kept.get(c.check) : c.status === 'fail' || c.status === 'error' || c.status === 'due';
  const details = el('details', { class: 'check-card', 'data-check': c.check, 'data-testid': 'check-card' },
    el('summary', {},
      el('span', { class: 'status ' + c.status }, c.status), ' ',
      el('strong', {}, c.check), c.title ? ' ' + c.title : '',
      el('div', { class: 'message', 'data-testid': 'check-message' }, c.message || '')),
    el('dl', { class: 'facts' },
      el('dt', {}, 'since'), el('dd', { 'data-testid': 'check-since' }, c.at || '–'),
      el('dt', {}, 'severity'), el('dd', {}, c.severity || '–'),
      c.remediation ? el('dt', {}, 'fix') : null,
      c.remediation ? el('dd', { class: 'fix', 'data-testid': 'check-fix' }, c.remediation) : null),
    el('div', { class: 'evidence-pair' },
      el('div', { 'data-testid': 'check-observed' }, el('h3', {}, 'observed'), evidence(c.observed)),
      el('div', { 'data-testid': 'check-expected' }, el('h3', {}, 'expected'), evidence(c.expected))));
  if (open) details.setAttribute('open', '');
  return details;
}

// The inventory's view lives in the URL (#devices?q=...&state=...), so a
// link, a reload or the back button keeps it.
const INVENTORY_KEYS = ['q', 'state', 'check', 'status', 'os', 'owner', 'sort', 'order', 'page'];

function inventoryHref(params) {
  const p = new URLSearchParams();
  for (const k of INVENTORY_KEYS) if (params.get(k)) p.set(k, params.get(k));
  const s = p.toString();
  return '#devices' + (s ? '?' + s : '');
}

function choice(name, options, current, testid) {
  const s = el('select', { name, 'data-testid': testid });
  for (const [value, label] of options) {
    const o = el('option', { value }, label);
    if (value === (current || '')) o.setAttribute('selected', '');
    s.append(o);
  }
  return s;
}

async function showInventory(app, params) {
  const q = new URLSearchParams();
  for (const k of INVENTORY_KEYS) if (params.get(k)) q.set(k, params.get(k));
  q.set('per_page', '50');
  const inv = await api('/v1/fleet/inventory?' + q);
  const form = el('form', { class: 'filters', role: 'search', 'data-testid': 'inventory-filters' },
    el('label', {}, 'Search ', el('input', { type: 'search', name: 'q', value: params.get('q') || '', 'data-testid': 'inventory-search', placeholder: 'hostname, id, OS, agent' })),
    el('label', {}, 'State ', choice('state', [['', 'active'], ['compliant', 'compliant'], ['noncompliant', 'non-compliant'],
      ['never', 'never reported'], ['stale', 'stale'], ['revoked', 'revoked']], params.get('state'), 'inventory-state')),
    el('label', {}, 'OS ', el('input', { type: 'text', name: 'os', value: params.get('os') || '', 'data-testid': 'inventory-os' })),
    el('label', {}, 'Owner ', el('input', { type: 'text', name: 'owner', value: params.get('owner') || '', 'data-testid': 'inventory-owner' })),
    el('label', {}, 'Check ', el('input', { type: 'text', name: 'check', value: params.get('check') || '', 'data-testid': 'inventory-check' })),
    el('label', {}, 'is ', choice('status', [['', 'fail'], ['failing', 'fail, error or due'], ['error', 'error'], ['due', 'due'],
      ['pass', 'pass'], ['skip', 'skip']], params.get('status'), 'inventory-status')),
    el('button', { type: 'submit' }, 'Show'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const p = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (v) p.set(k, v);
    for (const k of ['sort', 'order']) if (params.get(k)) p.set(k, params.get(k));
    window.location.hash = inventoryHref(p);
  });
  const sort = params.get('sort') || 'hostname';
  const desc = params.get('order') === 'desc';
  const header = (key, label) => {
    const p = new URLSearchParams(params);
    p.set('sort', key);
    if (key === sort && !desc) p.set('order', 'desc'); else p.delete('order');
    p.delete('page');
    return el('th', { 'aria-sort': key === sort ? (desc ? 'descending' : 'ascending') : 'none' },
      el('a', { href: inventoryHref(p), 'data-sort': key }, label + (key === sort ? (desc ? ' ▼' : ' ▲') : '')));
  };
  const t = el('table', { 'data-testid': 'inventory-table', class: 'inventory' });
  t.append(el('thead', {}, el('tr', {}, header('hostname', 'hostname'), header('owner', 'owner'), header('os', 'OS'), header('agent', 'agent'),
    header('last_report', 'last report'), header('state', 'state'))));
  const body = el('tbody');
  for (const d of inv.devices) {
    body.append(el('tr', { 'data-device-row': d.id },
      el('td', { class: 'host' }, deviceLink(d.id, d.hostname || d.id)),
      el('td', {}, d.owner ? el('a', { href: inventoryHref(new URLSearchParams({ owner: d.owner })) }, d.owner) : '–'),
      el('td', {}, d.os || '–'), el('td', {}, d.agent_version || '–'), el('td', {}, d.last_report || 'never'),
      el('td', {}, el('span', { class: 'status ' + d.state, 'data-testid': 'device-state-cell' }, d.state), d.stale ? ' (stale)' : '')));
  }
  t.append(body);
  const pages = Math.max(1, Math.ceil(inv.total / inv.per_page));
  const pageLink = (n, label) => {
    const p = new URLSearchParams(params);
    if (n > 1) p.set('page', String(n)); else p.delete('page');
    return el('a', { href: inventoryHref(p), 'data-page': String(n) }, label);
  };
  const exportHref = (fmt) => {
    const p = new URLSearchParams();
    for (const k of INVENTORY_KEYS) if (k !== 'page' && params.get(k)) p.set(k, params.get(k));
    p.set('format', fmt);
    return '/v1/fleet/inventory?' + p;
  };
  app.replaceChildren(
    el('p', {}, el('a', { href: '#' }, '← the fleet')),
    el('h2', {}, 'Devices'),
    form,
    el('p', { class: 'muted' }, el('span', { 'data-testid': 'inventory-total' }, String(inv.total)), ' devices · export this view as ',
      el('a', { href: exportHref('csv'), download: 'devices.csv', 'data-testid': 'export-csv' }, 'CSV'), ' or ',
      el('a', { href: exportHref('json'), download: 'devices.json', 'data-testid': 'export-json' }, 'JSON')),
    el('div', { class: 'scroll' }, t),
    el('nav', { class: 'pages', 'aria-label': 'pages' },
      inv.page > 1 ? pageLink(inv.page - 1, '← previous') : null,
      el('span', { 'data-testid': 'inventory-page' }, ` page ${inv.page} of ${pages} `),
      inv.page < pages ? pageLink(inv.page + 1, 'next →') : null));
}

// Naming the owner, and retiring the device (two steps): admins' changes,
// each in the audit trail.
function deviceActions(dev) {
  if (!whoami || whoami.role !== 'admin') {
    return el('section', {}, el('h2', {}, 'Who uses it'),
      el('p', { 'data-testid': 'owner-readonly' }, dev.owner || 'No owner named.'),
      el('p', { class: 'muted', 'data-testid': 'viewer-note' }, 'Naming the owner and retiring the device need the admin role.'));
  }
  const input = el('input', { type: 'text', name: 'owner', value: dev.owner || '', placeholder: 'alice@example.com', 'data-testid': 'owner-input' });
  const form = el('form', { class: 'filters', 'data-testid': 'owner-form' },
    el('label', {}, 'Owner ', input), el('button', { type: 'submit' }, 'Save owner'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    await post('/v1/fleet/devices/' + encodeURIComponent(dev.id) + '/owner', { owner: input.value.trim() });
    route();
  });
  const confirm = el('button', { type: 'button', class: 'danger', hidden: '', 'data-testid': 'retire-confirm' }, 'Retire: revoke it and hide it');
  const retire = el('button', { type: 'button', 'data-testid': 'retire' }, 'Retire…');
  retire.addEventListener('click', () => { confirm.hidden = false; retire.hidden = true; });
  confirm.addEventListener('click', async () => {
    await post('/v1/fleet/devices/' + encodeURIComponent(dev.id) + '/retire');
    route();
  });
  return el('section', {}, el('h2', {}, 'Who uses it, and retiring it'), form,
    dev.retired_at ? el('p', { class: 'muted', 'data-testid': 'retired' }, 'Retired ' + dev.retired_at + ': revoked and left out of the lists.')
      : el('p', {}, retire, ' ', confirm));
}

async function showReview(app) {
  const r = await api('/v1/fleet/review');
  const row = (x) => [deviceLink(x.id, x.hostname || x.id), x.owner || '–', x.os || '–', x.first_seen || '–', x.last_report || 'never', x.state];
  app.replaceChildren(
    el('p', {}, el('a', { href: '#' }, '← the fleet')),
    el('h2', {}, 'Review: devices to remove'),
    el('p', { class: 'muted' }, 'Devices linked to people, to be reviewed and the unused ones removed (retired: revoked, hidden, kept for the audit).'),
    el('section', {}, el('h2', {}, `Not seen for ${Math.round(r.stale_after_seconds / 86400)} days`),
      r.stale.length ? table(['device', 'owner', 'OS', 'first seen', 'last report', 'state'], r.stale.map(row), 'review-stale')
        : el('p', { class: 'muted' }, 'None.')),
    el('section', {}, el('h2', {}, 'Hostnames enrolled more than once'),
      r.duplicates.length ? el('div', { 'data-testid': 'review-duplicates' }, ...r.duplicates.map((g) => el('div', {},
        el('h3', {}, g.hostname), table(['device', 'owner', 'OS', 'first seen', 'last report', 'state'], g.devices.map(row), 'review-duplicate'))))
        : el('p', { class: 'muted' }, 'None.')),
    el('section', {}, el('h2', {}, 'The same hardware enrolled more than once'),
      (r.duplicate_serials || []).length ? el('div', { 'data-testid': 'review-serials' }, ...r.duplicate_serials.map((g) => el('div', {},
        el('h3', {}, 'serial ' + g.serial), table(['device', 'owner', 'OS', 'first seen', 'last report', 'state'], g.devices.map(row), 'review-serial'))))
        : el('p', { class: 'muted' }, 'None.')));
}

async function showDevice(app, id) {
  let dev;
  const kept = new Map();
  if (app.dataset.view === 'device:' + id)
    for (const d of app.querySelectorAll('details[data-check]')) kept.set(d.getAttribute('data-check'), d.open);
  try {
    dev = await api('/v1/fleet/devices/' + encodeURIComponent(id));
  } catch (e) {
    app.replaceChildren(el('p', { class: 'error' }, 'No such device: ' + id), el('a', { href: '#' }, 'Back to the fleet'));
    return;
  }
  const reports = dev.reports.slice().reverse();
  const state = dev.revoked ? 'revoked' : dev.compliant === true ? 'compliant' : dev.compliant === false ? 'non-compliant' : 'never reported';
  app.replaceChildren(
    el('p', {}, el('a', { href: '#' }, '← the fleet')),
    el('h2', { 'data-testid': 'device-hostname' }, dev.hostname || dev.id),
    el('dl', { class: 'facts' },
      el('dt', {}, 'device'), el('dd', { 'data-testid': 'device-id' }, dev.id),
      el('dt', {}, 'state'), el('dd', { 'data-testid': 'device-state' }, state),
      el('dt', {}, 'owner'), el('dd', { 'data-testid': 'device-owner' },
        dev.owner ? el('a', { href: inventoryHref(new URLSearchParams({ owner: dev.owner })) }, dev.owner) : '–',
        dev.owner_source ? el('span', { class: 'muted' }, ` (from ${dev.owner_source === 'admin' ? 'an admin' : 'the enrollment'})`) : null),
      el('dt', {}, 'OS'), el('dd', {}, dev.os || '–'),
      el('dt', {}, 'agent'), el('dd', {}, dev.agent_version || '–'),
      el('dt', {}, 'first seen'), el('dd', {}, dev.first_seen || '–'),
      el('dt', {}, 'last report'), el('dd', {}, dev.last_report || '–'),
      el('dt', {}, 'reports shown'), el('dd', { 'data-testid': 'device-reports' }, dev.reports.length)),
    deviceActions(dev),
    el('section', {}, el('h2', {}, 'Checks passed, report by report'),
      lineChart(reports.map((r) => {
        const judged = r.pass + r.fail + (r.due || 0) + r.error;
        return { label: r.generated_at, value: judged ? (r.pass * 100) / judged : null };
      }), 'device-chart')),
    el('section', { 'data-testid': 'device-checks' },
      el('h2', {}, 'Latest state per check'),
      dev.evidence_report
        ? el('p', { class: 'muted' }, 'In the agent\'s words, from its newest report ',
          el('a', { href: reportHref(dev.id, dev.evidence_report), 'data-testid': 'evidence-report' }, dev.evidence_report), '.')
        : null,
      ...dev.checks.map((c) => checkCard(c, kept))),
    el('section', {}, el('h2', {}, 'State changes, newest first'),
      (dev.changes || []).length
        ? table(['when', 'check', 'from', 'to', 'report'], dev.changes.map((x) => [x.at, x.check,
          x.from ? el('span', { class: 'status ' + x.from }, x.from) : el('span', { class: 'muted' }, 'first seen'),
          el('span', { class: 'status ' + x.to }, x.to),
          el('a', { href: reportHref(dev.id, x.report_id) }, 'open')]), 'device-changes')
        : el('p', { class: 'muted' }, 'None recorded.')),
    el('section', {}, el('h2', {}, 'Reports'),
      table(['generated', 'compliant', 'pass', 'fail', 'due', 'error', 'skip', 'report'],
        dev.reports.map((r) => [r.generated_at, r.compliant ? 'yes' : 'no', r.pass, r.fail, r.due || 0, r.error, r.skip,
          el('a', { href: reportHref(dev.id, r.report_id), 'data-report': r.report_id }, 'open')]), 'device-reports-table')));
}

// Who is signed in, with which role (viewer or admin), asked once.
let whoami = null;
async function who() {
  if (!whoami) {
    whoami = await api('/v1/fleet/whoami');
    const w = document.getElementById('who');
    if (w) {
      w.textContent = `${whoami.actor} (${whoami.role})`;
      w.dataset.role = whoami.role;
    }
  }
  return whoami;
}

async function route() {
  const app = document.getElementById('app');
  const m = window.location.hash.match(/^#device\/(.+)$/);
  const inv = window.location.hash.match(/^#devices(?:\?(.*))?$/);
  document.body.dataset.ready = 'no';
  try {
    await who();
    if (m) await showDevice(app, decodeURIComponent(m[1]));
    else if (inv) await showInventory(app, new URLSearchParams(inv[1] || ''));
    else if (window.location.hash === '#review') await showReview(app);
    else await showFleet(app);
    app.dataset.view = m ? 'device:' + decodeURIComponent(m[1]) : inv ? 'devices' : 'fleet';
    document.body.dataset.ready = 'yes';
  } catch (e) {
    app.replaceChildren(el('p', { class: 'error' }, 'Cannot load: ' + e.message));
  }
}

// Auto-refresh every 30 s, keeping the view (it is in the URL), but never
// under someone typing or reading an open detail.
setInterval(() => {
  const busy = document.activeElement && ['INPUT', 'SELECT', 'TEXTAREA'].includes(document.activeElement.tagName);
  if (document.visibilityState === 'visible' && !busy && document.body.dataset.ready === 'yes') route();
}, 30000);

window.addEventListener('hashchange', route);
window.addEventListener('DOMContentLoaded', route);

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
    list.append(el('div', { class: 'check-row', 'data-check': c.id },
      el('div', { class: 'check-id' }, c.id),
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
    el('section', {}, el('h2', {}, 'Release feeds agents get'),
      s.feeds && s.feeds.length
        ? table(['feed', 'format', 'fetched', 'age', 'serial'], feedRows(s), 'feeds-table')
        : el('p', { class: 'muted', 'data-testid': 'feeds-none' },
          'None: checks that say latest have nothing to judge by (posture-collector feed fetch).')));
}

async function showDevice(app, id) {
  let dev;
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
      el('dt', {}, 'OS'), el('dd', {}, dev.os || '–'),
      el('dt', {}, 'agent'), el('dd', {}, dev.agent_version || '–'),
      el('dt', {}, 'first seen'), el('dd', {}, dev.first_seen || '–'),
      el('dt', {}, 'last report'), el('dd', {}, dev.last_report || '–'),
      el('dt', {}, 'reports shown'), el('dd', { 'data-testid': 'device-reports' }, dev.reports.length)),
    el('section', {}, el('h2', {}, 'Checks passed, report by report'),
      lineChart(reports.map((r) => {
        const judged = r.pass + r.fail + (r.due || 0) + r.error;
        return { label: r.generated_at, value: judged ? (r.pass * 100) / judged : null };
      }), 'device-chart')),
    el('section', {}, el('h2', {}, 'Latest state per check'),
      table(['check', 'status', 'severity', 'remediation', 'since'],
        dev.checks.map((c) => [c.check, el('span', { class: 'status ' + c.status }, c.status), c.severity || '–', c.remediation || '', c.at]),
        'device-checks')));
}

async function route() {
  const app = document.getElementById('app');
  const m = window.location.hash.match(/^#device\/(.+)$/);
  try {
    if (m) await showDevice(app, decodeURIComponent(m[1]));
    else await showFleet(app);
    document.body.dataset.ready = 'yes';
  } catch (e) {
    app.replaceChildren(el('p', { class: 'error' }, 'Cannot load: ' + e.message));
  }
}

window.addEventListener('hashchange', route);
window.addEventListener('DOMContentLoaded', route);

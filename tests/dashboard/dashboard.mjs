// SPDX-License-Identifier: Apache-2.0
// The collector's dashboard in a real browser: Debian's headless Chromium
// driven by playwright-core. Signs in (a wrong token first), checks the
// session cookie's flags, compares every figure shown with the store's own
// answer (`posture-collector fleet --format json`, in EXPECTED), checks that
// markup in hostnames and check ids is shown as text and never runs, opens
// a device's page and its history chart, and keeps screenshots in SHOTS.
//   URL=https://localhost:PORT TOKEN=... EXPECTED=fleet.json SHOTS=dir node dashboard.mjs
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';

const url = process.env.URL;
const token = process.env.TOKEN;
const expected = JSON.parse(readFileSync(process.env.EXPECTED, 'utf8'));
const shots = process.env.SHOTS;
const hostileHost = process.env.HOSTILE_HOST;
const hostileCheck = process.env.HOSTILE_CHECK;
const failures = [];

function check(ok, what) {
  if (!ok) failures.push(what);
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
}

const pct = (v) => (v === null || v === undefined ? '–' : v.toFixed(1) + '%');

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: process.getuid && process.getuid() === 0 ? ['--no-sandbox'] : [],
});
try {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  const dialogs = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
  const consoleErrors = [];
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });

  // the API refuses the browser before it signs in
  const before = await page.request.get(url + '/v1/fleet/summary');
  check(before.status() === 401, `fleet API without a session: ${before.status()}`);

  await page.goto(url + '/');
  check(await page.isVisible('#token'), 'the sign-in page is shown first');
  await page.fill('#token', 'not-the-token');
  await Promise.all([page.waitForNavigation(), page.click('#sign-in')]);
  check(await page.isVisible('#login-error'), 'a wrong token is refused with a message');
  consoleErrors.length = 0; // the refused sign-in's 401 was expected
  await page.fill('#token', token);
  await Promise.all([page.waitForNavigation(), page.click('#sign-in')]);
  await page.waitForSelector('body[data-ready="yes"]', { timeout: 15000 });

  const cookie = (await context.cookies()).find((c) => c.name === 'posture_session');
  check(cookie && cookie.httpOnly && cookie.secure && cookie.sameSite === 'Strict',
    `session cookie HttpOnly, Secure, SameSite=Strict: ${JSON.stringify(cookie && { h: cookie.httpOnly, s: cookie.secure, ss: cookie.sameSite })}`);
  check(await page.evaluate(() => document.cookie.includes('posture_session')) === false,
    'scripts cannot read the session cookie');

  const d = expected.devices;
  const text = async (sel) => (await page.textContent(sel)).trim();
  check(await text('[data-testid=compliance]') === pct(d.compliance_percent), `fleet compliance ${pct(d.compliance_percent)}`);
  for (const k of ['active', 'compliant', 'noncompliant', 'stale', 'revoked']) {
    const shown = await text(`[data-testid=${k}]`);
    check(shown === String(d[k]), `${k}: shown ${shown}, store ${d[k]}`);
  }
  const never = await text('[data-testid=never]');
  check(never === String(d.never_reported), `never reported: shown ${never}, store ${d.never_reported}`);

  // one bar per check, in the store's order, each with its percentage
  const rows = await page.$$eval('.check-row', (els) => els.map((e) => ({
    id: e.getAttribute('data-check'),
    shownId: e.querySelector('.check-id').textContent,
    pct: e.querySelector('[data-testid=check-pct]').textContent,
    markup: e.querySelector('.check-id').querySelectorAll('*:not(a[data-drill])').length,
  })));
  check(rows.length === expected.checks.length, `${rows.length} check bars for ${expected.checks.length} checks`);
  expected.checks.forEach((c, i) => {
    const r = rows[i] || {};
    check(r.id === c.id && r.shownId === c.id && r.pct === pct(c.compliance_percent),
      `check ${JSON.stringify(c.id)}: ${r.pct} shown, ${pct(c.compliance_percent)} stored`);
  });

  // a failure within its grace period: counted as due by the store, with its
  // own part of the check's bar and its count shown
  const graceCheck = expected.checks.find((c) => c.id === 'grace-hosts');
  check(graceCheck !== undefined && graceCheck.due > 0, `the store counts the failure within grace as due (${JSON.stringify(graceCheck)})`);
  const graceRow = await page.$$eval('.check-row[data-check="grace-hosts"]', (els) => els.map((e) => ({
    part: e.querySelector('.part.due') !== null, counts: e.querySelector('.counts').textContent })));
  check(graceRow.length === 1 && graceRow[0].part && graceRow[0].counts.includes(`${graceCheck ? graceCheck.due : '?'} due`),
    `the grace check shown due: ${JSON.stringify(graceRow)}`);

  // markup stays text
  check(rows.some((r) => r.shownId === hostileCheck && r.markup === 0), `check id ${JSON.stringify(hostileCheck)} shown as text`);
  const hostCells = await page.$$eval('td', (els) => els.map((e) => e.textContent));
  if (expected.noncompliant_devices.length) {
    check(hostCells.includes(hostileHost), `hostname ${JSON.stringify(hostileHost)} shown as text`);
    const ncRows = await page.$$eval('[data-testid=noncompliant-table] tbody tr', (els) => els.length);
    check(ncRows === expected.noncompliant_devices.length, `${ncRows} non-compliant devices listed, ${expected.noncompliant_devices.length} stored`);
  }
  check(await page.$$eval('img, main b, main script', (els) => els.length) === 0, 'no element injected from the data');
  check(dialogs.length === 0, `no script from the data ran (dialogs: ${dialogs.join(', ')})`);
  // each release feed with its age, the stale one marked
  const feeds = await page.$$eval('[data-testid=feeds-table] tbody tr',
    (els) => els.map((e) => Array.from(e.children).map((c) => c.textContent)));
  check(feeds.length === expected.feeds.length && feeds.length === 2, `${feeds.length} release feeds listed, ${expected.feeds.length} stored`);
  const chromeFeed = feeds.find((f) => f[0] === 'chrome-mac.json');
  const ffFeed = feeds.find((f) => f[0] === 'firefox_versions.json');
  check(chromeFeed && !chromeFeed[3].includes('stale'), `the feed fetched now is not stale: ${JSON.stringify(chromeFeed)}`);
  check(ffFeed && /^20 days \(stale/.test(ffFeed[3]), `the feed fetched 20 days ago is shown stale: ${JSON.stringify(ffFeed)}`);
  const hist = await page.$$eval('[data-testid=history-chart] circle', (els) => els.length);
  check(hist === expected.history.filter((h) => h.compliance_percent !== null).length, `compliance per day: ${hist} points`);
  // compliance per day and check: a chart per check, a point per day judged
  const perCheck = await page.$$eval('[data-testid=check-history] figure',
    (els) => els.map((f) => [f.dataset.check, f.querySelectorAll('circle').length]));
  const wantPerCheck = expected.history_by_check.map((c) => [c.id, c.days.filter((d) => d.compliance_percent !== null).length]);
  check(JSON.stringify(perCheck) === JSON.stringify(wantPerCheck),
    `compliance per day per check: ${JSON.stringify(perCheck)}, stored ${JSON.stringify(wantPerCheck)}`);
  check(expected.history_by_check.some((c) => c.days.length >= 2 && !c.days[0].today),
    'the per-check history has a day rolled up before today');
  await page.screenshot({ path: `${shots}/dashboard.png`, fullPage: true });

  // the Windows device beside the Linux ones, each with its OS
  const winId = process.env.WINDOWS_DEVICE;
  const linuxId = process.env.LINUX_DEVICE;
  const macId = process.env.MACOS_DEVICE;
  const listed = await page.$$eval('a[data-device]', (els) => els.map((e) => e.getAttribute('data-device')));
  check(listed.includes(winId) && listed.includes(linuxId) && listed.includes(macId),
    `the Windows device ${winId} and the Mac ${macId} listed beside the Linux one ${linuxId}`);
  for (const [id, os] of [[winId, 'Windows'], [macId, 'macOS'], [linuxId, 'Linux']]) {
    await page.click(`a[data-device="${id}"]`);
    await page.waitForSelector('[data-testid=device-id]');
    const shown = await page.$$eval('dt', (els) => {
      const dt = els.find((e) => e.textContent === 'OS');
      return dt ? dt.nextElementSibling.textContent : '';
    });
    check(shown.includes(os), `device ${id}: OS shown as ${JSON.stringify(shown)}, expected ${os}`);
    if (os !== 'Linux') await page.screenshot({ path: `${shots}/device-${os.toLowerCase()}.png`, fullPage: true });
    await page.goBack();
    await page.waitForSelector('a[data-device]');
  }

  // a device's page with its history
  const first = await page.$(`a[data-device]:not([data-device="${winId}"]):not([data-device="${macId}"])`);
  check(first !== null, 'devices link to their page');
  if (first) {
    const id = await first.getAttribute('data-device');
    await first.click();
    await page.waitForSelector('[data-testid=device-id]');
    check(await text('[data-testid=device-id]') === id, `device page for ${id}`);
    const reports = Number(await text('[data-testid=device-reports]'));
    const points = await page.$$eval('[data-testid=device-chart] circle', (els) => els.length);
    check(reports > 0 && points === reports, `device history chart: ${points} points for ${reports} reports`);
    check((await text('[data-testid=device-hostname]')) === hostileHost, 'device hostname shown as text');
    // every check with its evidence, in the agent's words (the report the
    // device sent), failures and errors open
    const sent = JSON.parse(readFileSync(process.env.LINUX_REPORT, 'utf8'));
    const cards = await page.$$eval('[data-testid=check-card]', (els) => els.map((e) => ({
      check: e.getAttribute('data-check'),
      message: e.querySelector('[data-testid=check-message]').textContent,
      observed: e.querySelector('[data-testid=check-observed]').textContent,
      open: e.open,
    })));
    check(cards.length === sent.results.length, `${cards.length} checks shown with evidence, ${sent.results.length} in the report`);
    for (const r of sent.results) {
      const card = cards.find((c) => c.check === r.id);
      check(card && card.message === r.message, `check ${JSON.stringify(r.id)}: the agent's message shown (${JSON.stringify(card && card.message)})`);
      if (card && (r.status === 'fail' || r.status === 'error')) check(card.open, `check ${r.id} (${r.status}) shown open`);
      if (card && r.observed && Object.keys(r.observed).length)
        check(card.observed.length > 'observed'.length, `check ${r.id}: what the agent observed shown`);
    }
    // its state changes: at least each check's first state
    const changeRows = await page.$$eval('[data-testid=device-changes] tbody tr', (els) => els.length);
    check(changeRows >= sent.results.length, `state changes listed: ${changeRows} for ${sent.results.length} checks`);
    // the newest report opens as the device sent it
    const href = await page.getAttribute('[data-testid=evidence-report]', 'href');
    const opened = await page.request.get(url + href);
    const body = opened.ok() ? JSON.parse(await opened.text()) : null;
    check(body && body.results.length === sent.results.length && body.results[1].message === sent.results[1].message,
      `the newest report opens from the page (${opened.status()})`);
    await page.screenshot({ path: `${shots}/device.png`, fullPage: true });
  }

  // the inventory: every device, hostname first, with search, filters,
  // sorting, pages, a URL that keeps the view, and export
  await page.goto(url + '/#');
  await page.waitForSelector('[data-testid=inventory-link]');
  await Promise.all([page.waitForSelector('[data-testid=inventory-table]'), page.click('[data-testid=inventory-link]')]);
  const invTotal = Number(await text('[data-testid=inventory-total]'));
  check(invTotal === d.active, `the inventory lists every active device: ${invTotal} of ${d.active}`);
  const invRows = () => page.$$eval('[data-testid=inventory-table] tbody tr', (els) => els.map((e) => ({
    id: e.getAttribute('data-device-row'), host: e.children[0].textContent, owner: e.children[1].textContent,
    os: e.children[2].textContent, state: e.children[5].textContent })));
  // a fleet of a thousand and more: pages of 50, each a click away
  const pageText = await text('[data-testid=inventory-page]');
  check(d.active >= 1000 && (await invRows()).length === 50 && pageText === `page 1 of ${Math.ceil(d.active / 50)}`,
    `${d.active} devices in pages of 50: ${JSON.stringify(pageText)}`);
  await Promise.all([page.waitForFunction(() => location.hash.includes('page=2')), page.click('nav.pages a')]);
  await page.waitForFunction(() => document.querySelector('[data-testid=inventory-page]').textContent.includes('page 2 of'));
  check((await invRows()).length === 50, 'the next page shows the next 50');
  // (a view changes: wait for its rows, not any rows)
  const onlyRow = (id) => page.waitForFunction((want) => {
    const rows = document.querySelectorAll('[data-testid=inventory-table] tbody tr');
    return rows.length === 1 && rows[0].getAttribute('data-device-row') === want;
  }, id);
  const totalIs = (n) => page.waitForFunction((want) => {
    const t = document.querySelector('[data-testid=inventory-total]');
    return t && Number(t.textContent) === want && document.body.dataset.ready === 'yes';
  }, n);
  await page.goto(url + '/#devices?state=compliant');
  await totalIs(d.compliant);
  check(Number(await text('[data-testid=inventory-total]')) === d.compliant &&
    (await invRows()).every((r) => r.state.startsWith('compliant')), `the compliant devices listed too: ${d.compliant}`);
  // a filter by OS: every row that OS; with a search, the one device; the
  // view in the URL, kept by a reload
  await page.goto(url + '/#devices');
  await page.waitForSelector('[data-testid=inventory-table]');
  await page.fill('[data-testid=inventory-os]', 'windows');
  await Promise.all([page.waitForFunction(() => location.hash.includes('os=windows')), page.press('[data-testid=inventory-os]', 'Enter')]);
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=inventory-table] tbody tr')].every((r) => /windows/i.test(r.children[2].textContent)));
  let shownRows = await invRows();
  check(shownRows.length > 1 && shownRows.every((r) => /windows/i.test(r.os)), `OS filter windows: ${shownRows.length} rows, all Windows`);
  await page.goto(url + '/#devices?os=windows&q=' + encodeURIComponent(winId.slice(0, 8)));
  await onlyRow(winId);
  await page.reload();
  await page.waitForSelector('[data-testid=inventory-table]');
  shownRows = await invRows();
  check(shownRows.length === 1 && shownRows[0].id === winId && (await page.inputValue('[data-testid=inventory-os]')) === 'windows',
    'a reload keeps the filtered view');
  // a search by hostname among the thousand
  await page.goto(url + '/#devices?q=seed-0777.corp');
  await onlyRow('5eed0000-0000-4000-8000-000000000777');
  shownRows = await invRows();
  check(shownRows.length === 1 && shownRows[0].host === 'seed-0777.corp.example.com', `search by hostname: ${JSON.stringify(shownRows)}`);
  await page.goto(url + '/#devices?q=' + encodeURIComponent(macId.slice(0, 8)));
  await onlyRow(macId);
  shownRows = await invRows();
  check(shownRows.length === 1 && shownRows[0].id === macId, `search by part of an id: ${JSON.stringify(shownRows)}`);
  // sorting by hostname, both ways
  await page.goto(url + '/#devices?sort=hostname&order=desc');
  await page.waitForSelector('th[aria-sort=descending] a[data-sort=hostname]');
  const hostsDesc = (await invRows()).map((r) => r.host.toLowerCase());
  check(hostsDesc.every((h, i) => i === 0 || hostsDesc[i - 1] >= h), `sorted by hostname, descending: ${JSON.stringify(hostsDesc)}`);
  // a check drilled into from the fleet page: its failing devices
  const failingCheck = expected.checks.find((c) => c.fail + c.error + (c.due || 0) > 0 && c.id !== hostileCheck);
  await page.goto(url + '/#');
  await page.waitForSelector(`a[data-drill="${failingCheck.id}"]`);
  await Promise.all([page.waitForFunction(() => location.hash.startsWith('#devices')), page.click(`a[data-drill="${failingCheck.id}"]`)]);
  await page.waitForSelector('[data-testid=inventory-table]');
  const drilled = Number(await text('[data-testid=inventory-total]'));
  const want = failingCheck.fail + failingCheck.error + (failingCheck.due || 0);
  check(drilled === want, `check ${failingCheck.id} drilled into: ${drilled} devices failing it, the store counts ${want}`);
  // export of the current view
  const csvHref = await page.getAttribute('[data-testid=export-csv]', 'href');
  const csv = await (await page.request.get(url + csvHref)).text();
  const csvLines = csv.trim().split('\r\n');
  check(csvLines[0].startsWith('hostname,id,owner,os') && csvLines.length === drilled + 1, `CSV export of the view: ${csvLines.length - 1} rows for ${drilled}`);
  const jsonHref = await page.getAttribute('[data-testid=export-json]', 'href');
  const exported = await (await page.request.get(url + jsonHref)).json();
  check(exported.devices.length === drilled, `JSON export of the view: ${exported.devices.length} devices`);
  // 390 px (a phone) and 1366 px (a laptop): nothing scrolls the page
  // sideways, on the fleet, the inventory, a device and the review
  for (const width of [390, 1366]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 768 });
    for (const view of ['#', '#devices', '#device/' + encodeURIComponent(linuxId), '#review']) {
      await page.goto(url + '/' + view);
      await page.waitForSelector('body[data-ready="yes"]');
      await page.waitForTimeout(50);
      const wide = await page.evaluate(() => document.documentElement.scrollWidth);
      check(wide <= width, `at ${width} px, ${view} is ${wide} px wide (no sideways scrolling)`);
    }
    await page.screenshot({ path: `${shots}/review-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1200, height: 900 });

  // devices and people: an owner named on the device's page, that person's
  // devices, the review of duplicates, and retiring a device
  await page.goto(url + '/#device/' + encodeURIComponent(linuxId));
  await page.waitForSelector('[data-testid=owner-form]');
  await page.fill('[data-testid=owner-input]', 'alice@example.com');
  await Promise.all([
    page.waitForFunction(() => (document.querySelector('[data-testid=device-owner]') || {}).textContent?.includes('alice@example.com (from an admin)')),
    page.click('[data-testid=owner-form] button'),
  ]);
  const ownerShown = await text('[data-testid=device-owner]');
  check(ownerShown === 'alice@example.com (from an admin)', `an owner named from the device page: ${JSON.stringify(ownerShown)}`);
  await page.goto(url + '/#devices?owner=' + encodeURIComponent('alice@example.com'));
  await onlyRow(linuxId);
  shownRows = await invRows();
  check(shownRows.length === 1 && shownRows[0].id === linuxId, `alice's devices: ${JSON.stringify(shownRows)}`);
  await page.goto(url + '/#review');
  await page.waitForSelector('body[data-ready="yes"]');
  const dupGroups = await page.$$eval('[data-testid=review-duplicate]', (els) => els.map((e) => e.querySelectorAll('tbody tr').length));
  check(dupGroups.some((n) => n >= 3), `the review lists the hostname enrolled three times: ${JSON.stringify(dupGroups)}`);
  await page.goto(url + '/#device/' + encodeURIComponent(linuxId));
  await page.waitForSelector('[data-testid=retire]');
  await page.click('[data-testid=retire]');
  await Promise.all([page.waitForSelector('[data-testid=retired]'), page.click('[data-testid=retire-confirm]')]);
  await page.goto(url + '/#devices');
  await page.waitForSelector('[data-testid=inventory-table]');
  const afterRetire = Number(await text('[data-testid=inventory-total]'));
  check(afterRetire === d.active - 1, `a retired device leaves the inventory: ${afterRetire} of ${d.active} left`);
  await page.goto(url + '/#devices?state=retired');
  await onlyRow(linuxId);
  check((await invRows())[0].id === linuxId, 'and is found again with state=retired');
  const forged = await page.request.post(url + '/v1/fleet/devices/' + encodeURIComponent(winId) + '/retire',
    { headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, data: 'x=1' });
  check(forged.status() === 415, `a form post cannot retire a device: ${forged.status()}`);

  // signing out ends the session
  await Promise.all([page.waitForNavigation(), page.click('#sign-out')]);
  const after = await page.request.get(url + '/v1/fleet/summary');
  check(after.status() === 401, `fleet API after signing out: ${after.status()}`);
  check(consoleErrors.length === 0, `no errors in the console (${consoleErrors.join('; ')})`);

  // OpenID Connect against a real provider (oidc-provider from npm): each
  // person signs in in a browser of their own, with the role their groups
  // give (alice admin, bob viewer), or none (carol: refused)
  const oidcSignIn = async (who) => {
    const ctx = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1200, height: 900 } });
    const p = await ctx.newPage();
    await p.goto(url + '/');
    await Promise.all([p.waitForNavigation(), p.click('#sign-in-oidc')]);
    check(p.url().startsWith(process.env.IDP), `${who}: sent to the issuer (${p.url().slice(0, 40)}…)`);
    await p.fill('input[name=login]', who);
    await p.fill('input[name=password]', 'any');
    await Promise.all([p.waitForNavigation(), p.click('button[type=submit]')]);
    // the provider asks for consent once
    if (p.url().startsWith(process.env.IDP) && await p.isVisible('button[type=submit]')) {
      await Promise.all([p.waitForNavigation(), p.click('button[type=submit]')]);
    }
    return { ctx, p };
  };
  for (const [who, role] of [['alice', 'admin'], ['bob', 'viewer']]) {
    const { ctx, p } = await oidcSignIn(who);
    await p.waitForSelector('body[data-ready="yes"]', { timeout: 15000 });
    const shown = (await p.textContent('[data-testid=who]')).trim();
    check(shown.includes(`${who}@example.com`) && shown.endsWith(`(${role})`), `${who} signed in with OpenID Connect as ${role}: ${JSON.stringify(shown)}`);
    const c = (await ctx.cookies()).find((k) => k.name === 'posture_session');
    check(c && c.httpOnly && c.secure && c.sameSite === 'Strict', `${who}'s session cookie is HttpOnly, Secure, SameSite=Strict`);
    await p.goto(url + '/#device/' + encodeURIComponent(winId));
    await p.waitForSelector('body[data-ready="yes"]');
    const canEdit = await p.isVisible('[data-testid=owner-form]');
    check(canEdit === (role === 'admin'), `${who} (${role}) ${role === 'admin' ? 'can' : 'cannot'} name the owner on the device page`);
    const change = await p.request.post(url + '/v1/fleet/devices/' + encodeURIComponent(winId) + '/owner',
      { headers: { 'Content-Type': 'application/json' }, data: { owner: `${who}@example.com` } });
    check(change.status() === (role === 'admin' ? 200 : 403), `${who} (${role}) changing an owner over the API: ${change.status()}`);
    await p.screenshot({ path: `${shots}/oidc-${who}.png`, fullPage: true });
    await ctx.close();
  }
  {
    const { ctx, p } = await oidcSignIn('carol');
    const body = await p.textContent('body');
    check(/no role here/.test(body) && !(await ctx.cookies()).some((k) => k.name === 'posture_session'),
      `carol, whose groups give no role, is refused without a session: ${JSON.stringify(body.slice(0, 120))}`);
    await ctx.close();
  }
  // a return from the issuer this browser did not start is refused
  {
    const ctx = await browser.newContext({ ignoreHTTPSErrors: true });
    const r = await ctx.request.get(url + '/oidc/callback?state=forged&code=forged');
    check(r.status() === 400, `a forged return from the issuer: ${r.status()}`);
    await ctx.close();
  }
} finally {
  await browser.close();
}
if (failures.length) {
  console.log(`dashboard: ${failures.length} failure(s)`);
  process.exit(1);
}
console.log('dashboard: all checks passed');

// SPDX-License-Identifier: Apache-2.0
// The inventory page in Debian's headless Chromium (bench/inventory.sh):
// from the navigation to the page saying it is ready (its table drawn from
// GET /v1/fleet/inventory), for each VIEW, median and worst of RUNS.
//   URL=https://localhost:PORT TOKEN=... RUNS=11 node bench/inventory_page.mjs VIEW...
import { chromium } from '../tests/dashboard/node_modules/playwright-core/index.mjs';

const url = process.env.URL;
const runs = Number(process.env.RUNS || 11);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update'],
});
try {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  await page.goto(url + '/');
  await page.fill('#token', process.env.TOKEN);
  await Promise.all([page.waitForNavigation(), page.click('#sign-in')]);
  await page.waitForSelector('body[data-ready="yes"]', { timeout: 30000 });
  for (const view of process.argv.slice(2)) {
    const times = [];
    for (let i = 0; i < runs; i++) {
      await page.goto('about:blank');
      const t0 = Date.now();
      await page.goto(url + '/' + view);
      await page.waitForSelector('body[data-ready="yes"] [data-testid=inventory-table]', { timeout: 30000 });
      times.push(Date.now() - t0);
    }
    times.sort((a, b) => a - b);
    const rows = await page.$$eval('[data-testid=inventory-table] tbody tr', (els) => els.length);
    const total = (await page.textContent('[data-testid=inventory-total]')).trim();
    console.log(`${view.padEnd(46)} median ${times[Math.floor(runs / 2)]} ms, worst ${times[runs - 1]} ms (${rows} rows shown of ${total})`);
  }
} finally {
  await browser.close();
}

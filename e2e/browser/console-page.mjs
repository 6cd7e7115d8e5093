// Looks at the modelcast console in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core), as a person would: waits until the live view shows every scoring subtask with a
// version, runs the publish command, and times until the page shows the new version on every subtask;
// checks that the charts have drawn their data (pixels of the series' colours on the canvas, not just
// a canvas) — records/s, versions, AUC per version, scores — and that the results search finds an input. Prints {"shownAfterMs", "subtasks",
// "throughputPixels", "versionPixels", "found"}; saves a screenshot.
//
//   node console-page.mjs --url http://127.0.0.1:8090 --publish '["bin/fitter","fit","--models","/m"]'
//                         --search 13 --token TOKEN [--screenshot console.png] [--timeout-ms 60000]
// Then tries an action: "roll back" without the token (refused), and with it (done).
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';

function options(argv) {
  const parsed = { screenshot: 'console.png', 'timeout-ms': '60000' };
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || argv[i + 1] === undefined) throw new Error(`expected --name value pairs, got ${argv[i]}`);
    parsed[argv[i].slice(2)] = argv[i + 1];
  }
  for (const required of ['url', 'publish', 'search', 'token']) {
    if (!parsed[required]) throw new Error(`--${required} is required`);
  }
  return parsed;
}

/** The versions the live table shows, one per subtask, in the page's order. */
async function shownVersions(page) {
  return page.$$eval('#jobs table.subtasks tbody tr', rows => rows.map(row => row.cells[1].textContent));
}

/** How many pixels of a colour (r, g, b, within a tolerance) the canvas under a selector holds. */
async function pixels(page, selector, [r, g, b]) {
  return page.$eval(selector, (canvas, color) => {
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let count = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] > 0 && Math.abs(data[i] - color[0]) < 24 && Math.abs(data[i + 1] - color[1]) < 24
          && Math.abs(data[i + 2] - color[2]) < 24) count++;
    }
    return count;
  }, [r, g, b]);
}

const opts = options(process.argv.slice(2));
const timeout = Number(opts['timeout-ms']);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
         '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.setDefaultTimeout(timeout);
  await page.goto(opts.url);

  // Every subtask shows a version, the same one.
  await page.waitForFunction(() => {
    const cells = [...document.querySelectorAll('#jobs table.subtasks tbody tr')].map(r => r.cells[1].textContent);
    return cells.length > 0 && cells.every(c => /^[0-9]+$/.test(c) && c === cells[0]);
  });
  const before = Number((await shownVersions(page))[0]);

  execFileSync(JSON.parse(opts.publish)[0], JSON.parse(opts.publish).slice(1), { stdio: 'ignore' });
  const published = Date.now();
  await page.waitForFunction(expected => {
    const cells = [...document.querySelectorAll('#jobs table.subtasks tbody tr')].map(r => r.cells[1].textContent);
    return cells.length > 0 && cells.every(c => c === String(expected));
  }, before + 1, { polling: 50 });
  const shownAfterMs = Date.now() - published;
  const subtasks = (await shownVersions(page)).length;

  // A few more snapshots, so the records/s line has points on both sides of the swap.
  await page.waitForTimeout(1500);
  const throughputPixels = await pixels(page, '#throughput-chart canvas', [31, 119, 180]);
  // The subtasks' lines lie on each other while they score with one version: count both colours.
  const versionPixels = await pixels(page, '#versions-chart canvas', [214, 39, 40])
      + await pixels(page, '#versions-chart canvas', [44, 160, 44]);

  // The evidence the console follows (the test writes a few records): the AUC and score charts drawn.
  await page.waitForFunction(() => /evaluation\(s\)/.test(document.getElementById('evidence-state').textContent));
  await page.waitForSelector('#auc-chart canvas');
  await page.waitForSelector('#scores-chart canvas');
  const aucPixels = await pixels(page, '#auc-chart canvas', [31, 119, 180]);
  const scorePixels = await pixels(page, '#scores-chart canvas', [31, 119, 180]);

  await page.fill('#search input[name=contains]', opts.search);
  await page.click('#search button[type=submit]');
  await page.waitForFunction(() => document.querySelectorAll('#results-table tbody tr').length > 0);
  const found = await page.$$eval('#results-table tbody td.input', cells => cells.map(c => c.textContent));

  await page.screenshot({ path: opts.screenshot, fullPage: true });

  // An action, confirmed in the dialog: refused without the token, done with it.
  page.on('dialog', dialog => dialog.accept());
  const rollBack = page.getByRole('button', { name: 'roll back default' });
  await rollBack.click();
  await page.waitForFunction(() => /refused|published/.test(document.getElementById('action-state').textContent));
  const withoutToken = await page.textContent('#action-state');
  await page.fill('#token', opts.token);
  await rollBack.click();
  await page.waitForFunction(() => /published version/.test(document.getElementById('action-state').textContent));
  const withToken = await page.textContent('#action-state');
  console.log(JSON.stringify({ shownAfterMs, subtasks, throughputPixels, versionPixels, aucPixels, scorePixels, found,
    withoutToken, withToken }));
} catch (error) {
  const pages = browser.contexts().flatMap(context => context.pages());
  if (pages.length > 0) {
    await pages[0].screenshot({ path: opts.screenshot.replace(/\.png$/, '-failed.png'), fullPage: true }).catch(() => {});
  }
  console.error(`console page check failed: ${error.message}`);
  process.exitCode = 1;
} finally {
  await browser.close();
}

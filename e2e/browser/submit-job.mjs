// Submits a job through the Flink web UI's "Submit New Job" page, as a person would, in headless
// Chromium (Debian's /usr/bin/chromium, driven by playwright-core): uploads the jar, leaves the
// entry class to the jar's manifest, types the program arguments, submits, and waits until the
// Running Jobs list shows the job RUNNING. Prints {"jobId": "..."}; saves a screenshot.
//
//   node submit-job.mjs --url http://127.0.0.1:8081 --jar job.jar --args "--models /m --port 9999"
//                       [--parallelism 2] [--screenshot shot.png] [--timeout-ms 60000]
import { chromium } from 'playwright-core';

function options(argv) {
  const parsed = { parallelism: '1', screenshot: 'web-ui-submit.png', 'timeout-ms': '60000' };
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || argv[i + 1] === undefined) {
      throw new Error(`expected --name value pairs, got ${argv[i]}`);
    }
    parsed[argv[i].slice(2)] = argv[i + 1];
  }
  for (const required of ['url', 'jar', 'args']) {
    if (!parsed[required]) throw new Error(`--${required} is required`);
  }
  return parsed;
}

const opts = options(process.argv.slice(2));
const timeout = Number(opts['timeout-ms']);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
         '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.setDefaultTimeout(timeout);

  await page.goto(`${opts.url}/#/submit`);
  await page.setInputFiles('#upload-file', opts.jar);
  const jarName = opts.jar.split('/').pop();
  await page.getByRole('cell', { name: jarName, exact: true }).first().click();

  // The jar's manifest names the entry class: nothing to type there.
  // (Each uploaded jar has a form; only the one of the clicked jar is shown.)
  const field = (placeholder) => page.getByPlaceholder(placeholder).filter({ visible: true });
  const entryClass = await field('Entry Class').inputValue();
  if (!entryClass) {
    throw new Error('the web UI found no entry class in the jar (Main-Class missing from its manifest)');
  }
  await field('Parallelism').fill(opts.parallelism);
  await field('Program Arguments').fill(opts.args);
  await page.getByRole('button', { name: 'Submit' }).filter({ visible: true }).click();

  await page.waitForURL(/#\/job\/running\/[0-9a-f]{32}/);
  const jobId = page.url().match(/#\/job\/running\/([0-9a-f]{32})/)[1];

  await page.goto(`${opts.url}/#/job/running`);
  await page.locator('tr').filter({ hasText: 'modelcast' }).filter({ hasText: 'RUNNING' }).first().waitFor();
  await page.screenshot({ path: opts.screenshot, fullPage: true });
  console.log(JSON.stringify({ jobId, entryClass }));
} catch (error) {
  const pages = browser.contexts().flatMap((context) => context.pages());
  if (pages.length > 0) {
    await pages[0].screenshot({ path: opts.screenshot.replace(/\.png$/, '-failed.png'), fullPage: true }).catch(() => {});
  }
  console.error(`web UI submission failed: ${error.message}`);
  process.exitCode = 1;
} finally {
  await browser.close();
}

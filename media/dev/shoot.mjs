#!/usr/bin/env node
// page.evaluate() callbacks run in the page.
/* global document */
// Screenshots of the dashboard harness in headless Chromium, per theme and tab, with every console
// message and CSP violation printed (and a non-zero exit if there was an error).
//   node media/dev/shoot.mjs --url http://127.0.0.1:8377/ [--out DIR] [--themes dark,light]
//        [--tabs overview,process,storage] [--width 1280] [--height 1000] [--wait 4000] [--prefix dashboard]
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const arg = (n, d) => {
  const i = args.indexOf(`--${n}`);
  return i >= 0 ? args[i + 1] : d;
};
const base = arg('url', 'http://127.0.0.1:8377/');
const out = arg('out', '/tmp/vitals-shots');
const themes = arg('themes', 'dark,light').split(',');
const tabs = arg('tabs', 'overview,process,storage').split(',');
const width = Number(arg('width', '1280'));
const height = Number(arg('height', '1000'));
const wait = Number(arg('wait', '4000'));
const prefix = arg('prefix', 'dashboard');
const processName = arg('process', '');
mkdirSync(out, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'],
});
let errors = 0;
try {
  for (const theme of themes) {
    const page = await browser.newPage({ viewport: { width, height }, deviceScaleFactor: 1 });
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') errors += m.type() === 'error' ? 1 : 0;
      console.log(`[${theme}] console.${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => {
      errors++;
      console.log(`[${theme}] pageerror: ${e.message}`);
    });
    for (const tab of tabs) {
      await page.goto(`${base}?theme=${theme}&tab=${tab}`, { waitUntil: 'load' });
      await page.evaluate(() =>
        document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`)),
      );
      if (tab === 'process' && processName) {
        await page.waitForTimeout(1000);
        await page.fill('input[type=search]', processName);
        await page.waitForTimeout(1200);
        const pick = page.locator('button', { hasText: `All “${processName}”` }).first();
        if (await pick.count()) await pick.click();
        else await page.locator('.data-table button.link').first().click();
      }
      await page.waitForTimeout(wait);
      const file = join(out, `${prefix}-${tab}-${theme}.png`);
      await page.screenshot({ path: file, fullPage: true });
      console.log(`wrote ${file}`);
    }
    await page.close();
  }
} finally {
  await browser.close();
}
process.exit(errors > 0 ? 1 : 0);

// Headless Chromium from the system (Debian's /usr/bin/chromium): playwright cannot download its
// own browser builds here. Closed by the runner's cleanup on every way out.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { onCleanup } from './cleanup';

export const chromiumPath = process.env.VITALS_CHROMIUM ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(`no Chromium at ${chromiumPath}: apt-get update && apt-get install -y chromium (or set VITALS_CHROMIUM)`);
  }
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
    // Our cleanup handles signals, so that code-server is stopped too, not just the browser.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  onCleanup('chromium', () => browser.close());
  return browser;
}

// A fresh code-server with the packaged Vitals installed, opened in headless Chromium.
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../runners/browser';
import { startCodeServer, type CodeServer } from '../../runners/codeServer';
import { collectConsole, type ConsoleEntry } from './artifacts';
import { ensureVsix } from './package';
import { waitForWorkbench } from './ui';

export type Workbench = {
  server: CodeServer;
  browser: Browser;
  page: Page;
  // Console messages of the workbench and every webview, from the first page load on.
  console: ConsoleEntry[];
  // Reloads the window (a new extension host; the old one lingers until the server stops).
  reload(): Promise<void>;
  close(): Promise<void>;
};

export type WorkbenchOptions = {
  // Names the temp folder and test-results/<label>/ (logs).
  label: string;
  settings?: Record<string, unknown>;
  // Folder to open; default: an empty one.
  workspace?: string;
  // Extra .vsix files besides Vitals; `installVitals: false` to start without Vitals.
  vsix?: string[];
  installVitals?: boolean;
  env?: Record<string, string>;
};

const since = (t: number) => `${((Date.now() - t) / 1000).toFixed(1)} s`;
// Timings go to stderr, out of the reporter's way; VITALS_E2E_QUIET=1 silences them.
const log = (line: string) => {
  if (process.env.VITALS_E2E_QUIET !== '1') console.error(`      [harness] ${line}`);
};

export async function openWorkbench(opts: WorkbenchOptions): Promise<Workbench> {
  const vsix = [...(opts.installVitals === false ? [] : [ensureVsix()]), ...(opts.vsix ?? [])];
  let t = Date.now();
  const server = await startCodeServer({
    label: opts.label,
    vsix,
    ...(opts.settings ? { settings: opts.settings } : {}),
    ...(opts.workspace ? { workspace: opts.workspace } : {}),
    ...(opts.env ? { env: opts.env } : {}),
  });
  log(`${opts.label}: ${vsix.length} vsix installed, code-server up on ${server.origin} in ${since(t)}`);
  t = Date.now();
  const browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const entries = collectConsole(page);
  await page.goto(server.workbenchUrl());
  await waitForWorkbench(page);
  log(`${opts.label}: workbench ready in ${since(t)}`);
  return {
    server,
    browser,
    page,
    console: entries,
    async reload() {
      await page.reload();
      await waitForWorkbench(page);
    },
    async close() {
      await browser.close();
      await server.stop();
    },
  };
}

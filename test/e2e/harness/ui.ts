// Driving the VS Code 1.100 workbench with playwright. Selectors verified against code-server
// 4.100.3; when VS Code changes its DOM, this is the one file to fix.
import type { FrameLocator, Locator, Page } from 'playwright-core';

// The workbench shows up long before it is ready: installed extensions (Vitals's views and
// commands, the theme) are registered seconds later. The color theme's class appears only once the
// theme extension is registered, which makes it a cheap "extensions are in" signal.
export async function waitForWorkbench(page: Page, timeoutMs = 90_000): Promise<void> {
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: timeoutMs });
  await page.locator('.monaco-workbench[class*="vscode-theme-"]').waitFor({ state: 'attached', timeout: timeoutMs });
  await page.locator('.activitybar .action-item').first().waitFor({ state: 'visible', timeout: timeoutMs });
}

const cssString = (s: string) => JSON.stringify(s);

// Opens the activity bar container whose icon's aria-label starts with `labelPrefix` ("Vitals").
// Clicking an already open container would close it, so that case is left alone.
export async function openActivityBarContainer(page: Page, labelPrefix: string, timeoutMs = 30_000): Promise<Locator> {
  const icon = page.locator(`.activitybar .action-item a[aria-label^=${cssString(labelPrefix)}]`).first();
  await icon.waitFor({ state: 'visible', timeout: timeoutMs });
  const open = await icon.evaluate((el) => el.closest('.action-item')?.classList.contains('checked') === true);
  if (!open) await icon.click();
  const sidebar = page.locator('.part.sidebar');
  await sidebar.waitFor({ state: 'visible', timeout: timeoutMs });
  await page
    .locator('.part.sidebar .composite.title')
    .filter({ hasText: new RegExp(escapeRegExp(labelPrefix), 'i') })
    .waitFor({ state: 'visible', timeout: timeoutMs });
  return sidebar;
}

// Runs a command through the command palette by its full title ("Vitals: Show Storage Health").
export async function runCommand(page: Page, title: string, timeoutMs = 30_000): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  // F1 needs the workbench to have focus; a click on the status bar gives it without side effects.
  if (!(await input.isVisible())) {
    await page.keyboard.press('F1');
    try {
      await input.waitFor({ state: 'visible', timeout: 5_000 });
    } catch {
      await page.locator('.monaco-workbench').focus();
      await page.keyboard.press('F1');
      await input.waitFor({ state: 'visible', timeout: timeoutMs });
    }
  }
  await input.fill(`>${title}`);
  const row = page
    .locator('.quick-input-list .monaco-list-row')
    .filter({ hasText: new RegExp(`^\\s*${escapeRegExp(title)}`, 'i') })
    .first();
  try {
    await row.waitFor({ state: 'visible', timeout: timeoutMs });
  } catch {
    const offered = await page.locator('.quick-input-list .monaco-list-row').allInnerTexts();
    throw new Error(`command palette has no "${title}"; it offers: ${offered.map((t) => t.split('\n')[0]).join(' | ') || 'nothing'}`);
  }
  await row.click();
  await input.waitFor({ state: 'hidden', timeout: timeoutMs });
}

// Tree or list rows in the side bar, e.g. treeRows(page, 'node') for the process tree.
export function treeRows(page: Page, hasText?: string | RegExp): Locator {
  const rows = page.locator('.part.sidebar .monaco-list-row');
  return hasText === undefined ? rows : rows.filter({ hasText });
}

// The extension's content inside a webview: the outer iframe.webview hosts an inner #active-frame.
// `index` picks among several open webviews.
export function webviewContent(page: Page, index = 0): FrameLocator {
  return page.frameLocator('iframe.webview').nth(index).frameLocator('#active-frame');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

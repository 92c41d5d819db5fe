// The parts of the VS Code 1.100 workbench a Vitals user touches that test/e2e/harness does not
// cover: view panes and their rows, the view message, quick inputs opened by a command, the color
// theme picker and context menus. Selectors verified against code-server 4.100.3.
import type { Locator, Page } from 'playwright-core';
import type { Journey } from './journey';
import { miss } from './journey';

export type Row = { label: string; description: string; aria: string };

const exact = (s: string) => new RegExp(`^\\s*${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);

/** A view of the side bar (a pane of the open container) by its header title. */
export function viewPane(page: Page, title: string): Locator {
  return page
    .locator('.part.sidebar .pane')
    .filter({ has: page.locator('.pane-header h3.title', { hasText: exact(title) }) })
    .first();
}

/** Expands a collapsed pane (a click on its header toggles it). */
export async function expandPane(j: Journey, pane: Locator, title: string): Promise<void> {
  const header = await j.visible(pane.locator('.pane-header'), `the "${title}" view in the side bar`);
  if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
  await j.until(`the "${title}" view expanded`, async () =>
    (await header.getAttribute('aria-expanded')) === 'true' ? true : miss(`aria-expanded=${await header.getAttribute('aria-expanded')}`),
  );
}

/** The rows a tree view draws (only those scrolled into view exist in the DOM). */
export async function paneRows(pane: Locator): Promise<Row[]> {
  return pane.locator('.monaco-list-row').evaluateAll((rows) =>
    rows.map((r) => ({
      label: (r.querySelector('.label-name')?.textContent ?? '').trim(),
      description: (r.querySelector('.label-description')?.textContent ?? '').trim(),
      aria: r.getAttribute('aria-label') ?? '',
    })),
  );
}

/** The tree view's message line (vscode.TreeView.message), or '' when hidden. */
export async function paneMessage(pane: Locator): Promise<string> {
  const msg = pane.locator('.tree-explorer-viewlet-tree-view > .message:not(.hide)');
  return (await msg.count()) > 0 ? ((await msg.first().textContent()) ?? '').trim() : '';
}

const quickInput = (page: Page) => page.locator('.quick-input-widget');

/** Opens the command palette (F1; the workbench must have focus). */
async function openPalette(j: Journey, page: Page): Promise<Locator> {
  const input = quickInput(page).locator('input.input, .quick-input-box input').first();
  if (!(await input.isVisible())) {
    await page.keyboard.press('F1');
    try {
      await input.waitFor({ state: 'visible', timeout: 5_000 });
    } catch {
      // Focus was somewhere that keeps F1 to itself: give it back to the workbench.
      await page.locator('.monaco-workbench').focus();
      await page.keyboard.press('F1');
      await j.visible(input, 'the command palette (F1)');
    }
  }
  return input;
}

/**
 * Runs a palette command that opens a quick input of its own (an input box or a pick) and returns
 * that input once it shows `expect` (its title or placeholder). The palette's own widget is reused
 * for it, so "the palette closed" is not a signal here.
 */
export async function commandWithInput(j: Journey, page: Page, title: string, expect: RegExp): Promise<Locator> {
  const input = await openPalette(j, page);
  await input.fill(`>${title}`);
  await pickFocused(j, page, new RegExp(`^\\s*${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`), `"${title}" in the command palette`);
  await j.until(`the quick input of "${title}" (${expect})`, async () => {
    const shown = await quickInput(page).isVisible();
    if (!shown) return miss('no quick input shown');
    const text = `${
      (await quickInput(page)
        .locator('.quick-input-title')
        .textContent()
        .catch(() => '')) ?? ''
    } | ${(await input.getAttribute('placeholder')) ?? ''} | ${(await input.getAttribute('aria-label')) ?? ''}`;
    return expect.test(text) && !(await input.inputValue()).startsWith('>') ? true : miss(text);
  });
  return input;
}

/**
 * Accepts the quick input's row matching `text` with Enter once the list has focused it (typing
 * puts the best match first). Keys, not a click: focus stays in the quick input all along, so the
 * input that the accepted command may open next is not closed by a focus change.
 */
async function pickFocused(j: Journey, page: Page, text: RegExp, what: string): Promise<void> {
  const rows = quickInput(page).locator('.quick-input-list .monaco-list-row');
  await j.until(what, async () => {
    const focused = rows.and(page.locator('.focused'));
    const label = (await focused.count()) > 0 ? ((await rowText(focused.first())) ?? '') : '';
    if (text.test(label)) return true;
    const all = await rows.evaluateAll((els) =>
      els.map((el) => [...el.querySelectorAll('.label-name, .label-description')].map((e) => e.textContent ?? '').join(' ')),
    );
    // The match is there but not first: move the focus to it.
    const index = all.findIndex((t) => text.test(t));
    if (index > 0 && label !== '') await page.keyboard.press('ArrowDown');
    return miss(`focused "${label}", offered: ${all.slice(0, 5).join(' | ') || 'nothing'}`);
  });
  await page.keyboard.press('Enter');
}

// A row's label and description, apart ("Dark Modern Default Dark Modern"); its text runs them together.
const rowText = (row: Locator): Promise<string> =>
  row.evaluate((el) => [...el.querySelectorAll('.label-name, .label-description')].map((e) => e.textContent ?? '').join(' '));

/** Preferences: Color Theme, then the theme by name; waits for the workbench to wear it. */
export async function selectColorTheme(j: Journey, page: Page, theme: string, kind: 'light' | 'dark'): Promise<void> {
  const input = await commandWithInput(j, page, 'Preferences: Color Theme', /color theme/i);
  await input.fill(theme);
  // A row reads "<label> <settings id>" (e.g. "Dark Modern Default Dark Modern"): match either.
  await pickFocused(j, page, new RegExp(`(^|\\s)${theme}(\\s|$)`), `the theme "${theme}" in the color theme picker`);
  await j.until(`the color theme picker to close after picking "${theme}"`, async () =>
    (await quickInput(page).isVisible()) ? miss('still open') : true,
  );
  // The workbench's root carries `vs` (light) or `vs-dark` once the theme is applied.
  await j.until(`the workbench in the ${kind} theme "${theme}"`, async () => {
    const cls = (await page.locator('.monaco-workbench').first().getAttribute('class')) ?? '';
    const isDark = /(^|\s)vs-dark(\s|$)/.test(cls);
    const isLight = /(^|\s)vs(\s|$)/.test(cls);
    return (kind === 'dark' ? isDark : isLight) ? true : miss(cls);
  });
}

/**
 * Right-clicks `row` and picks `item` from its context menu; `whileOpen` reads what it needs (which
 * row the menu is about) while the menu is up, and its result is returned.
 */
export async function contextMenu<T>(j: Journey, page: Page, row: Locator, item: string, whileOpen: () => Promise<T>): Promise<T> {
  await row.click({ button: 'right' });
  const entry = page.locator('.context-view .monaco-menu .action-item .action-label').filter({ hasText: exact(item) });
  await j.visible(entry, `"${item}" in the context menu of the row`);
  const seen = await whileOpen();
  await entry.first().click();
  return seen;
}

/**
 * The message of a visible notification that starts with `prefix` ("Vitals:" is how Vitals words
 * its failures and setting problems), if any.
 */
export async function notificationStartingWith(page: Page, prefix: string): Promise<string | null> {
  const messages = page.locator('.notifications-toasts .notification-toast .notification-list-item-message');
  for (const text of await messages.allTextContents()) {
    const line = text.replace(/\s+/g, ' ').trim();
    if (line.startsWith(prefix)) return `notification "${line}"`;
  }
  return null;
}

/** Drags the side bar's right edge by `dx` pixels (wider for a screenshot that shows whole rows). */
export async function widenSideBar(j: Journey, page: Page, dx: number): Promise<void> {
  const sidebar = await page.locator('.part.sidebar').boundingBox();
  if (!sidebar) return j.fail('the side bar has no box');
  const edge = sidebar.x + sidebar.width;
  const y = sidebar.y + sidebar.height / 2;
  await page.mouse.move(edge, y);
  await page.mouse.down();
  await page.mouse.move(edge + dx / 2, y, { steps: 4 });
  await page.mouse.move(edge + dx, y, { steps: 4 });
  await page.mouse.up();
  await j.until(`the side bar widened by ${dx} px`, async () => {
    const now = await page.locator('.part.sidebar').boundingBox();
    return now && now.width >= sidebar.width + dx - 4 ? true : miss(`width ${now?.width} (was ${sidebar.width})`);
  });
}

// Screenshots of the dashboard in a real VS Code (code-server, test/e2e/harness) with data the
// installed Vitals records itself: Show History from the tree, every tab in Dark and Light Modern,
// drag-zoom, and a window reload that must restore the panel and its state. Prints the webview's
// console and the dashboard lines of the Vitals log. Run with `node media/dev/vscode-shots.mjs`
// (env: VSIX=path/to/vitals.vsix, SHOTS_OUT=dir, RECORD_MINUTES=n).
import { readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openWorkbench, runCommand, webviewContent, webviewErrors, treeRows, openActivityBarContainer } from '../../test/e2e/harness';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const out = process.env.SHOTS_OUT ?? '/tmp/vitals-dashboard-shots';
const minutes = Number(process.env.RECORD_MINUTES ?? '5');
// Default: the package test:e2e builds (npm run package).
const vsix = process.env.VSIX ?? join(__dirname, '..', '..', 'vitals.vsix');
mkdirSync(out, { recursive: true });

async function main(): Promise<void> {
  const wb = await openWorkbench({
    label: 'dashboard-shots',
    vsix: [vsix],
    installVitals: false,
    settings: { 'workbench.colorTheme': 'Default Dark Modern', 'vitals.sampling.intervalSeconds': 2 },
  });
  const { page, server } = wb;
  const shot = async (name: string) => {
    const f = join(out, `${name}.png`);
    await page.screenshot({ path: f });
    console.log(`wrote ${f}`);
  };
  const setTheme = async (theme: string) => {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill('>Preferences: Color Theme');
    await page
      .locator('.quick-input-list .monaco-list-row')
      .filter({ hasText: /^\s*Preferences: Color Theme/ })
      .first()
      .click();
    await sleep(800);
    await input.fill(theme);
    await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: theme }).first().click();
    await input.waitFor({ state: 'hidden' });
    await sleep(4000);
  };
  const closeSideBar = async () => {
    if (await page.locator('.part.sidebar').isVisible()) await page.keyboard.press('Control+B');
    await sleep(1500);
  };
  try {
    await page.setViewportSize({ width: 1440, height: 1000 });
    await openActivityBarContainer(page, 'Vitals');
    console.log(`recording for ${minutes} min…`);
    await sleep(minutes * 60_000);
    // Show History from the tree's context menu.
    const row = treeRows(page, /node/).first();
    await row.click({ button: 'right' });
    await page.locator('.context-view .action-label', { hasText: 'Show History' }).first().click();
    const app = webviewContent(page);
    await app.locator('.selection-title').waitFor({ timeout: 60_000 });
    await sleep(4000);
    console.log(
      'from the tree:',
      (await app.locator('.selection-title').innerText()).replace(/\s+/g, ' '),
      '| range:',
      await app.locator('.range-bar [aria-pressed=true]').innerText(),
    );
    await shot('tree-show-history');
    await closeSideBar();
    for (const [theme, label] of [
      ['Default Dark Modern', 'dark'],
      ['Light Modern', 'light'],
    ] as const) {
      if (label === 'light') await setTheme(theme);
      await app.locator('#tab-overview').click();
      await app.getByRole('button', { name: 'Live', exact: true }).click();
      await sleep(6000);
      await shot(`dashboard-overview-${label}`);
      await app.locator('.top-processes button.link').first().click();
      await sleep(6000);
      await shot(`dashboard-process-${label}`);
      await runCommand(page, 'Vitals: Show Storage Health');
      await sleep(5000);
      await shot(`dashboard-storage-${label}`);
    }
    // Zoom by dragging on the CPU chart, then reload: the serializer restores the panel and its state.
    await app.locator('#tab-overview').click();
    await sleep(3000);
    const over = app.locator('.chart').first().locator('.u-over');
    const box = await over.boundingBox();
    if (box) {
      await page.mouse.move(box.x + box.width * 0.7, box.y + 40);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.9, box.y + 50, { steps: 6 });
      await page.mouse.up();
    }
    await sleep(4000);
    console.log('zoomed:', await app.locator('.zoom-chip').innerText());
    await shot('zoomed-light');
    await sleep(15000);
    await wb.reload();
    await webviewContent(page).locator('.chart .uplot').first().waitFor({ timeout: 60_000 });
    await sleep(5000);
    console.log(
      'after reload: tab',
      await webviewContent(page).locator('[role=tab][aria-selected=true]').innerText(),
      '| zoom',
      await webviewContent(page)
        .locator('.zoom-chip')
        .innerText()
        .catch(() => 'none'),
    );
    await shot('after-reload');
    console.log('webview console:');
    for (const e of wb.console.filter((e) => e.webview)) console.log(`  ${e.type}: ${e.text}`);
    const errs = webviewErrors(wb.console);
    console.log(`webview errors: ${errs.length}`);
    const vlog = server.logFiles().filter((f) => /vitals/i.test(f));
    for (const f of vlog)
      console.log(
        `--- ${f}\n${readFileSync(f, 'utf8')
          .split('\n')
          .filter((l) => /dashboard|error|warn/i.test(l))
          .slice(-40)
          .join('\n')}`,
      );
  } finally {
    await wb.close();
  }
}
main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);

// What a new user does with the packaged Vitals in a real VS Code (code-server + headless Chromium):
// open the Vitals container, read and filter the processes, read the System view, open the storage
// health and the dashboard, open a process's history from the tree, switch to a dark theme and back.
// Every step leaves a numbered screenshot in test-results/ and fails naming what is missing, with a
// screenshot of the screen at that moment. The last step fails on any error in the webview console
// or in the extension host's logs.
//
// VITALS_UPDATE_DOCS=1 also rewrites the README's screenshots (docs/screenshots/sidebar.png,
// dashboard-light.png, dashboard-dark.png) after VITALS_DOCS_RECORD_SECONDS (default 240) of
// recording, so the charts show some history.
import * as assert from 'node:assert/strict';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { before, beforeEach, describe, it } from 'mocha';
import { extensionId, testResultsDir } from '../runners/paths';
import { openActivityBarContainer, runCommand, screenshot, useWorkbench, webviewErrors } from './harness';
import {
  chartProblem,
  dashboardFrame,
  describeChart,
  readCharts,
  readStorage,
  selectedRange,
  selectedTab,
  webviewThemeKind,
  type ChartReport,
} from './support/dashboard';
import { docsRecordMs, publishScreenshot, updateDocs } from './support/docs';
import { Journey, Miss, miss } from './support/journey';
import { checkLogs, formatEntries } from './support/logs';
import {
  commandWithInput,
  contextMenu,
  expandPane,
  notificationStartingWith,
  paneMessage,
  paneRows,
  selectColorTheme,
  viewPane,
  widenSideBar,
  type Row,
} from './support/workbench';

const LABEL = 'e2e-ui';
// A fresh VS Code opens in a light theme here, so that "switch to dark and back" is a round trip.
const LIGHT = 'Light Modern';
const DARK = 'Default Dark Modern';

// "12.3% · 45.6 MB": the Processes view's row description (src/extension/processes/tooltip.ts).
const PROCESS_FIGURES = /^\d+(\.\d)?% · \d+(\.\d)? (B|KB|MB|GB|TB)$/;
const ALL_PROCESSES = /^(\d+) processes\b/;
// Enough pixels in a series' colour to be a drawn line, not a stray anti-aliased dot.
const MIN_LINE_PIXELS = 12;

const say = (line: string) => console.log(`      ${line}`);
const rowsText = (rows: readonly Row[], n = 6) =>
  rows
    .slice(0, n)
    .map((r) => `${r.label} "${r.description}"`)
    .join('; ') || 'no rows';

describe('a new user with Vitals in VS Code', function () {
  const workbench = useWorkbench({ label: LABEL, settings: { 'workbench.colorTheme': LIGHT } });
  // A Vitals command that fails shows "Vitals: <why>" as a notification: fail on it at once.
  const j = new Journey(
    () => workbench().page,
    LABEL,
    () => notificationStartingWith(workbench().page, 'Vitals:'),
  );
  let openedAt = 0;
  let lightColors: string[] = [];

  before(() => {
    openedAt = Date.now();
    // Screenshots of an earlier run would pass for this one's.
    mkdirSync(testResultsDir, { recursive: true });
    for (const f of readdirSync(testResultsDir)) if (f.startsWith(`${LABEL}-`) && f.endsWith('.png')) rmSync(join(testResultsDir, f));
  });

  // A step that failed half-way may leave a quick input or a menu open: each step starts clean.
  beforeEach(async () => {
    const { page } = workbench();
    for (let i = 0; i < 3; i++) {
      const open =
        (await page.locator('.quick-input-widget').isVisible()) || (await page.locator('.context-view .monaco-menu').isVisible());
      if (!open) break;
      await page.keyboard.press('Escape');
    }
    // A Vitals notification left by an earlier step (already reported there, and an [error] in the
    // log that step 8 reads) would trip every later wait: this step is judged on its own.
    const left = await notificationStartingWith(page, 'Vitals:');
    if (left) {
      say(`clearing the ${left} left by an earlier step`);
      await runCommand(page, 'Notifications: Clear All Notifications');
    }
  });

  const processesPane = () => viewPane(workbench().page, 'Processes');

  async function openVitals(): Promise<void> {
    const { page } = workbench();
    await j.attempt('the Vitals container in the activity bar', () => openActivityBarContainer(page, 'Vitals', 60_000));
    await expandPane(j, processesPane(), 'Processes');
  }

  /** Types `text` into the filter box; the tree must narrow to rows that include one named `label`. */
  async function typeFilter(text: string, label = text): Promise<{ matches: number; total: number; message: string }> {
    const { page } = workbench();
    // Work in the Processes view first, as a user does: the palette gives focus back to where it
    // was when it closes, and a webview taking it back would close the filter box at once.
    await focusProcesses();
    const input = await commandWithInput(j, page, 'Vitals: Filter Processes…', /Filter Processes/);
    await input.pressSequentially(text, { delay: 80 });
    const pattern = new RegExp(`^Filter "${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}": (\\d+) of (\\d+) processes`);
    return j.until(`the Processes view narrowed to "${text}" (view message and rows)`, async () => {
      const message = await paneMessage(processesPane());
      const m = pattern.exec(message);
      if (!m) return miss(`message "${message}"`);
      const matches = Number(m[1]);
      const total = Number(m[2]);
      if (!(matches > 0 && matches < total)) return miss(`message "${message}"`);
      const rows = await paneRows(processesPane());
      if (!rows.some((r) => r.label === label)) return miss(`message "${message}", rows: ${rowsText(rows)}`);
      return { matches, total, message };
    });
  }

  async function focusProcesses(): Promise<void> {
    // Focus the list itself: a click on a row would also select it and fold or unfold its children.
    const list = processesPane().locator('.monaco-list').first();
    await j.visible(list, 'the Processes tree');
    await list.focus();
    await j.until('the focus in the Processes view', async () =>
      (await processesPane().evaluate((el) => el.contains(el.ownerDocument.activeElement))) ? true : miss('focus elsewhere'),
    );
  }

  async function acceptQuickInput(): Promise<void> {
    const { page } = workbench();
    await page.keyboard.press('Enter');
    await j.until('the filter box to close', async () =>
      (await page.locator('.quick-input-widget').isVisible()) ? miss('still open') : true,
    );
  }

  async function clearFilter(): Promise<string> {
    const { page } = workbench();
    await j.attempt('"Vitals: Clear Filter" from the command palette', () => runCommand(page, 'Vitals: Clear Filter'));
    return j.until('the Processes view unfiltered ("N processes")', async () => {
      const message = await paneMessage(processesPane());
      return ALL_PROCESSES.test(message) ? message : miss(`message "${message}"`);
    });
  }

  async function overviewLive(): Promise<void> {
    const app = dashboardFrame(workbench().page);
    if ((await selectedTab(app)) !== 'overview') await app.locator('#tab-overview').click();
    await j.until('the Overview tab selected', async () => ((await selectedTab(app)) === 'overview' ? true : miss(await selectedTab(app))));
    if ((await selectedRange(app)) !== 'Live') await app.getByRole('button', { name: 'Live', exact: true }).click();
    await j.until('the Live range selected', async () => ((await selectedRange(app)) === 'Live' ? true : miss(await selectedRange(app))));
  }

  /** Waits until every chart in the panel has drawn data; returns the charts as read. */
  const BY_GROUP_CHART = /^(CPU|Memory) by (extension|role)\b/;

  async function chartsDrawn(
    panel: string,
    what: string,
    timeoutMs: number,
    extra?: (charts: ChartReport[]) => string | null,
  ): Promise<ChartReport[]> {
    const app = dashboardFrame(workbench().page);
    return j.until(
      what,
      async () => {
        const all = await readCharts(app, panel);
        // The VS Code card's charts (by extension or role) have data only where an extension runs
        // processes of its own, which nothing does in this fresh window: saying so is right here
        // (vscodeRoles.e2e.ts draws them with a fixture extension's server).
        const charts = all.filter((c) => !(c.emptyShown && BY_GROUP_CHART.test(c.title)));
        if (charts.length === 0) return miss('no charts');
        const problems = charts.map((c) => chartProblem(c, MIN_LINE_PIXELS)).filter((p): p is string => p !== null);
        if (problems.length > 0) return miss(problems.join('; '));
        const more = extra?.(charts) ?? null;
        return more === null ? charts : miss(more);
      },
      { timeoutMs, intervalMs: 1000 },
    );
  }

  it('1. opens the Vitals container and sees processes with CPU and memory', async function () {
    await openVitals();
    const pane = processesPane();
    const rows = await j.until(
      'process rows with CPU and memory figures in the Processes view',
      async () => {
        const rows = await paneRows(pane);
        const withFigures = rows.filter((r) => PROCESS_FIGURES.test(r.description));
        return withFigures.length >= 5 ? withFigures : miss(`${rows.length} rows: ${rowsText(rows)}`);
      },
      { timeoutMs: 90_000 },
    );
    const message = await j.until('the process count in the Processes view ("N processes on <host>")', async () => {
      const m = await paneMessage(pane);
      return ALL_PROCESSES.test(m) ? m : miss(m || 'no message');
    });
    assert.ok(Number(ALL_PROCESSES.exec(message)?.[1]) >= 5, `too few processes: ${message}`);
    say(`${message}; first rows: ${rowsText(rows, 4)}`);
    const status = await j.until('the Vitals status bar item ("CPU 12% · MEM 63%")', async () => {
      const texts = await workbench().page.locator('.part.statusbar .statusbar-item').allInnerTexts();
      const item = texts.find((t) => /CPU\s*\d+%\s*·\s*MEM\s*\d+%/.test(t));
      return item ?? miss(texts.join(' | '));
    });
    say(`status bar: ${status.replace(/\s+/g, ' ')}`);
    say(`screenshot: ${await j.shot('processes')}`);
  });

  it('2. types a filter ("node"), sees the tree narrow, then clears it', async function () {
    await openVitals();
    const typed = await typeFilter('node');
    say(`while typing: ${typed.message}`);
    say(`screenshot: ${await j.shot('filter-typing')}`);
    await acceptQuickInput();
    const rows = await paneRows(processesPane());
    assert.ok(
      rows.some((r) => r.label === 'node'),
      `no "node" row after accepting the filter: ${rowsText(rows)}`,
    );
    assert.match(await paneMessage(processesPane()), /^Filter "node": /, 'the filter did not stay after Enter');
    say(`screenshot: ${await j.shot('filtered')}`);
    const cleared = await clearFilter();
    assert.ok(Number(ALL_PROCESSES.exec(cleared)?.[1]) > typed.matches, `clearing did not bring back every process: ${cleared}`);
    say(`cleared: ${cleared}`);
    say(`screenshot: ${await j.shot('filter-cleared')}`);
  });

  it('3. looks at the System view: CPU and memory with values', async function () {
    await openVitals();
    const pane = viewPane(workbench().page, 'System');
    await expandPane(j, pane, 'System');
    const rows = await j.until('CPU ("12%") and Memory ("1.2 GB of …") rows in the System view', async () => {
      const rows = await paneRows(pane);
      const cpu = rows.find((r) => r.label === 'CPU');
      const mem = rows.find((r) => r.label === 'Memory');
      if (!cpu || !/^\d+%$/.test(cpu.description)) return miss(rowsText(rows, 10));
      if (!mem || !/\d(\.\d)? (B|KB|MB|GB|TB)\b/.test(mem.description)) return miss(rowsText(rows, 10));
      return rows;
    });
    say(`System: ${rowsText(rows, 10)}`);
    say(`screenshot: ${await j.shot('system')}`);
  });

  it('4. runs "Vitals: Show Storage Health" and sees the real database figures', async function () {
    const { page } = workbench();
    await j.attempt('"Vitals: Show Storage Health" from the command palette', () => runCommand(page, 'Vitals: Show Storage Health'));
    const app = dashboardFrame(page);
    await j.until('the dashboard open on its Storage tab', async () =>
      (await selectedTab(app)) === 'storage' ? true : miss(`tab "${await selectedTab(app)}"`),
    );
    const figures = await j.until('a database size, rows per tier and a newest sample in the Storage tab', async () => {
      const f = await readStorage(app);
      const seen = `size "${f.size}", rows ${JSON.stringify(f.rows)}, newest "${f.facts['Newest sample']}"`;
      if (!/^\d+(\.\d+)? (B|KB|MB|GB)$/.test(f.size) || f.size === '0 B') return miss(seen);
      if (!((f.rows['Total'] ?? 0) > 0) || !((f.rows['System samples, raw'] ?? 0) > 0)) return miss(seen);
      if (!f.facts['Newest sample'] || /none yet/.test(f.facts['Newest sample'])) return miss(seen);
      return f;
    });
    assert.match(figures.facts['State'] ?? '', /Recording/, `the Storage tab says the state is "${figures.facts['State']}"`);
    say(
      `database ${figures.size}; rows ${JSON.stringify(figures.rows)}; newest ${figures.facts['Newest sample']}; last flush ${figures.facts['Last flush']}`,
    );
    say(`screenshot: ${await j.shot('storage-health')}`);
  });

  it('5. opens the dashboard and sees charts drawn with recorded data', async function () {
    this.timeout(240_000);
    const { page } = workbench();
    await j.attempt('"Vitals: Show Dashboard" from the command palette', () => runCommand(page, 'Vitals: Show Dashboard'));
    await overviewLive();
    // The Live range fills in as Vitals records (every 2 s): wait for lines, not for a fixed time.
    const charts = await chartsDrawn('#panel-overview', 'every Overview chart drawn with data in the Live range', 180_000);
    for (const c of charts) say(describeChart(c));
    const titles = charts.map((c) => c.title).join(', ');
    assert.match(titles, /CPU/, `no CPU chart among: ${titles}`);
    assert.match(titles, /Memory/, `no memory chart among: ${titles}`);
    say(`screenshot: ${await j.shot('dashboard')}`);
  });

  it("6. opens a process history from the tree's context menu", async function () {
    this.timeout(180_000);
    const { page, server } = workbench();
    await openVitals();
    // The test's own processes, found by the temp folder on code-server's command line: the runner
    // and the code-server it started, node processes that live as long as the test. (Short-lived
    // processes come and go on a shared machine, and a row that leaves the tree may take its open
    // context menu with it.)
    await typeFilter(basename(server.tempDir), 'node');
    await acceptQuickInput();
    const row = processesPane()
      .locator('.monaco-list-row')
      .filter({ has: page.locator('.label-name', { hasText: /^node$/ }) })
      .first();
    await j.visible(row, 'a "node" row in the Processes view');
    // The tree re-sorts by CPU as it refreshes: the process is the one the menu opened on, which
    // the list keeps focused by identity, not whatever row is first by now.
    const menuRow = processesPane().locator('.monaco-list-row.focused');
    const app = dashboardFrame(page);
    let pid = '';
    let title: string | Miss = miss('not chosen yet');
    // Three tries are allowed, and each retry is said out loud. A choice now and then reaches the
    // command with no process at all: VS Code forgets the descendants of a row it refreshes until it
    // fetches them again, and a menu command on one of them meanwhile arrives without its element.
    // Vitals then says so in a notification (the product's answer to a user who meets it); the
    // whole-tree refresh made it rare (1 run in 6 instead of nearly every run) but not impossible.
    const lostRow = page.locator('.notifications-toasts .notification-toast', { hasText: 'could not tell which process you chose' });
    const attempts = 3;
    for (let attempt = 1; attempt <= attempts && title instanceof Miss; attempt++) {
      pid = await contextMenu(j, page, row, 'Show History', async () => {
        const aria = (await menuRow.first().getAttribute('aria-label', { timeout: 5_000 })) ?? '';
        const found = /^node, pid (\d+)/.exec(aria)?.[1];
        return found ?? j.fail(`the row the context menu opened on is not a "node" process naming its pid (aria-label "${aria}")`);
      });
      const wanted = pid;
      const LOST = 'Vitals said the row was lost while the view refreshed';
      const seen = await j.poll(
        `the dashboard's Process tab showing node (pid ${wanted})`,
        async () => {
          // Ends the wait at once: the toast hides by itself before a 20 s wait would end.
          if (await lostRow.count()) return LOST;
          const tab = await selectedTab(app);
          if (tab !== 'process') return miss(`tab "${tab}"`);
          const t = ((await app.locator('#panel-process .selection-title').first().textContent({ timeout: 2_000 })) ?? '')
            .replace(/\s+/g, ' ')
            .trim();
          return t.includes('node') && t.includes(`pid ${wanted}`) ? t : miss(`selection "${t}"`);
        },
        { timeoutMs: attempt < attempts ? 20_000 : 60_000 },
      );
      title = seen === LOST ? miss(LOST) : seen;
      if (title instanceof Miss && attempt < attempts) {
        say(`WARNING: Show History from the context menu, try ${attempt}: no Process tab (${title.why}); choosing it again`);
        say(`screenshot: ${await j.shot(`show-history-no-effect-${attempt}`)}`);
        await runCommand(page, 'Notifications: Clear All Notifications');
      }
    }
    if (title instanceof Miss)
      return j.fail(`the dashboard's Process tab showing node (pid ${pid}): not seen after ${attempts} tries (last seen: ${title.why})`);
    // CPU, memory and disk I/O: the process is the test's own (root here), so its io file is readable.
    const charts = await chartsDrawn(
      '#panel-process',
      `the CPU, memory and disk I/O charts of node (pid ${pid}) drawn with data`,
      120_000,
      (cs) => (cs.length === 3 ? null : `${cs.length} charts`),
    );
    for (const c of charts) say(describeChart(c));
    say(`${title} (range ${await selectedRange(app)})`);
    say(`screenshot: ${await j.shot('process-history')}`);
    await clearFilter();
  });

  it('7. switches to a dark theme and back; the dashboard follows', async function () {
    this.timeout(240_000);
    const { page } = workbench();
    await j.attempt('"Vitals: Show Dashboard" from the command palette', () => runCommand(page, 'Vitals: Show Dashboard'));
    await overviewLive();
    const app = dashboardFrame(page);
    const colorsOf = (charts: ChartReport[]) => charts.map((c) => c.series[0]?.color ?? '');

    assert.equal(await webviewThemeKind(app), 'vscode-light', 'the dashboard does not start in the light theme');
    const light = await chartsDrawn('#panel-overview', 'the Overview charts drawn in the light theme', 120_000);
    lightColors = colorsOf(light);
    say(`light: ${lightColors.join(' ')}`);
    say(`screenshot: ${await j.shot('theme-light')}`);

    await selectColorTheme(j, page, DARK, 'dark');
    await j.until('the dashboard webview in the dark theme (body.vscode-dark)', async () => {
      const kind = await webviewThemeKind(app);
      return kind === 'vscode-dark' ? true : miss(kind);
    });
    const dark = await chartsDrawn('#panel-overview', 'the Overview charts redrawn in dark colours', 60_000, (cs) => {
      const now = colorsOf(cs);
      return now.every((c, i) => c !== lightColors[i]) ? null : `series colours still light: ${now.join(' ')}`;
    });
    say(`dark: ${colorsOf(dark).join(' ')}`);
    say(`screenshot: ${await j.shot('theme-dark')}`);

    await selectColorTheme(j, page, LIGHT, 'light');
    await j.until('the dashboard webview back in the light theme (body.vscode-light)', async () => {
      const kind = await webviewThemeKind(app);
      return kind === 'vscode-light' ? true : miss(kind);
    });
    await chartsDrawn('#panel-overview', 'the Overview charts redrawn in the light colours again', 60_000, (cs) => {
      const now = colorsOf(cs);
      return now.every((c, i) => c === lightColors[i]) ? null : `series colours ${now.join(' ')}, light was ${lightColors.join(' ')}`;
    });
    say(`screenshot: ${await j.shot('theme-light-again')}`);
  });

  it('refreshes the README screenshots in docs/screenshots (VITALS_UPDATE_DOCS=1)', async function () {
    if (!updateDocs) this.skip();
    this.timeout(docsRecordMs + 300_000);
    const { page } = workbench();
    // Recording for a while is the point here: the Live charts then show minutes, not seconds.
    const left = docsRecordMs - (Date.now() - openedAt);
    if (left > 0) {
      say(`recording for ${Math.round(left / 1000)} s more before the README screenshots`);
      await new Promise<void>((r) => setTimeout(r, left));
    }
    await page.setViewportSize({ width: 1440, height: 900 });
    try {
      // The side bar: both views, Processes by CPU, System with the recorder's state.
      await openVitals();
      await expandPane(j, viewPane(page, 'System'), 'System');
      await widenSideBar(j, page, 100);
      // The pointer would leave a hover highlight behind.
      await page.mouse.move(900, 500);
      const sidebar = await page.locator('.part.sidebar').boundingBox();
      if (!sidebar) return j.fail('the side bar has no box to screenshot');
      const sidebarShot = await screenshot(page, `${LABEL}-docs-sidebar`);
      // The activity bar and the side bar, below the title bar.
      await page.screenshot({ path: sidebarShot, clip: { x: 0, y: sidebar.y, width: sidebar.x + sidebar.width, height: sidebar.height } });
      say(`wrote ${publishScreenshot(sidebarShot, 'sidebar')}`);

      // The dashboard with the whole window to itself.
      await j.attempt('"View: Toggle Primary Side Bar Visibility"', () => runCommand(page, 'View: Toggle Primary Side Bar Visibility'));
      await j.until('the side bar hidden', async () => ((await page.locator('.part.sidebar').isVisible()) ? miss('visible') : true));
      await j.attempt('"Vitals: Show Dashboard" from the command palette', () => runCommand(page, 'Vitals: Show Dashboard'));
      await overviewLive();
      await chartsDrawn('#panel-overview', 'the Overview charts (light) for the README', 60_000);
      say(`wrote ${publishScreenshot(await j.shot('docs-dashboard-light'), 'dashboard-light')}`);
      await selectColorTheme(j, page, DARK, 'dark');
      const app = dashboardFrame(page);
      await chartsDrawn('#panel-overview', 'the Overview charts (dark) for the README', 60_000, (cs) =>
        cs.every((c, i) => c.series[0]?.color !== lightColors[i]) ? null : 'still light colours',
      );
      assert.equal(await webviewThemeKind(app), 'vscode-dark');
      say(`wrote ${publishScreenshot(await j.shot('docs-dashboard-dark'), 'dashboard-dark')}`);
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 }).catch(() => undefined);
    }
  });

  it('8. leaves no error in the webview console or the extension host logs', async function () {
    const { server, console: entries } = workbench();
    const consoleErrors = webviewErrors(entries);
    const webviewLines = entries.filter((e) => e.webview).length;
    const logs = checkLogs(server, extensionId());
    say(`checked ${webviewLines} webview console message(s) and ${logs.files.length} log file(s)`);
    for (const w of logs.warnings) say(`Vitals warning (allowed): ${w.text.split('\n')[0]}`);
    for (const { entry, why } of logs.ignored) say(`ignored extension host error (${why}): ${entry.text.split('\n')[0]}`);
    assert.ok(
      logs.files.some((f) => f.toLowerCase().includes(extensionId().toLowerCase())),
      `no Vitals log among the extension host logs: ${logs.files.join(', ') || 'none'}`,
    );
    assert.deepEqual(
      consoleErrors.map((e) => `${e.type}: ${e.text} (${e.url})`),
      [],
      'the dashboard webview logged errors to its console',
    );
    if (logs.errors.length > 0) assert.fail(`errors in the extension host logs:\n${formatEntries(server, logs.errors)}`);
  });
});

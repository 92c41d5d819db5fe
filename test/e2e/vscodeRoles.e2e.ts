// VS Code roles through the UI of the packaged extension: with the fixture extension installed
// beside Vitals (test/fixtures/spawner-extension) and its server started, a terminal open, the
// Processes view's VS Code grouping shows this window with its extension host and the fixture's
// group, the terminals, and group rows with summed figures; after more than a minute of recording the
// dashboard's "CPU by extension" chart has drawn the fixture's line and the "top extensions" table
// names it; a server of a commit no window runs shows under "Left behind by VS Code" and Kill All…
// ends it once confirmed. Screenshots in light and dark (VITALS_UPDATE_DOCS=1 copies them to
// docs/screenshots/).
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'mocha';
import { packFixtureExtensions } from '../runners/fixtures';
import { openActivityBarContainer, runCommand, useWorkbench } from './harness';
import { chartProblem, dashboardFrame, describeChart, readCharts, webviewThemeKind } from './support/dashboard';
import { publishScreenshot, updateDocs } from './support/docs';
import { Journey, miss } from './support/journey';
import {
  contextMenu,
  expandPane,
  notificationStartingWith,
  paneRows,
  selectColorTheme,
  viewPane,
  widenSideBar,
  type Row,
} from './support/workbench';

const LABEL = 'e2e-vscode-roles';
const LIGHT = 'Light Modern';
const DARK = 'Default Dark Modern';
const SPAWNER_NAME = 'Vitals Test Spawner';
/** The charts need more than one bucket with the fixture's load: record past a minute. */
const RECORD_MS = 75_000;
// "12.3% · 45.6 MB · 2 processes": a group row's description (src/extension/processes/tooltip.ts).
const GROUP_FIGURES = /^\d+(\.\d)?% · \d+(\.\d)? (B|KB|MB|GB|TB)( · GPU [^·]+)? · \d+ process(es)?$/;

const say = (line: string) => console.log(`      ${line}`);
const rowsText = (rows: readonly Row[], n = 12) =>
  rows
    .slice(0, n)
    .map((r) => `${r.label} "${r.description}"`)
    .join('; ') || 'no rows';

describe('VS Code roles in the UI', function () {
  const fixtures = packFixtureExtensions();
  const workbench = useWorkbench({ label: LABEL, settings: { 'workbench.colorTheme': LIGHT }, vsix: fixtures });
  const j = new Journey(
    () => workbench().page,
    LABEL,
    () => notificationStartingWith(workbench().page, 'Vitals:'),
  );
  let startedAt = 0;

  before(() => {
    startedAt = Date.now();
  });

  const processesPane = () => viewPane(workbench().page, 'Processes');

  it('1. groups VS Code’s processes: this window, the fixture extension’s server, a terminal', async function () {
    const { page } = workbench();
    await j.attempt('the Vitals container', () => openActivityBarContainer(page, 'Vitals', 60_000));
    await expandPane(j, processesPane(), 'Processes');
    await j.attempt('"Terminal: Create New Terminal"', () => runCommand(page, 'Terminal: Create New Terminal'));
    await j.attempt('"Vitals Test: Start the Spawner’s Server"', () => runCommand(page, "Vitals Test: Start the Spawner's Server"));
    await j.attempt('"Vitals: Group by VS Code"', () => runCommand(page, 'Vitals: Group by VS Code'));
    const rows = await j.until(
      'the VS Code grouping: this window, the fixture’s group, terminals, with summed figures',
      async () => {
        const rows = await paneRows(processesPane());
        const win = rows.find((r) => /^Window: .* \(this window\)$/.test(r.label));
        const host = rows.find((r) => /^extension host \(this window: /.test(r.description));
        const ext = rows.find((r) => r.label === SPAWNER_NAME);
        const terms = rows.find((r) => r.label === 'Terminals');
        // A row that gained children after VS Code first drew it (the fixture's server started a
        // moment after the host was listed) may be drawn collapsed: open it as a user would.
        if (host && !ext) {
          const collapsed = processesPane()
            .locator('.monaco-list-row[aria-expanded="false"]')
            .filter({ hasText: 'extension host (this window' });
          if ((await collapsed.count()) > 0)
            await collapsed
              .first()
              .locator('.monaco-tl-twistie')
              .click({ timeout: 5_000 })
              .catch(() => undefined);
        }
        if (!win || !host || !ext || !terms) return miss(rowsText(rows));
        if (![win, ext, terms].every((r) => GROUP_FIGURES.test(r.description))) return miss(rowsText(rows));
        return rows;
      },
      { timeoutMs: 120_000, intervalMs: 1000 },
    );
    const server = rows.find((r) => r.description.includes(`· ${SPAWNER_NAME} ·`));
    assert.ok(server, `no row names the fixture extension before its figures: ${rowsText(rows)}`);
    // The terminal's own row may lie below the visible part of the list (the list draws only what
    // shows); its group row counting it is enough here, the integration suite checks its label.
    assert.ok(
      rows.some((r) => /^terminal: /.test(r.description) || (r.label === 'Terminals' && /\b[1-9]\d* process/.test(r.description))),
      `no terminal row: ${rowsText(rows)}`,
    );
    say(rowsText(rows, 10));
    await widenSideBar(j, page, 160);
    const shot = await j.shot('grouping');
    say(`screenshot: ${shot}`);
    if (updateDocs) say(`wrote ${publishScreenshot(shot, 'vscode-grouping')}`);
  });

  it('2. charts CPU by extension over more than a minute, and lists the top extensions', async function () {
    const { page } = workbench();
    const wait = RECORD_MS - (Date.now() - startedAt);
    if (wait > 0) {
      say(`recording ${Math.round(wait / 1000)} s more so the chart has history`);
      await new Promise((r) => setTimeout(r, wait));
    }
    await j.attempt('"Vitals: Show Dashboard"', () => runCommand(page, 'Vitals: Show Dashboard'));
    const app = dashboardFrame(page);
    // The Live range (the default) seeds from history and asks the VS Code card again every 15 s.
    const card = app.locator('section.vscode-load');
    await j.visible(card, 'the dashboard’s VS Code card', 60_000);
    await card.scrollIntoViewIfNeeded();
    const chart = await j.until(
      'the "CPU by extension" chart with the fixture’s line drawn',
      async () => {
        const charts = await readCharts(app, 'section.vscode-load');
        const cpu = charts.find((c) => c.title.startsWith('CPU by extension'));
        if (!cpu) return miss(charts.map((c) => c.title).join(', ') || 'no charts');
        const problem = chartProblem(cpu, 12);
        if (problem) return miss(problem);
        const line = cpu.series.find((s) => s.label === SPAWNER_NAME);
        if (!line || line.pixels < 12) return miss(describeChart(cpu));
        return cpu;
      },
      { timeoutMs: 120_000, intervalMs: 2000 },
    );
    say(describeChart(chart));
    const table = await j.until('the fixture in the top extensions table', async () => {
      const cells = await card.locator('table.top-extensions tbody tr td.name-cell').allTextContents();
      return cells.includes(SPAWNER_NAME) ? cells : miss(cells.join(', ') || 'no rows');
    });
    say(`top extensions: ${table.join(', ')}`);
    const light = await j.shot('dashboard-light');
    say(`screenshot: ${light}`);
    if (updateDocs) say(`wrote ${publishScreenshot(light, 'vscode-dashboard-light')}`);

    await selectColorTheme(j, page, DARK, 'dark');
    await j.until('the dashboard in the dark theme', async () => {
      const kind = await webviewThemeKind(app);
      return kind === 'vscode-dark' ? true : miss(kind);
    });
    await card.scrollIntoViewIfNeeded();
    await j.until('the chart redrawn in the dark theme', async () => {
      const charts = await readCharts(app, 'section.vscode-load');
      const cpu = charts.find((c) => c.title.startsWith('CPU by extension'));
      return cpu && chartProblem(cpu, 12) === null ? true : miss(cpu ? (chartProblem(cpu, 12) ?? '') : 'no chart');
    });
    const dark = await j.shot('dashboard-dark');
    say(`screenshot: ${dark}`);
    if (updateDocs) say(`wrote ${publishScreenshot(dark, 'vscode-dashboard-dark')}`);
  });

  it('3. lists a server of a commit no window runs under "Left behind by VS Code", and Kill All… ends it once confirmed', async function () {
    this.timeout(240_000);
    const { page } = workbench();
    const old = startOldServer();
    try {
      await j.attempt('the Processes view', () => openActivityBarContainer(page, 'Vitals', 60_000));
      await j.attempt('"Vitals: Group by VS Code"', () => runCommand(page, 'Vitals: Group by VS Code'));
      // The list draws only the rows in view: fold the System view away so the groups below show.
      const system = viewPane(page, 'System').locator('.pane-header');
      if ((await system.getAttribute('aria-expanded')) === 'true') await system.click();
      const rows = await j.until(
        'the "Left behind by VS Code" group with the old server, saying for how long',
        async () => {
          const rows = await paneRows(processesPane());
          if (!rows.some((r) => r.label === 'Left behind by VS Code')) await processesPane().locator('.monaco-list').hover();
          if (!rows.some((r) => r.label === 'Left behind by VS Code')) await page.mouse.wheel(0, 200);
          const group = rows.find((r) => r.label === 'Left behind by VS Code');
          const server = rows.find((r) => r.aria.includes(`pid ${old.pid},`));
          if (server && !/^VS Code server 0123456789 · left behind (< 1 min|1 min)/.test(server.description))
            return miss(server.description);
          return group && server && GROUP_FIGURES.test(group.description) ? rows : miss(rowsText(rows, 20));
        },
        { timeoutMs: 120_000, intervalMs: 1000 },
      );
      say(rowsText(rows.filter((r) => r.label === 'Left behind by VS Code' || /left behind/.test(r.description))));
      // Its tooltip says why (hovering it also moves the pointer off the rows scrolled past).
      await processesPane().locator(`.monaco-list-row[aria-label*="pid ${old.pid},"]`).first().hover();
      await j.visible(
        page.getByText('no open window runs its VS Code commit', { exact: false }).first(),
        'the row’s tooltip saying why',
        15_000,
      );
      const shot = await j.shot('left-behind-dark');
      say(`screenshot: ${shot}`);
      if (updateDocs) say(`wrote ${publishScreenshot(shot, 'vscode-left-behind-dark')}`);

      const groupRow = processesPane().locator('.monaco-list-row').filter({ hasText: 'Left behind by VS Code' }).first();
      await contextMenu(j, page, groupRow, 'Kill All Left Behind…', async () => undefined);
      const dialog = page.locator('.monaco-dialog-box');
      await j.visible(dialog, 'the confirmation naming what it ends', 15_000);
      const text = ((await dialog.textContent()) ?? '').replace(/\s+/g, ' ');
      assert.match(text, /left behind by VS Code\?/, text);
      assert.match(text, /SIGTERM/, text);
      await dialog.locator('.monaco-button', { hasText: 'End All' }).first().click();
      await j.until('the old server to exit', async () => (old.exited() ? true : miss(`pid ${old.pid} still runs`)), {
        timeoutMs: 15_000,
      });
    } finally {
      old.kill();
    }
  });
});

/**
 * What an update leaves on a Remote-SSH or WSL host: ~/.vscode-server/bin/<old commit>/node
 * out/server-main.js, started outside VS Code (this test's process, a clean environment) and then
 * adopted by init as its launching shell exits.
 */
function startOldServer(): { pid: number; exited: () => boolean; kill: () => void } {
  const home = mkdtempSync(join(tmpdir(), 'vitals-e2e-old-server-'));
  const root = join(home, '.vscode-server', 'bin', '0123456789abcdef0123456789abcdef01234567');
  mkdirSync(join(root, 'out'), { recursive: true });
  symlinkSync(process.execPath, join(root, 'node'));
  writeFileSync(join(root, 'out', 'server-main.js'), 'setInterval(() => {}, 1000);\n');
  const out = execFileSync(
    'sh',
    ['-c', `"${root}/node" "${root}/out/server-main.js" --host=127.0.0.1 --port=0 >/dev/null 2>&1 & echo $!`],
    {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
      encoding: 'utf8',
    },
  );
  const pid = Number(out.trim());
  const exited = () => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
      return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
    } catch {
      return true;
    }
  };
  return {
    pid,
    exited,
    kill: () => {
      if (!exited()) process.kill(pid, 'SIGKILL');
      rmSync(home, { recursive: true, force: true });
    },
  };
}

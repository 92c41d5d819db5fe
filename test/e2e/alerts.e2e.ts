// Alerts through the UI of the packaged Vitals: a busy child process with a low threshold raises a
// notification naming it; the dashboard then draws the event on its charts, lists it in the
// Events tab, and answers a click on a chart with who was busy at that moment. One screenshot per
// step in test-results/ (alerts-<theme>-NN-*.png), in a dark and in a light theme.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { after, before, describe, it } from 'mocha';
import { runCommand, useWorkbench, webviewErrors } from './harness';
import { dashboardFrame, selectedTab } from './support/dashboard';
import { Journey, miss } from './support/journey';
import { ALERT_TEST_SETTINGS } from '../support/alertSettings';

const THEMES = [
  { kind: 'dark', theme: 'Default Dark Modern' },
  { kind: 'light', theme: 'Light Modern' },
] as const;

const say = (line: string) => console.log(`      ${line}`);

/** A real busy process: a Node spinning one core, with a marker on its command line. */
async function busyChild(marker: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', 'for(;;){}', '--', marker], { stdio: 'ignore' });
  await once(child, 'spawn');
  return child;
}

for (const { kind, theme } of THEMES) {
  describe(`alerts in the UI (${kind} theme)`, function () {
    const label = `alerts-${kind}`;
    const workbench = useWorkbench({ label, settings: { 'workbench.colorTheme': theme, ...ALERT_TEST_SETTINGS } });
    const j = new Journey(() => workbench().page, label);
    let child: ChildProcess | undefined;

    before(async () => {
      child = await busyChild(`vitals-e2e-busy-${kind}`);
    });

    after(() => {
      child?.kill('SIGKILL');
    });

    it('notifies once, naming the busy process, with its actions', async function () {
      this.timeout(240_000);
      const page = workbench().page;
      const toast = page.locator('.notifications-toasts .notification-toast').filter({ hasText: /of a core/ });
      await j.visible(toast, 'an alert notification naming the busy process', 180_000);
      const text = ((await toast.first().locator('.notification-list-item-message').textContent()) ?? '').replace(/\s+/g, ' ').trim();
      say(`notification: ${text}`);
      // Other busy processes on a loaded machine may start alerts together with the child: then the
      // one notification is a group, with the group's actions.
      const actions = /^\s*\d+ alerts —/.test(text)
        ? ['Show Alerts', 'Snooze All 1 h', 'Settings']
        : ['Show History', 'Kill…', 'Snooze 1 h', 'Settings'];
      for (const action of actions) await j.visible(toast.first().locator('.monaco-button', { hasText: action }), `the action "${action}"`);
      await j.until('one alert notification, not a storm', async () => {
        const n = await toast.count();
        return n === 1 ? true : miss(`${n} alert notifications`);
      });
      await j.until('the status bar marking the alert', async () => {
        const item = page.locator('.statusbar-item', { hasText: /Vitals|CPU/ }).filter({ has: page.locator('.codicon-warning') });
        return (await item.count()) > 0 ? true : miss('no $(warning) on the Vitals item');
      });
      await j.shot('notification');
    });

    it('draws the event on the charts, lists it in the Events tab, and says who did it', async function () {
      this.timeout(240_000);
      const page = workbench().page;
      await runCommand(page, 'Vitals: Show Alerts');
      const app = dashboardFrame(page);
      await j.until('the Events tab', async () => ((await selectedTab(app)) === 'events' ? true : miss(await selectedTab(app))));
      const row = app.locator('#panel-events .events-table tbody tr.clickable').first();
      await j.visible(row, 'an event row in the Events list', 60_000);
      await j.shot('events-list');

      // Live: the last 10 minutes, where a fresh install's minute or two of history fills the charts.
      await app.locator('#tab-overview').click();
      await app.locator('.range-bar button', { hasText: /^\s*Live\s*$/ }).click();
      const chart = app.locator('#panel-overview figure.chart .u-over').first();
      await j.visible(chart, 'the first Overview chart');
      // A fresh install has a minute or two of history at the right end of the 10 minutes: drag
      // across it to zoom in (as a user would), so the event's band spans the charts.
      const box = await chart.boundingBox();
      if (!box) return j.fail('the chart has no box');
      const y = box.y + box.height / 2;
      await page.mouse.move(box.x + box.width - 70, y);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width - 30, y, { steps: 4 });
      await page.mouse.move(box.x + box.width - 1, y, { steps: 4 });
      await page.mouse.up();
      await j.until('the zoom chip', async () => ((await app.locator('.zoom-chip').isVisible()) ? true : miss('not zoomed')));
      // The toasts would hide the charts in the screenshots.
      await runCommand(page, 'Notifications: Clear All Notifications');
      // Let the bands draw (the alerts answer comes after the history).
      await page.waitForTimeout(2000);
      await j.shot('event-markers');

      // Just inside the right end: the newest samples.
      await page.mouse.click(box.x + box.width - 3, box.y + box.height / 2);
      const who = app.locator('#panel-overview .who-did-it');
      await j.visible(who, 'the who-did-it card');
      await j.until('who-did-it rows', async () =>
        (await who.locator('tbody tr').count()) > 0 ? true : miss((await who.textContent()) ?? ''),
      );
      say(`who did it: ${((await who.locator('.who-source').textContent()) ?? '').trim()}`);
      await runCommand(page, 'Notifications: Clear All Notifications');
      await who.scrollIntoViewIfNeeded();
      await j.shot('who-did-it');

      // The keyboard way: focus a chart, move its cursor, Enter.
      await app.locator('#panel-overview .chart-frame.pickable').nth(1).focus();
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.press('Shift+ArrowLeft');
      await page.keyboard.press('Enter');
      await j.until('who-did-it asked from the keyboard', async () =>
        /Who was busy at/.test((await who.locator('h2').textContent()) ?? '') ? true : miss('no title'),
      );

      const errors = webviewErrors(workbench().console);
      if (errors.length) return j.fail(`webview console errors: ${errors.map((e) => e.text).join(' | ')}`);
    });
  });
}

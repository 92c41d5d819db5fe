// Alerts in a real VS Code against the real machine: a busy child process (a Node spinning a core)
// under a low threshold, set in the test workspace's vitals.alerts.* settings, raises exactly one
// notification naming it, with the four actions; the status bar marks it; Show History opens its
// history around the event; Snooze stops it coming back.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { executeCommandWithin, waitFor } from './harness/wait';
import { testLog } from './harness/log';
import { closeDashboard, dashboardTabs, latestSnapshot, samples, vitals, type VitalsTestApi } from './support/vitals';
import { ALERT_TEST_SETTINGS } from '../support/alertSettings';

const ALERT_WAIT = { timeoutMs: 180_000, intervalMs: 250 };

async function setWorkspaceSettings(settings: Record<string, unknown>): Promise<void> {
  const config = vscode.workspace.getConfiguration();
  for (const [key, value] of Object.entries(settings)) await config.update(key, value, vscode.ConfigurationTarget.Workspace);
}

describe('alerts', function () {
  this.timeout(300_000);
  let api: VitalsTestApi;
  let child: ChildProcess | undefined;
  let pid = 0;

  before(async () => {
    api = await vitals();
    await latestSnapshot(api);
    await setWorkspaceSettings(ALERT_TEST_SETTINGS);
    child = spawn(process.execPath, ['-e', 'for(;;){}', '--', 'vitals-itest-busy'], {
      stdio: 'ignore',
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    });
    await once(child, 'spawn');
    pid = child.pid ?? 0;
  });

  after(async () => {
    child?.kill('SIGKILL');
    await setWorkspaceSettings(Object.fromEntries(Object.keys(ALERT_TEST_SETTINGS).map((k) => [k, undefined])));
    await closeDashboard();
  });

  const alertOf = () =>
    api.alerts.current.find((a) => a.rule === 'processCpu' && a.culprit.kind === 'process' && a.culprit.processes[0]?.pid === pid);

  it('a busy child raises exactly one notification naming it, with the four actions, and the status bar marks it', async () => {
    const alert = await waitFor(alertOf, `an active alert naming the busy child (pid ${pid})`, ALERT_WAIT);
    // On a machine where other processes are busy too, their alerts may come first: ours is then
    // grouped with them or held by the quiet time (at most one notification per 30 s). Both are the
    // designed behaviour; the test says which happened.
    const shown = await waitFor(
      () =>
        api.alerts.notifications.find((n) => n.alerts.includes(alert.id)) ?? (api.alerts.heldAlerts.includes(alert.id) ? null : undefined),
      'the notification of that alert (or its hold by the quiet time)',
      ALERT_WAIT,
    );
    if (shown === null) testLog(`alert ${alert.id} was held: another notification was shown less than 30 s before`);
    else if (shown.alerts.length > 1) {
      testLog(`alert ${alert.id} was grouped with ${shown.alerts.length - 1} other(s): ${shown.message}`);
      assert.deepEqual(shown.actions, ['Show Alerts', 'Snooze All 1 h', 'Settings']);
    } else {
      assert.equal(shown.message, alert.text);
      assert.match(shown.message, /of a core/);
      assert.deepEqual(shown.actions, ['Show History', 'Kill…', 'Snooze 1 h', 'Settings']);
    }
    await waitFor(() => api.statusBar.item.text.startsWith('$(warning)'), 'the status bar marking the alert', ALERT_WAIT);
    const tooltip = api.statusBar.item.tooltip;
    assert.ok(tooltip instanceof vscode.MarkdownString && /active alert/i.test(tooltip.value), 'the tooltip lists the alert');
    // More samples: the alert goes on, and it is not notified again.
    await samples(api, 5, 120_000);
    // One notification (or one hold), not one per sample.
    assert.ok(
      api.alerts.notifications.filter((n) => n.alerts.includes(alert.id)).length + (api.alerts.heldAlerts.includes(alert.id) ? 1 : 0) === 1,
      'shown (or held) once',
    );
  });

  it('Show History opens the dashboard on its process, around the event', async () => {
    const alert = await waitFor(alertOf, 'the alert', ALERT_WAIT);
    const target = api.alerts.showHistory(alert);
    assert.equal(target.tab, 'process');
    assert.equal(target.process?.pid, pid);
    assert.ok(target.range && target.range.from < alert.start && target.range.to >= alert.start, 'the range holds the event');
    assert.equal(await executeCommandWithin(30_000, 'vitals.showAlerts'), true);
    await waitFor(() => dashboardTabs()[0], 'the dashboard tab');
  });

  it('Snooze 1 h ends it and keeps it from coming back', async () => {
    const alert = await waitFor(alertOf, 'the alert', ALERT_WAIT);
    const before = api.alerts.notifications.length;
    assert.equal(await executeCommandWithin(60_000, 'vitals.snoozeAlert', { id: alert.id }), alert.id);
    await waitFor(() => !alertOf(), 'the alert gone after the snooze', ALERT_WAIT);
    await samples(api, 8, 120_000);
    assert.equal(alertOf(), undefined, 'the snoozed alert did not start again');
    assert.equal(api.alerts.notifications.length, before, 'no notification after the snooze');
  });
});

// The dashboard opens as a webview panel, and the backend answers the history queries its charts
// make, with what was recorded.
import * as assert from 'node:assert/strict';
import { totalmem } from 'node:os';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { executeCommandWithin, waitFor } from './harness/wait';
import { closeDashboard, dashboardTabs, latestSnapshot, samples, vitals, type VitalsTestApi } from './support/vitals';

const nonNull = (xs: (number | null)[]) => xs.filter((x): x is number => x !== null);

describe('dashboard', () => {
  let api: VitalsTestApi;

  before(async () => {
    api = await vitals();
    await latestSnapshot(api);
    await closeDashboard();
  });

  after(() => closeDashboard());

  it('opens as one webview panel, revealed again rather than duplicated', async () => {
    assert.equal(await executeCommandWithin(30_000, 'vitals.showDashboard'), true);
    const tab = await waitFor(() => dashboardTabs()[0], 'the dashboard tab');
    assert.equal(tab.label, 'Vitals');
    await waitFor(() => dashboardTabs()[0]?.isActive, 'the dashboard tab to be active');
    await vscode.commands.executeCommand('workbench.action.files.newUntitledFile');
    await waitFor(() => !dashboardTabs()[0]?.isActive, 'another editor in front of the dashboard');
    assert.equal(await executeCommandWithin(30_000, 'vitals.showDashboard'), true);
    await waitFor(() => dashboardTabs()[0]?.isActive, 'the dashboard revealed');
    assert.equal(dashboardTabs().length, 1, 'still one dashboard');
    // The empty untitled editor is not dirty: it closes without asking.
    const untitled = vscode.window.tabGroups.all
      .flatMap((g) => g.tabs)
      .filter((t) => t.input instanceof vscode.TabInputText && t.input.uri.scheme === 'untitled');
    await vscode.window.tabGroups.close(untitled);
  });

  it('answers a history query with the recorded system metrics', async () => {
    await samples(api, 3);
    const to = Date.now();
    const from = to - 15 * 60_000;
    const h = await api.backend.request('history', { metrics: ['cpu.total', 'mem.used'], from, to, maxPoints: 300 });
    assert.equal(h.tier, 'raw', 'the last 15 minutes come from the raw samples');
    assert.ok(h.t.length > 0, 'buckets');
    for (let i = 1; i < h.t.length; i++) assert.ok(h.t[i]! > h.t[i - 1]!, 'bucket times ascend');
    const cpu = nonNull(h.series['cpu.total']!.avg);
    const mem = nonNull(h.series['mem.used']!.avg);
    assert.ok(cpu.length >= 3, `at least the last 3 samples hold CPU (${cpu.length})`);
    for (const v of cpu) assert.ok(v >= 0 && v <= 100, `cpu.total ${v}`);
    for (const v of mem) assert.ok(v > 0 && v <= totalmem(), `mem.used ${v}`);
  });

  it('answers a process history query for the extension host', async () => {
    const host = (await latestSnapshot(api)).processes.find((p) => p.pid === process.pid);
    assert.ok(host);
    const to = Date.now();
    const r = await api.backend.request('processHistory', {
      select: { kind: 'process', pid: host.pid, startTime: host.startTime },
      from: to - 15 * 60_000,
      to,
      maxPoints: 300,
    });
    assert.deepEqual(
      r.processes.map((p) => p.pid),
      [process.pid],
    );
    assert.ok(nonNull(r.rssBytes.avg).some((v) => v > 0), 'its memory over time');
  });

  it('opens on a process from Show History', async () => {
    const target = await executeCommandWithin<{ tab: string; process: { pid: number } }>(30_000, 'vitals.showProcessHistory', { pid: process.pid });
    assert.equal(target.tab, 'process');
    assert.equal(target.process.pid, process.pid);
    await waitFor(() => dashboardTabs()[0]?.isActive, 'the dashboard in front');
    assert.equal(dashboardTabs().length, 1);
  });
});

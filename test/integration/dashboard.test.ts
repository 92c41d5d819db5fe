// The dashboard opens as a webview panel, and the backend answers the history queries its charts
// make, with what was recorded.
import * as assert from 'node:assert/strict';
import { totalmem } from 'node:os';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import type { Snapshot } from '../../src/backend';
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

  it('answers a history query with the samples it recorded', async () => {
    const seen: Snapshot[] = [];
    const sub = api.backend.onSnapshot((s) => seen.push(s));
    try {
      await samples(api, 3);
    } finally {
      sub.dispose();
    }
    const from = seen[0]!.t;
    const to = seen[seen.length - 1]!.t + 1;
    const h = await api.backend.request('history', { metrics: ['cpu.total', 'mem.used'], from, to, maxPoints: 300 });
    assert.equal(h.tier, 'raw', 'recent samples come from the raw tier');
    // Each sample the backend published lies within the min/max of its bucket (stored as float32).
    const within = (v: number, lo: number | null | undefined, hi: number | null | undefined): boolean => {
      const f = Math.fround(v);
      const eps = Math.abs(f) * 1e-6 + 1e-6;
      return lo !== null && lo !== undefined && hi !== null && hi !== undefined && lo - eps <= f && f <= hi + eps;
    };
    for (const s of seen) {
      const b = Math.floor((s.t - h.t[0]!) / h.bucketMs);
      assert.ok(b >= 0 && b < h.t.length, `sample ${s.t} falls in a bucket`);
      const cpu = h.series['cpu.total']!;
      const mem = h.series['mem.used']!;
      assert.ok(within(s.system.cpu.total, cpu.min[b], cpu.max[b]), `cpu.total ${s.system.cpu.total} in [${cpu.min[b]}, ${cpu.max[b]}]`);
      assert.ok(
        within(s.system.mem.usedBytes, mem.min[b], mem.max[b]),
        `mem.used ${s.system.mem.usedBytes} in [${mem.min[b]}, ${mem.max[b]}]`,
      );
    }
  });

  it('answers the dashboard’s default 15-minute query', async () => {
    const to = Date.now();
    const h = await api.backend.request('history', { metrics: ['cpu.total', 'mem.used'], from: to - 15 * 60_000, to, maxPoints: 300 });
    assert.ok(h.t.length > 0 && h.t.length <= 300, `${h.t.length} buckets`);
    for (let i = 1; i < h.t.length; i++) assert.ok(h.t[i]! > h.t[i - 1]!, 'bucket times ascend');
    const cpu = nonNull(h.series['cpu.total']!.avg);
    const mem = nonNull(h.series['mem.used']!.avg);
    assert.ok(cpu.length > 0 && mem.length > 0, 'recorded values');
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
    assert.ok(
      nonNull(r.rssBytes.avg).some((v) => v > 0),
      'its memory over time',
    );
  });

  it('opens on a process from Show History', async () => {
    const target = await executeCommandWithin<{ tab: string; process: { pid: number } }>(30_000, 'vitals.showProcessHistory', {
      pid: process.pid,
    });
    assert.equal(target.tab, 'process');
    assert.equal(target.process.pid, process.pid);
    await waitFor(() => dashboardTabs()[0]?.isActive, 'the dashboard in front');
    assert.equal(dashboardTabs().length, 1);
  });
});

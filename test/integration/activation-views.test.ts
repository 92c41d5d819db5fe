// Vitals activates cleanly (its backend starts and samples, its log holds no error) and the
// workbench knows its view container and both views.
import * as assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import * as vscode from 'vscode';
import { vitalsExtension } from './harness/extension';
import { waitFor } from './harness/wait';
import { latestSnapshot, logErrors, readVitalsLog, vitals, waitForLogEntry } from './support/vitals';

interface Manifest {
  contributes: {
    viewsContainers: { activitybar: { id: string; title: string }[] };
    views: Record<string, { id: string; name: string }[]>;
  };
}

describe('activation', () => {
  it('returns the test handle, starts the backend as the recorder and samples', async () => {
    const api = await vitals();
    const snapshot = await latestSnapshot(api);
    assert.ok(snapshot.processes.length > 0, 'the first sample lists processes');
    assert.ok(
      snapshot.processes.some((p) => p.pid === process.pid),
      'the first sample includes the extension host itself',
    );
    const status = await api.backend.request('status', {});
    assert.equal(status.role, 'recorder');
    assert.equal(status.recording, true);
    assert.equal(status.problem ?? '', '');
    assert.equal(api.backendRestarts(), 0, 'the backend worker never crashed');
    assert.ok(api.backend.info && api.backend.info.cpuCount > 0, 'the backend reported the machine');
  });

  it('logs its activation and first sample, and no error', async () => {
    const api = await vitals();
    await latestSnapshot(api);
    await waitForLogEntry(api, 'info', (t) => t.startsWith('Vitals activated in'), 'activation');
    await waitForLogEntry(api, 'info', (t) => t.startsWith('First sample'), 'first sample');
    assert.deepEqual(logErrors(api), [], 'errors in the Vitals log');
    assert.deepEqual(
      readVitalsLog(api).filter((e) => e.level === 'warning'),
      [],
      'warnings in the Vitals log of a default setup',
    );
  });
});

describe('view container and views', () => {
  const manifest = () => vitalsExtension().packageJSON as Manifest;

  it('contributes the Vitals activity bar container with the Processes and System views', () => {
    const { viewsContainers, views } = manifest().contributes;
    assert.deepEqual(
      viewsContainers.activitybar.map((c) => [c.id, c.title]),
      [['vitals', 'Vitals']],
    );
    assert.deepEqual(
      views.vitals?.map((v) => [v.id, v.name]),
      [
        ['vitals.processes', 'Processes'],
        ['vitals.system', 'System'],
      ],
    );
  });

  it('opens the container and focuses each view through the workbench commands', async () => {
    const api = await vitals();
    await vscode.commands.executeCommand('workbench.view.extension.vitals');
    await vscode.commands.executeCommand('vitals.processes.focus');
    await waitFor(() => api.processes.treeView.visible, 'the Processes view to be visible');
    await vscode.commands.executeCommand('vitals.system.focus');
    await waitFor(() => api.system.treeView.visible, 'the System view to be visible');
  });

  it('fills the System view with the machine and the recorder', async () => {
    const api = await vitals();
    await latestSnapshot(api);
    const rows = await waitFor(() => {
      const r = api.system.getChildren();
      return r.some((row) => row.id === 'recorder') ? r : undefined;
    }, 'the System view rows');
    const ids = rows.map((r) => r.id);
    for (const id of ['cpu', 'memory', 'recorder']) assert.ok(ids.includes(id), `System view rows ${ids.join(', ')} lack ${id}`);
    const cpu = api.system.getTreeItem(rows.find((r) => r.id === 'cpu')!);
    assert.equal(cpu.label, 'CPU');
  });
});

// The Processes view against the real machine: a child process this test spawns appears under the
// extension host in tree mode, can be filtered for, sorts by every key, and drops out once Kill
// Process has ended it. Kill Process refuses init and the extension host.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import type { ProcessSample } from '../../src/backend';
import type { ProcessItem } from '../../src/extension/processes/provider';
import { executeCommandWithin, waitFor } from './harness/wait';
import { spawnMarkedChild, type MarkedChild } from './support/child';
import { latestSnapshot, vitals, type VitalsTestApi } from './support/vitals';

interface FilterResult {
  filter: string;
  matches: number;
  visible: number;
}

const COMMAND_TIMEOUT_MS = 30_000;
const run = <T>(command: string, ...args: unknown[]) => executeCommandWithin<T>(COMMAND_TIMEOUT_MS, command, ...args);

/** Every row of the view, depth first, as the tree hands them to VS Code. */
function allRows(api: VitalsTestApi, parent?: ProcessItem): ProcessItem[] {
  return api.processes.getChildren(parent).flatMap((item) => [item, ...allRows(api, item)]);
}

function ancestors(api: VitalsTestApi, item: ProcessItem): ProcessItem[] {
  const chain: ProcessItem[] = [];
  for (let p = api.processes.getParent(item); p; p = api.processes.getParent(p)) chain.push(p);
  return chain;
}

/** The kernel's name for a process (what `ps -o comm` shows), where /proc exists. */
function kernelName(pid: number): string | undefined {
  const f = `/proc/${pid}/comm`;
  return process.platform === 'linux' && existsSync(f) ? readFileSync(f, 'utf8').trim() : undefined;
}

describe('Processes view', function () {
  let api: VitalsTestApi;
  let child: MarkedChild | undefined;

  before(async () => {
    api = await vitals();
    await latestSnapshot(api);
    // The view rebuilds from new samples only while it is visible, as it would for a user.
    await vscode.commands.executeCommand('vitals.processes.focus');
    await waitFor(() => api.processes.treeView.visible, 'the Processes view to be visible');
    assert.equal(await run('vitals.showProcessesAsTree'), 'tree');
    assert.equal((await run<FilterResult>('vitals.clearProcessFilter')).filter, '');
  });

  after(async () => {
    await child?.stop();
    await run('vitals.clearProcessFilter');
    await run('vitals.sortProcesses', 'cpu');
    await run('vitals.showProcessesAsTree');
  });

  it('lists the real processes of this machine', async () => {
    await latestSnapshot(api);
    const rows = await waitFor(() => {
      const r = allRows(api);
      return r.length > 0 ? r : undefined;
    }, 'rows in the Processes view');
    assert.equal(api.processes.currentView?.total, rows.length, 'tree mode shows every sampled process once');
    assert.equal(new Set(rows.map((r) => r.process.pid)).size, rows.length, 'one row per pid');
    const host = api.processes.find(process.pid);
    assert.ok(host, `the extension host (pid ${process.pid}) is a row`);
    assert.equal(api.processes.getParent(host)?.process.pid, process.ppid, 'under the process that started it');
    if (process.platform === 'linux') assert.ok(api.processes.find(1), 'pid 1 is a row');
    const item = api.processes.getTreeItem(host);
    const comm = kernelName(process.pid);
    if (comm !== undefined) assert.equal(item.label, comm, 'the row is named as the kernel names the process');
    assert.match(String(item.description), /%.*·/, 'the row shows CPU and memory');
    assert.ok(!String(item.contextValue).includes('killable'), 'the extension host is not offered for killing');
  });

  it('shows a spawned child process under its parent, the extension host, in tree mode', async () => {
    child = await spawnMarkedChild();
    const c = child;
    const item = await waitFor(() => api.processes.find(c.pid), `the child (pid ${c.pid}) in the view`, { timeoutMs: 60_000 });
    assert.equal(item.process.ppid, process.pid);
    const parent = api.processes.getParent(item);
    assert.ok(parent, 'the child has a parent row');
    assert.equal(parent.process.pid, process.pid, 'its parent row is the extension host');
    assert.ok(api.processes.getChildren(parent).includes(item), 'the extension host row lists the child among its children');
    // The chain up from the child ends at a root the view lists.
    const chain = ancestors(api, item);
    assert.ok(api.processes.getChildren().includes(chain[chain.length - 1]!), 'the child hangs below a root row');
    const treeItem = api.processes.getTreeItem(item);
    const comm = kernelName(c.pid);
    if (comm !== undefined) assert.equal(treeItem.label, comm);
    assert.equal(treeItem.id, `${c.pid}@${item.process.startTime}`);
    assert.match(String(treeItem.contextValue), /^process;cmd;killable$/);
    assert.ok(item.process.command.includes(c.marker), `its command line ${item.process.command} carries the marker`);
    assert.equal(
      api.processes.getTreeItem(parent).collapsibleState,
      vscode.TreeItemCollapsibleState.Expanded,
      'a parent with children opens expanded',
    );
  });

  it('filters by the marker: only the child matches, kept in place under its ancestors', async () => {
    const c = child!;
    const r = await run<FilterResult>('vitals.filterProcesses', c.marker);
    assert.equal(r.filter, c.marker);
    assert.equal(r.matches, 1, 'exactly one process carries the marker');
    const rows = allRows(api);
    assert.equal(rows.length, r.visible);
    const childRow = rows.find((i) => i.process.pid === c.pid);
    assert.ok(childRow, 'the child is shown');
    const kept = new Set(ancestors(api, childRow).map((i) => i.process.pid));
    assert.ok(kept.has(process.pid), 'its parent, the extension host, is kept for context');
    for (const row of rows)
      assert.ok(
        row === childRow || kept.has(row.process.pid),
        `${row.process.name} (${row.process.pid}) is neither the match nor its ancestor`,
      );
    assert.match(String(api.processes.treeView.message), /^Filter ".*": 1 of \d+ processes/);

    assert.equal(await run('vitals.showProcessesAsList'), 'flat');
    const flat = api.processes.getChildren();
    assert.deepEqual(
      flat.map((i) => i.process.pid),
      [c.pid],
      'the flat list shows the match alone',
    );

    const none = await run<FilterResult>('vitals.filterProcesses', `${c.marker}-no-such-process`);
    assert.equal(none.matches, 0);
    assert.deepEqual(api.processes.getChildren(), []);

    const cleared = await run<FilterResult>('vitals.clearProcessFilter');
    assert.equal(cleared.filter, '');
    assert.equal(cleared.matches, api.processes.currentView?.total);
    assert.ok(cleared.matches > 1);
    assert.equal(await run('vitals.showProcessesAsTree'), 'tree');
  });

  const ordered: Record<'cpu' | 'memory' | 'pid' | 'name', (a: ProcessSample, b: ProcessSample) => boolean> = {
    cpu: (a, b) => a.cpu >= b.cpu,
    memory: (a, b) => a.rssBytes >= b.rssBytes,
    pid: (a, b) => a.pid < b.pid,
    name: (a, b) => a.name.toLowerCase() <= b.name.toLowerCase(),
  };
  for (const key of ['memory', 'cpu', 'pid', 'name'] as const) {
    it(`sorts by ${key}`, async () => {
      assert.equal(await run('vitals.sortProcesses', key), key);
      assert.equal(api.processes.viewOptions.sort, key);
      assert.equal(await run('vitals.showProcessesAsList'), 'flat');
      const list = api.processes.getChildren().map((i) => i.process);
      assert.ok(list.length > 1);
      for (let i = 1; i < list.length; i++) {
        const [a, b] = [list[i - 1]!, list[i]!];
        assert.ok(ordered[key](a, b), `flat list by ${key}: ${a.name} (${a.pid}) before ${b.name} (${b.pid})`);
      }
      assert.match(String(api.processes.treeView.description), new RegExp(`^list · by `));
      // In tree mode siblings are sorted the same way.
      assert.equal(await run('vitals.toggleProcessTree'), 'tree');
      const host = api.processes.find(process.pid);
      assert.ok(host);
      for (const siblings of [api.processes.getChildren(), api.processes.getChildren(api.processes.getParent(host))]) {
        const ps = siblings.map((i) => i.process);
        for (let i = 1; i < ps.length; i++) assert.ok(ordered[key](ps[i - 1]!, ps[i]!), `tree siblings by ${key}`);
      }
    });
  }

  it('ends the child with Kill Process (no confirmation) and drops it from the view', async () => {
    const c = child!;
    await run('vitals.sortProcesses', 'cpu');
    const item = await waitFor(() => api.processes.find(c.pid), 'the child in the view');
    // The context menu passes the row itself.
    const outcome = await run<string>('vitals.killProcess', item, { confirm: false });
    assert.equal(outcome, 'signalled');
    const { signal } = await c.exited;
    assert.equal(signal, 'SIGTERM', 'the child was ended by the SIGTERM Vitals sent');
    await waitFor(() => api.processes.find(c.pid) === undefined, `the child (pid ${c.pid}) to leave the view`, { timeoutMs: 60_000 });
    assert.ok(!allRows(api).some((i) => i.process.pid === c.pid));
    // Once gone, a second attempt says so (pid reuse within a few seconds is out of reach of pid_max).
    if (!existsSync(`/proc/${c.pid}`))
      assert.equal(await run('vitals.killProcess', { pid: c.pid, startTime: item.process.startTime }, { confirm: false }), 'already-gone');
  });

  it('refuses to kill pid 1 and the extension host', async () => {
    const snapshot = await latestSnapshot(api);
    const init = snapshot.processes.find((p) => p.pid === 1);
    assert.equal(await run('vitals.killProcess', { pid: 1, startTime: init?.startTime ?? 0 }, { confirm: false }), 'refused');
    if (init) assert.equal(await run('vitals.killProcess', { pid: 1 }, { confirm: false }), 'refused');
    assert.equal(await run('vitals.killProcess', { pid: process.pid }, { confirm: false }), 'refused');
    const host = api.processes.find(process.pid);
    assert.ok(host);
    assert.equal(await run('vitals.killProcess', host, { confirm: false }), 'refused');
    // Still here to say so.
    process.kill(process.pid, 0);
  });
});

// The Containers grouping in a real VS Code: every process under the row of its container, or under
// Host, with the group's CPU and memory the sums of its rows. The extension host's own group is what
// its cgroup says (this machine's: Host, or the container the suite runs in).
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { containerLabel } from '../../src/shared/containers';
import { containerOfCgroupFile } from '../../src/backend/sampling/linux/cgroup';
import { executeCommandWithin, waitFor } from './harness/wait';
import { spawnMarkedChild, type MarkedChild } from './support/child';
import { latestSnapshot, samples, vitals, type VitalsTestApi } from './support/vitals';

const COMMAND_TIMEOUT_MS = 30_000;
const run = <T>(command: string, ...args: unknown[]) => executeCommandWithin<T>(COMMAND_TIMEOUT_MS, command, ...args);

describe('Containers grouping', function () {
  let api: VitalsTestApi;
  let child: MarkedChild | undefined;

  before(async () => {
    api = await vitals();
    await latestSnapshot(api);
    await vscode.commands.executeCommand('vitals.processes.focus');
    await waitFor(() => api.processes.treeView.visible, 'the Processes view to be visible');
    await run('vitals.clearProcessFilter');
  });

  after(async () => {
    await child?.stop();
    await run('vitals.showProcessesAsTree');
  });

  it('puts every process under its container or Host, with the sums on the group row', async () => {
    child = await spawnMarkedChild();
    await samples(api, 1);
    assert.equal(await run('vitals.showProcessesByContainer'), 'containers');
    assert.match(String(api.processes.treeView.description), /^by container · by /);
    api.processes.refresh();
    const view = api.processes.currentView!;
    const groups = api.processes.getChildren();
    assert.ok(groups.length >= 1);
    let rows = 0;
    for (const g of groups) {
      const node = view.byId.get(g.id)!;
      assert.ok(node.group, `${g.id} is a group row`);
      const children = api.processes.getChildren(g);
      assert.equal(children.length, node.group.processes);
      const cpu = children.reduce((s, c) => s + c.process.cpu, 0);
      const rss = children.reduce((s, c) => s + c.process.rssBytes, 0);
      assert.ok(Math.abs(node.group.cpu - cpu) < 0.01, `${node.group.label}: CPU ${node.group.cpu} is the sum ${cpu}`);
      assert.equal(node.group.rssBytes, rss);
      const item = api.processes.getTreeItem(g);
      assert.equal(item.label, node.group.label);
      assert.match(String(item.description), /\d+ process(es)?$/);
      // A group row's menu key (processGroup, processGroup;host…) is not one the process menus match.
      assert.match(String(item.contextValue), /^processGroup(;|$)/, 'no kill or copy on a group row');
      rows += children.length;
    }
    assert.equal(rows, view.total, 'every process is in exactly one group');

    // The extension host and our child are where their cgroup says.
    const own =
      process.platform === 'linux' && existsSync('/proc/self/cgroup')
        ? containerOfCgroupFile(readFileSync('/proc/self/cgroup', 'latin1'))
        : undefined;
    const expected = own ? containerLabel(own) : 'Host';
    const childRow = api.processes.find(child.pid);
    assert.ok(childRow, 'the child is shown');
    const parent = api.processes.getParent(childRow);
    assert.ok(parent);
    const label = view.byId.get(parent.id)?.group?.label ?? '';
    // A name from a Docker socket would extend the label; the id part is the same.
    assert.ok(label === expected || label.startsWith(expected.split(' ')[0]!), `the child is under "${label}", expected "${expected}"`);
    if (!own) assert.equal(view.byId.get(groups[groups.length - 1]!.id)?.group?.label, 'Host', 'Host comes last');
  });
});

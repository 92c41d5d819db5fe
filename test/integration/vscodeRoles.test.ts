// VS Code roles in a real code-server: this window's extension host, a terminal's shell and a
// task's process are named by what this window told the recorder; a process the installed fixture
// extension (test/fixtures/spawner-extension) starts from its folder is attributed to it, shows in
// the VS Code grouping under its extension with summed figures, and its load is in the history
// `loadByGroup` answers from.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import type { ProcessSample, Snapshot } from '../../src/backend';
import type { ProcessItem } from '../../src/extension/processes/provider';
import { executeCommandWithin, waitFor } from './harness/wait';
import { latestSnapshot, vitals, type VitalsTestApi } from './support/vitals';

const SPAWNER = 'vitals-test.spawner';
const SPAWNER_NAME = 'Vitals Test Spawner';
const TERMINAL = 'vitals-roles-term';
const TASK = 'vitals-roles-task';
/** Roles need the context to reach the recorder and a sample after it: generous under load. */
const ROLE_WAIT = { timeoutMs: 90_000, intervalMs: 250 };

const run = <T>(command: string, ...args: unknown[]) => executeCommandWithin<T>(30_000, command, ...args);

function sampled(api: VitalsTestApi, pid: number): ProcessSample | undefined {
  const s: Snapshot | undefined = api.backend.lastSnapshot;
  return s?.processes.find((p) => p.pid === pid);
}

/** The row's description as the Processes view draws it (mode as it is now). */
function description(api: VitalsTestApi, pid: number): string {
  api.processes.refresh();
  const item = api.processes.find(pid);
  assert.ok(item, `pid ${pid} is a row`);
  const d = api.processes.getTreeItem(item).description;
  return typeof d === 'string' ? d : '';
}

describe('VS Code roles', function () {
  // Each step waits for the context to reach the recorder and a sample to carry the role.
  this.timeout(180_000);
  let api: VitalsTestApi;
  let terminal: vscode.Terminal | undefined;
  let task: vscode.TaskExecution | undefined;
  const started = Date.now();

  before(async () => {
    api = await vitals();
    await latestSnapshot(api);
    await vscode.commands.executeCommand('vitals.processes.focus');
    await waitFor(() => api.processes.treeView.visible, 'the Processes view to be visible');
  });

  after(async () => {
    task?.terminate();
    terminal?.dispose();
    await run('vitalsTest.stopServer').catch(() => undefined);
    await run('vitals.showProcessesAsTree');
  });

  it('labels this window’s extension host "this window"', async () => {
    const sent = await api.windowContext.flush();
    assert.equal(sent.extensionHostPid, process.pid);
    assert.ok(
      sent.extensions.some((e) => e.id === SPAWNER && e.name === SPAWNER_NAME),
      'the context lists the installed fixture extension',
    );
    const host = await waitFor(
      () => (sampled(api, process.pid)?.role?.kind === 'extension-host' ? sampled(api, process.pid) : undefined),
      'a role on the extension host',
      ROLE_WAIT,
    );
    assert.equal(host.role?.kind, 'extension-host');
    assert.match(description(api, process.pid), /^extension host \(this window: /);
  });

  it('names a terminal’s shell "terminal: <name>"', async () => {
    terminal = vscode.window.createTerminal({ name: TERMINAL });
    const pid = await waitFor(() => (terminal ? Promise.resolve(terminal.processId) : undefined), 'the terminal’s shell pid');
    assert.ok(pid);
    await waitFor(() => sampled(api, pid)?.role?.kind === 'terminal', `the terminal role on pid ${pid}`, ROLE_WAIT);
    assert.equal(sampled(api, pid)?.role?.detail, TERMINAL);
    assert.match(description(api, pid), new RegExp(`^terminal: ${TERMINAL} · `));
  });

  it('names a task’s process "task: <label>"', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    const t = new vscode.Task(
      { type: 'shell' },
      folder ?? vscode.TaskScope.Workspace,
      TASK,
      'vitals-test',
      new vscode.ShellExecution('sleep 120'),
    );
    const pidPromise = new Promise<number>((resolve) => {
      const sub = vscode.tasks.onDidStartTaskProcess((e) => {
        if (e.execution.task.name !== TASK || e.processId === undefined) return;
        sub.dispose();
        resolve(e.processId);
      });
    });
    task = await vscode.tasks.executeTask(t);
    const pid = await waitFor(
      () => Promise.race([pidPromise, new Promise<undefined>((r) => setTimeout(() => r(undefined), 500))]),
      'the task’s pid',
    );
    await waitFor(() => sampled(api, pid)?.role?.kind === 'task', `the task role on pid ${pid}`, ROLE_WAIT);
    assert.equal(sampled(api, pid)?.role?.detail, TASK);
    assert.match(description(api, pid), new RegExp(`^task: ${TASK} · `));
  });

  it('attributes the fixture extension’s child process to it, groups it and keeps its load', async () => {
    const pid = await run<number>('vitalsTest.spawnServer');
    assert.ok(typeof pid === 'number' && pid > 0, 'the fixture started its server');
    const p = await waitFor(
      () => (sampled(api, pid)?.role?.extensionId === SPAWNER ? sampled(api, pid) : undefined),
      'the server attributed to the fixture',
      ROLE_WAIT,
    );
    assert.equal(p.role?.kind, 'extension');
    assert.equal(p.role?.extensionName, SPAWNER_NAME);
    assert.ok(description(api, pid).includes(`· ${SPAWNER_NAME} · `), 'the row names the extension before the figures');

    // The VS Code grouping: under this window's extension host, in the fixture's own group.
    assert.equal(await run('vitals.showProcessesByVsCode'), 'vscode');
    api.processes.refresh();
    const group = await waitFor(() => {
      api.processes.refresh();
      return api.processes.findGroup((g) => g.kind === 'extension' && g.extensionId === SPAWNER);
    }, 'the fixture’s group row');
    assert.ok(api.processes.groupOf(group)?.members.some((m) => m.pid === pid));
    const row = api.processes.find(pid) as ProcessItem;
    const host = api.processes.getParent(api.processes.getParent(row) as ProcessItem);
    assert.ok(host && host.process.pid === process.pid, 'the extension group sits under this window’s extension host');
    const windowRow = api.processes.getParent(host) as ProcessItem;
    assert.match(api.processes.groupOf(windowRow)?.label ?? '', /\(this window\)$/);
    const drawn = api.processes.getTreeItem(group);
    assert.equal(drawn.label, SPAWNER_NAME);
    assert.match(String(drawn.description), /^\d+\.\d% · .* · 1 process$/);

    // History: the fixture's CPU by extension over the range, from the recorder's store.
    const load = await waitFor(
      async () => {
        const r = await api.backend.request('loadByGroup', { from: started, to: Date.now(), by: 'extension', maxPoints: 60, limit: 50 });
        const g = r.groups.find((x) => x.key === SPAWNER);
        return g && g.cpuAvg > 0 && g.rssMaxBytes > 0 ? g : undefined;
      },
      'the fixture’s load in loadByGroup',
      { timeoutMs: 120_000, intervalMs: 1000 },
    );
    assert.equal(load.label, SPAWNER_NAME);
    assert.ok(load.processes >= 1);
    const byRole = await api.backend.request('loadByGroup', { from: started, to: Date.now(), by: 'role', maxPoints: 60, limit: 50 });
    assert.ok(
      byRole.groups.some((g) => g.key === 'extension-host'),
      'by role lists the extension host',
    );
  });

  it('lists a detached child whose parent is killed under "Left behind by VS Code", and Kill All Left Behind ends it', async () => {
    // A shell this extension host starts puts a node in the background and says its pid; killing
    // the shell re-parents the node away from VS Code (to init or a subreaper): left behind.
    const shell = spawn('sh', ['-c', `"${process.execPath}" -e 'setInterval(() => {}, 1000)' & echo $!; exec sleep 600`], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const orphanPid = await new Promise<number>((resolve, reject) => {
      shell.stdout.once('data', (d: Buffer) => resolve(Number(String(d).trim())));
      shell.once('error', reject);
    });
    try {
      await waitFor(() => sampled(api, orphanPid)?.role !== undefined, 'the background node to have a VS Code role', ROLE_WAIT);
      assert.equal(sampled(api, orphanPid)?.role?.leftBehindSince, undefined, 'not left behind while its parent lives');
      shell.kill('SIGKILL');
      const p = await waitFor(
        () => (sampled(api, orphanPid)?.role?.leftBehindSince !== undefined ? sampled(api, orphanPid) : undefined),
        'the orphan marked left behind',
        ROLE_WAIT,
      );
      assert.notEqual(p.ppid, shell.pid, 'it was re-parented');
      assert.match(description(api, orphanPid), /left behind/);

      assert.equal(await run('vitals.showProcessesByVsCode'), 'vscode');
      const group = await waitFor(() => {
        api.processes.refresh();
        return api.processes.findGroup((g) => g.kind === 'left-behind');
      }, 'the "Left behind by VS Code" group row');
      assert.match(String(api.processes.getTreeItem(group).label), /Left behind/);
      assert.ok(
        api.processes.groupOf(group)?.members.some((m) => m.pid === orphanPid),
        'the orphan is in the group',
      );

      // The command asks first (a modal this test cannot answer); confirm: false is its answer "End All".
      const result = await run<{ outcomes: Record<number, string>; cancelled: boolean }>('vitals.killLeftBehind', group, {
        confirm: false,
      });
      assert.equal(result.cancelled, false);
      assert.equal(result.outcomes[orphanPid], 'signalled');
      await waitFor(() => !isAlive(orphanPid), 'the orphan to exit', { timeoutMs: 10_000 });
    } finally {
      shell.kill('SIGKILL');
      if (isAlive(orphanPid)) process.kill(orphanPid, 'SIGKILL');
    }
  });
});

describe('VS Code roles: a server of an old commit', function () {
  this.timeout(180_000);

  it('lists a server install of a commit no window runs under "Left behind by VS Code", saying why', async () => {
    const api = await vitals();
    // What an update leaves on a Remote-SSH or WSL host: ~/.vscode-server/bin/<old commit>/node
    // out/server-main.js, started outside VS Code (a clean environment) and adopted by init.
    const oldCommit = '0123456789abcdef0123456789abcdef01234567';
    const home = mkdtempSync(join(tmpdir(), 'vitals-old-server-'));
    const root = join(home, '.vscode-server', 'bin', oldCommit);
    mkdirSync(join(root, 'out'), { recursive: true });
    symlinkSync(process.execPath, join(root, 'node'));
    writeFileSync(join(root, 'out', 'server-main.js'), 'setInterval(() => {}, 1000);\n');
    const shell = spawn('sh', ['-c', `"${root}/node" "${root}/out/server-main.js" --host=127.0.0.1 --port=0 >/dev/null 2>&1 & echo $!`], {
      stdio: ['ignore', 'pipe', 'ignore'],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    });
    const serverPid = await new Promise<number>((resolve, reject) => {
      shell.stdout.once('data', (d: Buffer) => resolve(Number(String(d).trim())));
      shell.once('error', reject);
    });
    try {
      const p = await waitFor(
        () => (sampled(api, serverPid)?.role?.leftBehindReason === 'commit-gone' ? sampled(api, serverPid) : undefined),
        'the old server marked left behind',
        ROLE_WAIT,
      );
      assert.equal(p.role?.kind, 'server');
      assert.equal(p.role?.commit, oldCommit);
      assert.equal(await run('vitals.showProcessesByVsCode'), 'vscode');
      assert.match(description(api, serverPid), /VS Code server 0123456789 · left behind < 1 min/);
      const group = await waitFor(() => {
        api.processes.refresh();
        return api.processes.findGroup((g) => g.kind === 'left-behind');
      }, 'the "Left behind by VS Code" group row');
      assert.ok(
        api.processes.groupOf(group)?.members.some((m) => m.pid === serverPid),
        'the old server is in the group',
      );
      const item = api.processes.find(serverPid)!;
      const tooltip = api.processes.resolveTreeItem(api.processes.getTreeItem(item), item).tooltip;
      assert.ok(tooltip instanceof vscode.MarkdownString, 'a Markdown tooltip');
      assert.match(tooltip.value, /no open window runs its VS Code commit/);
      // This window's own server (code-server, the window's commit) is not left behind.
      const own = api.backend.lastSnapshot?.processes.filter((q) => q.role?.kind === 'server' && q.pid !== serverPid) ?? [];
      assert.ok(own.length > 0, 'code-server is sampled as a server');
      assert.ok(
        own.every((q) => q.role?.leftBehindSince === undefined),
        'the window’s own server is not left behind',
      );
    } finally {
      if (isAlive(serverPid)) process.kill(serverPid, 'SIGKILL');
      rmSync(home, { recursive: true, force: true });
    }
  });
});

/** Running, not a zombie: an orphan's new parent (init in a container) may be slow to reap it. */
function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

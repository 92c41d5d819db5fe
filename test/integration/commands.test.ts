// Every command Vitals contributes executes and returns what it did. Commands that would ask
// something (quick picks, modal confirmations, save dialogs) get the arguments that skip the
// question; those whose questions are quick inputs are also run without arguments and dismissed,
// to show they end cleanly when the user backs out.
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import type { BackendStatus, BackupInfo, ExportResult, HealthReport } from '../../src/backend';
import { vitalsExtension } from './harness/extension';
import { executeCommandWithin, waitFor } from './harness/wait';
import { closeDashboard, closeQuickInput, dashboardTabs, latestSnapshot, samples, vitals, type VitalsTestApi } from './support/vitals';

const COMMAND_TIMEOUT_MS = 60_000;

interface CommandCase {
  /** Arguments that skip every question. */
  args: () => unknown[] | Promise<unknown[]>;
  check: (result: unknown) => void | Promise<void>;
}

let api: VitalsTestApi;
let scratch: string;
let backup: BackupInfo | undefined;

function isStatus(v: unknown): v is BackendStatus {
  return typeof v === 'object' && v !== null && 'role' in v && 'recording' in v && 'databasePath' in v;
}

const allTabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs);

async function clipboard(): Promise<string> {
  return vscode.env.clipboard.readText();
}

/** Keyed by command id; a contributed command missing here fails the suite (add its case). */
const CASES: Record<string, CommandCase> = {
  'vitals.copyDiagnostics': {
    args: () => [],
    check: (r) => {
      assert.equal(typeof r, 'string');
      const md = r as string;
      assert.ok(md.includes('extension host'), 'names the extension host');
      assert.ok(md.includes('\n## '), 'has a section heading');
    },
  },
  'vitals.showDashboard': {
    args: () => [],
    check: async (r) => {
      assert.equal(r, true);
      await waitFor(() => dashboardTabs().length === 1, 'one dashboard tab');
    },
  },
  'vitals.showStorageHealth': {
    args: () => [],
    check: (r) => {
      const h = r as HealthReport;
      assert.equal(h.databasePath, api.backend.lastStatus?.databasePath);
      assert.equal(h.role, 'recorder');
      assert.ok(typeof h.rowCounts === 'object' && 'sys_raw' in h.rowCounts);
    },
  },
  'vitals.exportHistory': {
    args: () => [
      { from: Date.now() - 3_600_000, to: Date.now(), format: 'json', scope: { kind: 'system' }, outPath: join(scratch, 'export.json') },
    ],
    check: (r) => {
      const e = r as ExportResult;
      assert.equal(e.outPath, join(scratch, 'export.json'));
      assert.ok(e.rows > 0, 'rows exported');
      assert.equal(statSync(e.outPath).size, e.bytes);
    },
  },
  'vitals.pauseRecording': {
    args: () => [],
    check: (r) => {
      assert.ok(isStatus(r));
      assert.equal(r.recording, false);
      assert.equal(api.backend.lastStatus?.recording, false);
    },
  },
  'vitals.resumeRecording': {
    args: () => [],
    check: (r) => {
      assert.ok(isStatus(r));
      assert.equal(r.recording, true);
      assert.equal(api.backend.lastStatus?.recording, true);
    },
  },
  'vitals.clearHistory': {
    args: () => [{ confirm: false }],
    check: async (r) => {
      assert.ok(isStatus(r));
      assert.equal(r.role, 'recorder');
      const h = await api.backend.request('health', {});
      // A sample may land between the clear and this question; never the history from before.
      assert.ok((h.rowCounts.sys_raw ?? 0) <= 2, `sys_raw holds ${h.rowCounts.sys_raw} rows after Clear History`);
    },
  },
  'vitals.showLogs': {
    args: () => [],
    check: (r) => assert.equal(r, true),
  },
  'vitals.openSettings': {
    args: () => [],
    check: async () => {
      const tab = await waitFor(() => allTabs().find((t) => t.label === 'Settings'), 'the Settings editor');
      await vscode.window.tabGroups.close(tab);
    },
  },
  'vitals.backupNow': {
    args: () => [],
    check: (r) => {
      const b = r as BackupInfo;
      assert.ok(existsSync(b.path), `the backup ${b.path} exists`);
      assert.equal(statSync(b.path).size, b.sizeBytes);
      backup = b;
    },
  },
  'vitals.restoreBackup': {
    // The backup Back Up Now made just before (or one made here when only this case runs).
    args: async () => [(backup ?? (await api.backend.request('backupNow', {}))).path, { confirm: false }],
    check: (r) => {
      assert.ok(isStatus(r));
      assert.equal(r.role, 'recorder');
      assert.equal(r.recording, true);
    },
  },
  'vitals.filterProcesses': {
    args: () => ['node'],
    check: (r) => {
      const f = r as { filter: string; matches: number; visible: number };
      assert.equal(f.filter, 'node');
      assert.ok(f.matches >= 1, 'the extension host itself is a node process');
      assert.ok(f.visible >= f.matches);
    },
  },
  'vitals.clearProcessFilter': {
    args: () => [],
    check: (r) => assert.equal((r as { filter: string }).filter, ''),
  },
  'vitals.sortProcesses': {
    args: () => ['memory'],
    check: (r) => {
      assert.equal(r, 'memory');
      assert.equal(api.processes.viewOptions.sort, 'memory');
    },
  },
  'vitals.toggleProcessTree': {
    args: () => [],
    check: (r) => {
      assert.ok(r === 'tree' || r === 'flat');
      assert.equal(api.processes.viewOptions.mode, r);
    },
  },
  'vitals.showProcessesAsTree': {
    args: () => [],
    check: (r) => {
      assert.equal(r, 'tree');
      assert.equal(api.processes.viewOptions.mode, 'tree');
    },
  },
  'vitals.showProcessesAsList': {
    args: () => [],
    check: (r) => {
      assert.equal(r, 'flat');
      assert.equal(api.processes.viewOptions.mode, 'flat');
    },
  },
  'vitals.showProcessesByContainer': {
    args: () => [],
    check: (r) => {
      assert.equal(r, 'containers');
      assert.equal(api.processes.viewOptions.mode, 'containers');
    },
  },
  'vitals.refreshProcesses': {
    args: () => [],
    check: () => assert.ok(api.processes.currentView && api.processes.currentView.total > 0, 'the view was rebuilt from the latest sample'),
  },
  'vitals.showProcessHistory': {
    args: () => [{ pid: process.pid }],
    check: async (r) => {
      const t = r as { tab: string; process: { pid: number; startTime: number } };
      assert.equal(t.tab, 'process');
      assert.equal(t.process.pid, process.pid);
      assert.ok(t.process.startTime > 0);
      await waitFor(() => dashboardTabs().length === 1, 'the dashboard to show it');
    },
  },
  'vitals.copyPid': {
    args: () => [{ pid: process.pid }],
    check: async (r) => {
      assert.equal(r, String(process.pid));
      assert.equal(await clipboard(), String(process.pid));
    },
  },
  'vitals.copyCommandLine': {
    args: () => [{ pid: process.pid }],
    check: async (r) => {
      assert.equal(typeof r, 'string');
      assert.equal(r, api.backend.lastSnapshot?.processes.find((p) => p.pid === process.pid)?.command, 'the sampled command line');
      // Read from the kernel: it starts with the program the extension host runs.
      if (process.platform === 'linux') assert.ok((r as string).startsWith(readFileSync('/proc/self/cmdline', 'utf8').split('\0')[0]!));
      assert.equal(await clipboard(), r);
    },
  },
  'vitals.killProcess': {
    args: () => [{ pid: 1, startTime: 0 }, { confirm: false }],
    check: (r) => assert.equal(r, 'refused'),
  },
  'vitals.showProcessesByVsCode': {
    args: () => [],
    check: (r) => {
      assert.equal(r, 'vscode');
      assert.equal(api.processes.viewOptions.mode, 'vscode');
    },
  },
  // Without a group row argument it acts on the left-behind group shown now (usually none: nothing
  // to end); never asked here, so never cancelled.
  'vitals.showAlerts': {
    args: () => [],
    check: async (r) => {
      assert.equal(r, true);
      await waitFor(() => dashboardTabs().length === 1, 'the dashboard (its Events tab)');
    },
  },
  // An alert that is not active (the alerts suite snoozes and kills real ones): said, nothing done.
  'vitals.snoozeAlert': {
    args: () => [{ id: 'no-such-alert' }, 60_000],
    check: (r) => assert.equal(r, undefined),
  },
  'vitals.killAlertCulprit': {
    args: () => [{ id: 'no-such-alert' }],
    check: (r) => assert.equal(r, undefined),
  },
  'vitals.killLeftBehind': {
    args: () => [undefined, { confirm: false }],
    check: (r) => assert.equal((r as { cancelled: boolean }).cancelled, false),
  },
};

function contributed(): string[] {
  const pkg = vitalsExtension().packageJSON as { contributes: { commands: { command: string }[] } };
  return pkg.contributes.commands.map((c) => c.command);
}

describe('commands', () => {
  before(async () => {
    api = await vitals();
    scratch = mkdtempSync(join(tmpdir(), 'vitals-itest-commands-'));
    await latestSnapshot(api);
    // Something recorded to export, and a Processes view to act on.
    await samples(api, 2);
    await vscode.commands.executeCommand('vitals.processes.focus');
  });

  afterEach(async () => {
    // Nothing a command opened may stay in the way of the next one.
    await closeQuickInput();
  });

  after(async () => {
    await closeDashboard();
    await vscode.commands.executeCommand('workbench.action.closePanel');
    await executeCommandWithin(COMMAND_TIMEOUT_MS, 'vitals.clearProcessFilter');
    await executeCommandWithin(COMMAND_TIMEOUT_MS, 'vitals.sortProcesses', 'cpu');
    await executeCommandWithin(COMMAND_TIMEOUT_MS, 'vitals.showProcessesAsTree');
    rmSync(scratch, { recursive: true, force: true });
  });

  it('registers every contributed command, and each has a case here', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    const ids = contributed();
    assert.ok(ids.length > 0);
    assert.deepEqual(
      ids.filter((id) => !registered.has(id)),
      [],
      'contributed but not registered',
    );
    assert.deepEqual(
      ids.filter((id) => !(id in CASES)),
      [],
      'contributed commands without a test case',
    );
  });

  for (const id of contributed()) {
    it(`${id} executes`, async () => {
      const c = CASES[id];
      assert.ok(c, `no test case for ${id}`);
      const result = await executeCommandWithin<unknown>(COMMAND_TIMEOUT_MS, id, ...(await c.args()));
      await c.check(result);
    });
  }

  it('vitals.clearHistory can back up first: the backup holds what was cleared', async () => {
    await samples(api, 1);
    const before = await api.backend.request('listBackups', {});
    const r = await executeCommandWithin<unknown>(COMMAND_TIMEOUT_MS, 'vitals.clearHistory', { confirm: false, backupFirst: true });
    assert.ok(isStatus(r));
    const after = await api.backend.request('listBackups', {});
    const added = after.filter((b) => !before.some((o) => o.path === b.path));
    assert.equal(added.length, 1, 'one new backup');
    assert.ok((added[0]?.sizeBytes ?? 0) > 0);
    const h = await api.backend.request('health', {});
    assert.ok((h.rowCounts.sys_raw ?? 0) <= 2, `sys_raw holds ${h.rowCounts.sys_raw} rows after Clear History`);
  });

  // Without arguments these ask through a quick pick or an input box; dismissing it ends them.
  for (const id of ['vitals.filterProcesses', 'vitals.sortProcesses', 'vitals.exportHistory', 'vitals.restoreBackup']) {
    it(`${id} without arguments ends cleanly when its question is dismissed`, async () => {
      const options = { ...api.processes.viewOptions };
      let settled = false;
      const pending = Promise.resolve(vscode.commands.executeCommand<unknown>(id)).finally(() => (settled = true));
      // The question appears at some point after the call: keep dismissing until the command ends.
      const deadline = Date.now() + COMMAND_TIMEOUT_MS;
      while (!settled && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
        await closeQuickInput();
      }
      assert.ok(settled, `${id} still waits after its question was dismissed`);
      assert.equal(await pending, undefined, `${id} did nothing when dismissed`);
      assert.deepEqual(api.processes.viewOptions, options, 'the view options are unchanged');
    });
  }
});

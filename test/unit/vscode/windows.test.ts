// Every window's context reaches the one recorder: the recorder's own window directly, a viewer's
// over the live feed (sent again when it connects), and each leaves with its window. Two real
// Monitors on one database, as two VS Code windows run them (real lock, real feed socket, sql.js).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { defaultMonitorConfig } from '../../../src/backend/config';
import { Monitor } from '../../../src/backend/monitor';
import type { ProcessRole, Snapshot, WindowContext } from '../../../src/backend/types';
import { INFO, recordingSink, removeDir, syntheticSamplers, tempDir, waitFor, type RecordingSink } from '../durability/support/harness';

let dir: string;
let db: string;
const open: Monitor[] = [];
const config = defaultMonitorConfig({ sampleIntervalMs: 200, flushIntervalMs: 200, checkpointIntervalMs: 3_600_000, backupsKept: 0 });

beforeEach(() => {
  dir = tempDir('vscode-windows');
  db = join(dir, 'vitals.sqlite');
});
afterEach(async () => {
  for (const m of open.splice(0)) await m.close();
  removeDir(dir);
});

async function window(): Promise<{ monitor: Monitor; sink: RecordingSink }> {
  const sink = recordingSink();
  const monitor = await Monitor.open({ dbPath: db, config, sink, samplers: syntheticSamplers(20), info: INFO, lockPollMs: 50 });
  open.push(monitor);
  return { monitor, sink };
}

const ctx = (hostPid: number, workspace: string, terminal: { pid: number; name: string }): WindowContext => ({
  extensionHostPid: hostPid,
  workspace,
  appRoot: '/usr/share/code/resources/app',
  appName: 'Visual Studio Code',
  version: '1.100.3',
  commit: '',
  terminals: [terminal],
  tasks: [],
  extensions: [],
});

const roleIn = (s: Snapshot | undefined, pid: number): ProcessRole | undefined => s?.processes.find((p) => p.pid === pid)?.role;
const latest = (w: { sink: RecordingSink }): Snapshot | undefined => w.sink.snapshots[w.sink.snapshots.length - 1];

describe('window contexts across windows', () => {
  it('labels each window’s processes in every window, and a closed window’s labels leave with it but stay in history', async () => {
    const a = await window();
    const b = await window();
    expect(a.monitor.status().role).toBe('recorder');
    expect(b.monitor.status().role).toBe('viewer');
    expect(await a.monitor.setWindowContext(ctx(1005, 'alpha', { pid: 1012, name: 'zsh' }))).toEqual({ windows: 1 });
    // Sent before or after the viewer reaches the feed: it gets there either way.
    await b.monitor.setWindowContext(ctx(1006, 'beta', { pid: 1013, name: 'fish' }));

    await waitFor(
      () => roleIn(latest(b), 1006)?.detail === 'beta' && roleIn(latest(b), 1005)?.detail === 'alpha',
      'both windows’ labels in the viewer',
    );
    for (const w of [a, b]) {
      const s = latest(w);
      expect(roleIn(s, 1005)).toMatchObject({ kind: 'extension-host', detail: 'alpha', hostPid: 1005 });
      expect(roleIn(s, 1006)).toMatchObject({ kind: 'extension-host', detail: 'beta', hostPid: 1006 });
      expect(roleIn(s, 1013)).toEqual({ kind: 'terminal', detail: 'fish', hostPid: 1006 });
      expect(roleIn(s, 1012)).toEqual({ kind: 'terminal', detail: 'zsh', hostPid: 1005 });
    }
    expect(await b.monitor.setWindowContext(ctx(1006, 'beta', { pid: 1013, name: 'fish' }))).toEqual({ windows: 2 });

    await b.monitor.close();
    open.splice(open.indexOf(b.monitor), 1);
    await waitFor(() => roleIn(latest(a), 1006) === undefined && roleIn(latest(a), 1013) === undefined, 'the closed window’s labels gone');
    expect(roleIn(latest(a), 1005)?.detail).toBe('alpha');
    // What was recorded keeps the role it had.
    const stored = a.monitor.searchProcesses('proc6', 50).find((p) => p.pid === 1006);
    expect(stored?.role).toMatchObject({ kind: 'extension-host', detail: 'beta', hostPid: 1006 });
  });
});

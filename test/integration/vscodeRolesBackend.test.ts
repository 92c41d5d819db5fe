// VS Code roles from the backend's side, in a real code-server: this window's extension host and
// its server are named in the snapshots the window receives, and a process this extension host
// starts with `--clientProcessId=<its pid>` is an extension's process of this host (which extension,
// only a window's context can say: nothing is guessed here).
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'mocha';
import type { ProcessSample } from '../../src/backend';
import { waitFor } from './harness/wait';
import { latestSnapshot, vitals, type VitalsTestApi } from './support/vitals';

describe('VS Code roles (backend)', function () {
  this.timeout(180_000);
  let api: VitalsTestApi;
  let child: ChildProcess | undefined;

  before(async () => {
    api = await vitals();
  });
  after(() => {
    child?.kill('SIGKILL');
  });

  const find = async (pid: number): Promise<ProcessSample | undefined> => (await latestSnapshot(api)).processes.find((p) => p.pid === pid);

  it('names this window’s extension host and the server above it', async () => {
    let host: ProcessSample | undefined;
    await waitFor(async () => (host = await find(process.pid))?.role?.kind === 'extension-host', 'the extension host’s role', {
      timeoutMs: 120_000,
    });
    assert.equal(host!.role!.hostPid ?? process.pid, process.pid);
    const snapshot = await latestSnapshot(api);
    const byPid = new Map(snapshot.processes.map((p) => [p.pid, p]));
    const kinds: string[] = [];
    for (let p = byPid.get(host!.ppid); p; p = byPid.get(p.ppid)) kinds.push(p.role?.kind ?? '-');
    assert.ok(kinds.includes('server'), `a server above the extension host (ancestors: ${kinds.join(' ← ')})`);
  });

  it('labels a language server this extension host starts as an extension’s process of this host', async () => {
    child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', '--', '--node-ipc', `--clientProcessId=${process.pid}`], {
      stdio: 'ignore',
    });
    const pid = child.pid!;
    let seen: ProcessSample | undefined;
    await waitFor(async () => (seen = await find(pid))?.role !== undefined, 'the child’s role', { timeoutMs: 120_000 });
    assert.equal(seen!.role!.kind, 'extension');
    assert.equal(seen!.role!.hostPid, process.pid);
    assert.equal(seen!.role!.leftBehindSince, undefined);
  });
});

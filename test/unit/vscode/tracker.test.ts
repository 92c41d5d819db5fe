// The role tracker on the real /proc with real processes: a stand-in extension host (a node process
// with the extension host's environment variables) that starts a language server out of an
// extension's folder with `--clientProcessId`, then dies and leaves it behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LinuxProcessSampler } from '../../../src/backend/sampling/linux/processSampler';
import { RoleTracker } from '../../../src/backend/vscode/tracker';
import { WindowContexts } from '../../../src/backend/vscode/windowContexts';
import type { ProcessSample, WindowContext } from '../../../src/backend/types';

let dir: string;
let extDir: string;
const started: number[] = [];
const children: ChildProcess[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vitals-roles-'));
  extDir = join(dir, 'extensions', 'test.fixture-1.0.0');
  mkdirSync(extDir, { recursive: true });
  writeFileSync(join(extDir, 'server.js'), 'setInterval(() => {}, 1000);\n');
  // The host starts its server detached, as language clients may, so it outlives the host.
  writeFileSync(
    join(dir, 'host.js'),
    `const { spawn } = require('node:child_process');
const c = spawn(process.execPath, [${JSON.stringify(join(extDir, 'server.js'))}, '--node-ipc', '--clientProcessId=' + process.pid], { detached: true, stdio: 'ignore' });
c.unref();
process.stdout.write(String(c.pid) + '\\n');
setInterval(() => {}, 1000);
`,
  );
});
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  for (const pid of started.splice(0))
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone already
    }
  rmSync(dir, { recursive: true, force: true });
});

/** Starts the stand-in extension host; resolves with its pid and its server's. */
async function startHost(): Promise<{ host: ChildProcess; server: number }> {
  const host = spawn(process.execPath, [join(dir, 'host.js')], {
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { ...process.env, VSCODE_ESM_ENTRYPOINT: 'vs/workbench/api/node/extensionHostProcess', VSCODE_HANDLES_UNCAUGHT_ERRORS: 'true' },
  });
  children.push(host);
  const server = await new Promise<number>((resolve, reject) => {
    host.stdout!.once('data', (b: Buffer) => resolve(Number(b.toString().trim())));
    host.once('error', reject);
  });
  started.push(server);
  return { host, server };
}

function context(hostPid: number): WindowContext {
  return {
    extensionHostPid: hostPid,
    workspace: 'my-app',
    appRoot: '/nonexistent/app',
    appName: 'Visual Studio Code',
    version: '1.100.3',
    commit: '',
    terminals: [],
    tasks: [],
    extensions: [{ id: 'test.fixture', name: 'Fixture Extension', version: '1.0.0', path: extDir }],
  };
}

async function until<T>(read: () => T | undefined, what: string): Promise<T> {
  const end = Date.now() + 60_000;
  for (;;) {
    const v = read();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('RoleTracker on the real /proc', () => {
  it('labels a window’s extension host and its extension’s server, reads each environment once, and marks the server left behind when the host dies', async () => {
    const sampler = new LinuxProcessSampler({ commandLine: 'full' });
    const tracker = new RoleTracker({ procRoot: '/proc' });
    const contexts = new WindowContexts();
    try {
      const { host, server } = await startHost();
      const sample = (): ProcessSample[] => {
        const ps = sampler.sampleSync(Date.now());
        tracker.apply(ps, contexts, Date.now());
        return ps;
      };
      const find = (ps: ProcessSample[], pid: number): ProcessSample | undefined => ps.find((p) => p.pid === pid);

      // Before the window says anything: the server carries --clientProcessId; the host is unknown.
      let ps = sample();
      expect(find(ps, server)?.role).toEqual({ kind: 'extension', detail: 'language server', hostPid: host.pid });
      expect(find(ps, host.pid!)?.role).toBeUndefined();

      contexts.set('self', context(host.pid!));
      ps = sample();
      expect(find(ps, host.pid!)?.role).toMatchObject({ kind: 'extension-host', detail: 'my-app', hostPid: host.pid });
      expect(find(ps, server)?.role).toEqual({
        kind: 'extension',
        detail: 'language server',
        extensionId: 'test.fixture',
        extensionName: 'Fixture Extension',
        hostPid: host.pid,
      });

      // Once per identity: a third sample reads no environment again.
      const reads = tracker.counters.environReads;
      expect(reads).toBeGreaterThan(0);
      sample();
      expect(tracker.counters.environReads).toBe(reads);

      host.kill('SIGKILL');
      const behind = await until(() => {
        const p = find(sample(), server);
        return p?.role?.leftBehindSince !== undefined ? p : undefined;
      }, 'the server left behind');
      expect(behind.ppid).not.toBe(host.pid);
      expect(behind.role).toMatchObject({ kind: 'extension', extensionId: 'test.fixture', hostPid: host.pid });
      // It stays left behind, since the same moment.
      const since = behind.role!.leftBehindSince;
      expect(find(sample(), server)?.role?.leftBehindSince).toBe(since);
    } finally {
      sampler.dispose();
    }
  });

  it('marks a server install of a commit no window runs left behind, and not once a window runs that commit', async () => {
    // A Remote-SSH/WSL layout: ~/.vscode-server/bin/<commit>/node out/server-main.js, the node a link to this one.
    const oldCommit = 'a'.repeat(40);
    const root = join(dir, '.vscode-server', 'bin', oldCommit);
    mkdirSync(join(root, 'out'), { recursive: true });
    symlinkSync(process.execPath, join(root, 'node'));
    writeFileSync(join(root, 'out', 'server-main.js'), 'setInterval(() => {}, 1000);\n');
    // Seen first as the shell that exec()s it a moment later, as wrappers do: the same process, asked again.
    const server = spawn('sh', ['-c', 'sleep 0.3; exec "$SERVER_NODE" "$SERVER_MAIN" --host=127.0.0.1 --port=0'], {
      stdio: 'ignore',
      env: { ...process.env, SERVER_NODE: join(root, 'node'), SERVER_MAIN: join(root, 'out', 'server-main.js') },
    });
    children.push(server);
    const sampler = new LinuxProcessSampler({ commandLine: 'full' });
    const tracker = new RoleTracker({ procRoot: '/proc' });
    const contexts = new WindowContexts();
    try {
      const sample = (at: number) => {
        const ps = sampler.sampleSync(at);
        tracker.apply(ps, contexts, at);
        return ps.find((p) => p.pid === server.pid)?.role;
      };
      expect(sample(0)).toBeUndefined();
      await until(() => sample(0), 'the server sampled after its exec');

      // No window yet: nothing to compare its commit with.
      expect(sample(1000)).toEqual({ kind: 'server', detail: '', commit: oldCommit });
      // A window of a newer commit, its extension host elsewhere (a pid no process has).
      contexts.set('self', { ...context(2 ** 30), commit: 'b'.repeat(40) });
      expect(sample(2000)).toEqual({
        kind: 'server',
        detail: '',
        commit: oldCommit,
        leftBehindSince: 2000,
        leftBehindReason: 'commit-gone',
      });
      expect(sample(3000)?.leftBehindSince).toBe(2000);
      // A window of its commit connects: it is that window's server again.
      contexts.set('feed:1', { ...context(2 ** 30 + 1), commit: oldCommit });
      expect(sample(4000)).toEqual({ kind: 'server', detail: '', commit: oldCommit });
    } finally {
      sampler.dispose();
    }
  });

  it('reads no environment or executable of another user’s processes', () => {
    const sampler = new LinuxProcessSampler({ commandLine: 'full' });
    try {
      const tracker = new RoleTracker({ procRoot: '/proc', uid: (process.getuid?.() ?? 0) + 12345 });
      tracker.apply(sampler.sampleSync(Date.now()), new WindowContexts(), Date.now());
      expect(tracker.counters).toMatchObject({ environReads: 0, exeReads: 0 });
    } finally {
      sampler.dispose();
    }
  });
});

describe('RoleTracker between intervals', () => {
  const proc = (pid: number, ppid: number, name: string, command: string): ProcessSample => ({
    pid,
    ppid,
    startTime: 1000 + pid,
    name,
    command,
    user: 'me',
    state: 'S',
    cpu: 0,
    rssBytes: 0,
    threads: 1,
    readBytes: null,
    writeBytes: null,
    childrenCpu: 0,
  });
  const list = (kworker: string, server = 'node /ext/server.js --clientProcessId=10'): ProcessSample[] => [
    proc(2, 0, 'kthreadd', '[kthreadd]'),
    proc(7, 2, kworker, `[${kworker}]`),
    proc(10, 1, 'node', 'node extensionHost'),
    proc(11, 10, 'node', server),
  ];

  it('reuses the roles of an unchanged list, also when a kernel worker renamed itself, and classifies again when a process changed', () => {
    const tracker = new RoleTracker({ procRoot: null });
    const contexts = new WindowContexts();
    const first = list('kworker/0:1-events');
    tracker.apply(first, contexts, 0);
    const role = first[3]!.role;
    expect(role).toMatchObject({ kind: 'extension', detail: 'language server', hostPid: 10 });
    expect(tracker.counters.classified).toBe(1);

    const again = list('kworker/0:1-mm_percpu_wq');
    tracker.apply(again, contexts, 2000);
    expect(tracker.counters.classified).toBe(1);
    expect(again.map((p) => p.role)).toEqual(first.map((p) => p.role));

    // The server exec()ed something else: no longer the language server, so asked again.
    const changed = list('kworker/0:1-mm_percpu_wq', 'sh -c true');
    tracker.apply(changed, contexts, 4000);
    expect(tracker.counters.classified).toBe(2);
    // A window says who it is: every role may change.
    contexts.set('self', context(10));
    const told = list('kworker/0:1-mm_percpu_wq', 'sh -c true');
    tracker.apply(told, contexts, 6000);
    expect(tracker.counters.classified).toBe(3);
    expect(told[2]!.role).toMatchObject({ kind: 'extension-host', hostPid: 10 });
  });
});

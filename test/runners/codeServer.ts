// Starts and stops a throwaway code-server (VS Code's real workbench and extension host, served to a
// browser): fresh user-data and extensions folders per run, its own process group so that stopping
// it also stops the extension hosts and file watchers it forked, and a watchdog so that the group
// dies even if the runner itself is killed with SIGKILL.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onCleanup } from './cleanup';
import { installScript, testResultsDir } from './paths';

export type CodeServerOptions = {
  // Used in the temp folder's name and for test-results/<label>/.
  label: string;
  // Folder the workbench opens; default: a fresh empty folder inside the temp folder.
  workspace?: string;
  // Written to the fresh user-data folder's User/settings.json, over the quiet defaults below.
  settings?: Record<string, unknown>;
  // .vsix files to --install-extension into the fresh extensions folder before the server starts.
  vsix?: string[];
  // Extra environment for the server and so for the extension hosts it forks.
  env?: Record<string, string>;
  // Copy the server's and extension hosts' logs here on stop; default test-results/<label>/logs.
  logsDir?: string;
  // Fixed port on 127.0.0.1; default: a free one.
  port?: number;
};

export type CodeServer = {
  port: number;
  // http://127.0.0.1:PORT
  origin: string;
  tempDir: string;
  userDataDir: string;
  extensionsDir: string;
  workspace: string;
  serverLog: string;
  logsDir: string;
  // The workbench URL for the workspace, with an optional URL payload (extension development).
  workbenchUrl(payload?: ReadonlyArray<readonly [string, string]>): string;
  // An absolute path on this machine as the workbench's remote file system sees it.
  remoteUri(absPath: string): string;
  // Log files written so far under the user-data folder (server, extension hosts, output channels).
  logFiles(): string[];
  stop(): Promise<void>;
};

// Settings that keep a fresh profile quiet: no welcome page, tips, update or telemetry traffic.
const quietSettings: Record<string, unknown> = {
  'workbench.colorTheme': 'Default Dark Modern',
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
};

let cachedBin: string | undefined;

// Installs the pinned code-server on first use (minutes), then reuses the cached copy.
export function ensureCodeServer(): string {
  if (cachedBin) return cachedBin;
  const r = spawnSync(process.execPath, [installScript], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (r.error) throw new Error(`could not run ${installScript}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`code-server is not installed: ${installScript} exited with ${r.status} (reason above)`);
  const bin = r.stdout.trim().split('\n').pop() ?? '';
  if (!existsSync(bin)) throw new Error(`${installScript} printed "${bin}", which does not exist`);
  cachedBin = bin;
  return bin;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port > 0 ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

// Live (non-zombie) members of a process group, from /proc; elsewhere, whether any is left.
function groupAlive(pgid: number): boolean {
  if (process.platform === 'linux') {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      let stat: string;
      try {
        stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      } catch {
        continue;
      }
      // pid (comm) state ppid pgrp ...; comm may hold spaces and parentheses.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid && fields[0] !== 'Z') return true;
    }
    return false;
  }
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // Already gone.
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function stopGroup(pgid: number): Promise<void> {
  killGroup(pgid, 'SIGTERM');
  for (let i = 0; i < 100 && groupAlive(pgid); i++) await sleep(100);
  if (groupAlive(pgid)) {
    killGroup(pgid, 'SIGKILL');
    for (let i = 0; i < 30 && groupAlive(pgid); i++) await sleep(100);
  }
}

function healthy(origin: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = get(`${origin}/healthz`, { timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

// The group's leader: starts code-server, then ends the whole group when either code-server or
// the runner that started it is gone. A runner killed with SIGKILL cannot clean up, so then this
// also removes the run's temp folder. (A normal stop's SIGTERM ends this shell at once.)
const WATCHDOG = `
"$@" &
cs=$!
orphaned=
while kill -0 "$cs" 2>/dev/null; do
  if ! kill -0 "$VITALS_RUNNER_PID" 2>/dev/null; then
    echo "[vitals] runner $VITALS_RUNNER_PID is gone: stopping code-server" >&2
    orphaned=1
    break
  fi
  sleep 1
done
if ! kill -0 "$cs" 2>/dev/null; then wait "$cs"; echo "[vitals] code-server exited with status $?" >&2; fi
trap '' TERM
kill -TERM 0 2>/dev/null
sleep 3
if [ -n "$orphaned" ] && [ -n "$VITALS_RUN_TEMP" ]; then rm -rf "$VITALS_RUN_TEMP"; fi
kill -KILL 0
`;

// Environment of the VS Code that may have started this runner would confuse the one we start.
function cleanEnv(extra: Record<string, string>, xdg: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('VSCODE_') || k === 'ELECTRON_RUN_AS_NODE' || k.startsWith('npm_')) continue;
    env[k] = v;
  }
  return {
    ...env,
    // code-server writes its config and coder-logs under these: keep them per run.
    XDG_CONFIG_HOME: join(xdg, 'config'),
    XDG_DATA_HOME: join(xdg, 'data'),
    XDG_CACHE_HOME: join(xdg, 'cache'),
    VITALS_RUNNER_PID: String(process.pid),
    ...extra,
  };
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((f) => f.endsWith('.log'));
}

export function tail(file: string, lines = 40): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return `(no ${file})`;
  }
}

function installVsix(bin: string, vsix: string, userDataDir: string, extensionsDir: string, env: NodeJS.ProcessEnv): void {
  const r = spawnSync(bin, ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', vsix], {
    env,
    encoding: 'utf8',
    timeout: 180_000,
  });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.status !== 0 || !/successfully installed/i.test(out)) {
    throw new Error(`code-server --install-extension ${vsix} failed (status ${r.status}):\n${out.trim()}`);
  }
}

export async function startCodeServer(opts: CodeServerOptions): Promise<CodeServer> {
  const bin = ensureCodeServer();
  const tempDir = mkdtempSync(join(tmpdir(), `vitals-${opts.label}-`));
  const removeTemp = () => rmSync(tempDir, { recursive: true, force: true });
  const unregisterTemp = onCleanup(`temp folder ${tempDir}`, async () => removeTemp(), removeTemp);

  const userDataDir = join(tempDir, 'user-data');
  const extensionsDir = join(tempDir, 'extensions');
  const workspace = opts.workspace ?? join(tempDir, 'workspace');
  const serverLog = join(tempDir, 'code-server.log');
  const logsDir = opts.logsDir ?? join(testResultsDir, opts.label, 'logs');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  mkdirSync(workspace, { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...quietSettings, ...opts.settings }, null, 2));
  const env = { ...cleanEnv(opts.env ?? {}, join(tempDir, 'xdg')), VITALS_RUN_TEMP: tempDir };
  const config = join(tempDir, 'config.yaml');
  writeFileSync(config, 'auth: none\ncert: false\n');
  for (const vsix of opts.vsix ?? []) installVsix(bin, vsix, userDataDir, extensionsDir, env);

  // A port picked free can be taken before code-server binds it: try again with another.
  for (let attempt = 1; ; attempt++) {
    const port = opts.port ?? (await freePort());
    const origin = `http://127.0.0.1:${port}`;
    const logFd = openSync(serverLog, 'a');
    const child = spawn(
      'sh',
      [
        '-c',
        WATCHDOG,
        'vitals-code-server',
        bin,
        '--auth',
        'none',
        '--bind-addr',
        `127.0.0.1:${port}`,
        '--disable-telemetry',
        '--disable-update-check',
        '--disable-workspace-trust',
        '--disable-getting-started-override',
        '--user-data-dir',
        userDataDir,
        '--extensions-dir',
        extensionsDir,
        '--config',
        config,
        // VITALS_CODE_SERVER_LOG=debug (or trace) records the extension's debug lines too.
        ...(process.env.VITALS_CODE_SERVER_LOG ? ['--log', process.env.VITALS_CODE_SERVER_LOG] : []),
        workspace,
      ],
      // detached: its own session and process group (setsid), so the group can be killed as one.
      { detached: true, stdio: ['ignore', logFd, logFd], env },
    );
    closeSync(logFd);
    const pgid = child.pid;
    if (pgid === undefined) throw new Error('could not start code-server');
    let exited = false;
    child.on('exit', () => (exited = true));
    const stopThisGroup = () => stopGroup(pgid);
    const unregisterGroup = onCleanup(`code-server on ${origin}`, stopThisGroup, () => killGroup(pgid, 'SIGKILL'));

    const deadline = Date.now() + 60_000;
    let up = false;
    while (!exited && Date.now() < deadline) {
      if (await healthy(origin)) {
        up = true;
        break;
      }
      await sleep(200);
    }
    if (!up) {
      await stopThisGroup();
      unregisterGroup();
      const log = tail(serverLog);
      if (attempt < 3 && opts.port === undefined && /EADDRINUSE/.test(log)) continue;
      removeTemp();
      unregisterTemp();
      throw new Error(`code-server did not answer ${origin}/healthz ${exited ? '(it exited)' : 'within 60 s'}; its log:\n${log}`);
    }

    let stopped = false;
    const server: CodeServer = {
      port,
      origin,
      tempDir,
      userDataDir,
      extensionsDir,
      workspace,
      serverLog,
      logsDir,
      workbenchUrl(payload) {
        const q = new URLSearchParams({ folder: workspace });
        if (payload && payload.length > 0) q.set('payload', JSON.stringify(payload));
        return `${origin}/?${q.toString()}`;
      },
      remoteUri: (absPath) => `vscode-remote://127.0.0.1:${port}${absPath}`,
      logFiles: () => [serverLog, ...listFiles(join(userDataDir, 'logs'))],
      async stop() {
        if (stopped) return;
        stopped = true;
        await stopThisGroup();
        unregisterGroup();
        rmSync(logsDir, { recursive: true, force: true });
        mkdirSync(logsDir, { recursive: true });
        cpSync(serverLog, join(logsDir, 'code-server.log'));
        if (existsSync(join(userDataDir, 'logs'))) cpSync(join(userDataDir, 'logs'), logsDir, { recursive: true });
        removeTemp();
        unregisterTemp();
      },
    };
    // Registered after the group's own teardown, so it runs first and also keeps the logs.
    onCleanup(`code-server on ${origin} (logs)`, () => server.stop());
    return server;
  }
}

// Where a log copied by stop() ends up, for messages that point people at it.
export function copiedLogPath(server: CodeServer, file: string): string {
  return file.startsWith(join(server.userDataDir, 'logs'))
    ? join(server.logsDir, file.slice(join(server.userDataDir, 'logs').length + 1))
    : file === server.serverLog
      ? join(server.logsDir, 'code-server.log')
      : file;
}

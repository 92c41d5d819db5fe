// The few VS Code variables a process's environment tells about it. VS Code sets them on the
// processes it starts, and children inherit them: VSCODE_ESM_ENTRYPOINT (and AMD_ENTRYPOINT before
// 1.94) names what a bootstrap-fork or utility process runs, VSCODE_CRASH_REPORTER_PROCESS_TYPE
// the utility process's kind on desktop, VSCODE_PID the desktop main process, CODE_SERVER_PARENT_PID
// code-server's, TERM_PROGRAM=vscode a terminal's shell. Pure: the caller reads the bytes.
export interface VsCodeEnv {
  /** Which VS Code host this process is, or descends from (inherited). */
  host?: 'extension-host' | 'pty-host' | 'file-watcher' | 'shared-process' | undefined;
  /** The VS Code main (desktop) or server (code-server) process it belongs to. */
  mainPid?: number | undefined;
  /** Runs in a VS Code terminal (TERM_PROGRAM=vscode). */
  terminal?: boolean | undefined;
}

const ENTRYPOINTS: Record<string, VsCodeEnv['host']> = {
  'vs/workbench/api/node/extensionHostProcess': 'extension-host',
  'vs/platform/terminal/node/ptyHostMain': 'pty-host',
  'vs/platform/files/node/watcher/watcherMain': 'file-watcher',
  'vs/code/electron-utility/sharedProcess/sharedProcessMain': 'shared-process',
  'vs/code/node/sharedProcess/sharedProcessMain': 'shared-process',
};

const PROCESS_TYPES: Record<string, VsCodeEnv['host']> = {
  extensionHost: 'extension-host',
  ptyHost: 'pty-host',
  fileWatcher: 'file-watcher',
  'shared-process': 'shared-process',
};

const pidOf = (v: string | undefined): number | undefined => (v && /^[1-9]\d{0,9}$/.test(v) ? Number(v) : undefined);

/**
 * Parses `/proc/<pid>/environ` (NUL-separated NAME=value) for VS Code's variables; undefined when it
 * has none. Only these are looked at, and only what they mean is returned (no values are kept).
 */
export function vsCodeEnv(environ: string): VsCodeEnv | undefined {
  const vars = new Map<string, string>();
  for (const entry of environ.split('\0')) {
    // Cheap filter first: an environment is hundreds of variables, a few of them ours.
    if (!(entry.startsWith('VSCODE_') || entry.startsWith('CODE_SERVER_') || entry.startsWith('TERM_PROGRAM='))) continue;
    const eq = entry.indexOf('=');
    if (eq > 0) vars.set(entry.slice(0, eq), entry.slice(eq + 1));
  }
  const entry = vars.get('VSCODE_ESM_ENTRYPOINT') ?? vars.get('VSCODE_AMD_ENTRYPOINT');
  const host = (entry && ENTRYPOINTS[entry]) || PROCESS_TYPES[vars.get('VSCODE_CRASH_REPORTER_PROCESS_TYPE') ?? ''];
  const mainPid = pidOf(vars.get('VSCODE_PID')) ?? pidOf(vars.get('CODE_SERVER_PARENT_PID'));
  const terminal = vars.get('TERM_PROGRAM') === 'vscode';
  if (!host && mainPid === undefined && !terminal) return undefined;
  return { host, mainPid, terminal: terminal || undefined };
}

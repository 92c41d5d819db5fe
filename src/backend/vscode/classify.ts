// What each process is to VS Code, from what can be known without guessing: the windows' own word
// (their extension host, terminals and tasks by pid), the command line (`--type=…`,
// `--utility-sub-type=…`, a server's install path and commit, `--clientProcessId=<extension host>`,
// a path under an extension's folder), the executable, VS Code's environment variables, and
// parentage (a terminal's or an extension process's descendants are its own). A process started by
// an extension host whose path says no extension is "an extension's process", extension unknown.
// Pure: the tracker (tracker.ts) gathers the facts and caches the result per process identity.
import type { ProcessRole, RoleKind, WindowContext, WindowExtension } from '../types';
import type { VsCodeEnv } from './environ';

export interface ProcessFacts {
  pid: number;
  ppid: number;
  /** comm. */
  name: string;
  /** The command line as the privacy mode allows ('' when off: then the executable, environment and parentage tell). */
  command: string;
  /** The executable's path, '' when unknown. */
  exe: string;
  env?: VsCodeEnv | undefined;
}

/** A role, and the VS Code process it hangs on (an extension host, the pty host, a server, the main process). */
export interface Classified {
  role: ProcessRole;
  /** The pid of the VS Code process whose going away leaves this one behind; undefined for those processes themselves. */
  anchor?: number | undefined;
  /**
   * Started inside VS Code (its environment says so: an extension host's or a terminal's), yet no
   * VS Code process is among its ancestors any more: re-parented to init or a subreaper.
   */
  orphan?: boolean | undefined;
  /**
   * Part of a VS Code server install whose commit no open window runs, with no extension host
   * under it: what an update or a closed remote window leaves running (a server waits for windows
   * of its own commit only).
   */
  oldCommit?: boolean | undefined;
}

/** One window's facts, indexed. */
export interface ContextIndex {
  hosts: Map<number, WindowContext>;
  terminals: Map<number, { name: string; host: number }>;
  tasks: Map<number, { label: string; host: number }>;
  /** Longest first, so a nested folder wins over the one around it. */
  extensionPaths: { prefix: string; ext: WindowExtension }[];
  /** Install folders of the windows' VS Code (appRoot), with their commit. */
  appRoots: { prefix: string; commit: string }[];
  /** The commits the windows run ('' left out: a window that could not tell says nothing). */
  commits: Set<string>;
}

/** Compares paths as the platform would: Windows paths (a drive letter or backslashes) case-insensitively. */
function normalPath(p: string): string {
  return /^[a-zA-Z]:[\\/]|\\/.test(p) ? p.replace(/\\/g, '/').toLowerCase() : p;
}

function withSlash(p: string): string {
  const n = normalPath(p);
  return n.endsWith('/') ? n : `${n}/`;
}

export function indexContexts(contexts: readonly WindowContext[]): ContextIndex {
  const index: ContextIndex = {
    hosts: new Map(),
    terminals: new Map(),
    tasks: new Map(),
    extensionPaths: [],
    appRoots: [],
    commits: new Set(),
  };
  for (const c of contexts) {
    index.hosts.set(c.extensionHostPid, c);
    for (const t of c.terminals) index.terminals.set(t.pid, { name: t.name, host: c.extensionHostPid });
    for (const t of c.tasks) index.tasks.set(t.pid, { label: t.label, host: c.extensionHostPid });
    for (const ext of c.extensions) if (ext.path) index.extensionPaths.push({ prefix: withSlash(ext.path), ext });
    if (c.appRoot) index.appRoots.push({ prefix: withSlash(c.appRoot), commit: c.commit });
    if (c.commit) index.commits.add(c.commit);
  }
  index.extensionPaths.sort((a, b) => b.prefix.length - a.prefix.length);
  index.appRoots.sort((a, b) => b.prefix.length - a.prefix.length);
  return index;
}

/** Chromium/Electron process types as `--type=` names them. */
const TYPES: Record<string, RoleKind> = {
  extensionHost: 'extension-host',
  ptyHost: 'pty-host',
  fileWatcher: 'file-watcher',
  watcherService: 'file-watcher',
  sharedProcess: 'shared-process',
  'shared-process': 'shared-process',
  renderer: 'renderer',
  'gpu-process': 'gpu',
  utility: 'utility',
  zygote: 'zygote',
  'crashpad-handler': 'crashpad',
};

/**
 * The executables and scripts of VS Code itself: its Electron binary (Linux `code`, macOS
 * `Code Helper (…)`/`Electron`, Windows `Code.exe`, and the Insiders/OSS/VSCodium builds), its
 * bootstrap scripts, and the server installs (`.vscode-server`, code-server). A `--type=` flag
 * counts only on these: every Chromium-based program passes it.
 */
const VSCODE_BINARY =
  /(?:^|[\\/])(?:code(?:-insiders|-oss)?|codium|Code(?: - Insiders| - OSS)?(?:\.exe)?|VSCodium(?:\.exe)?|Code(?: - Insiders)? Helper(?: \([A-Za-z]+\))?|Electron)(?:\s|$)|[\\/]out[\\/](?:bootstrap-fork|server-main|cli)(?:\.js)?(?:\s|$)|[\\/]\.vscode-server(?:-insiders)?[\\/]|[\\/]code-server(?:[\\/]|\s|$)|[\\/]resources[\\/]app[\\/]out[\\/]/;

/** A VS Code server install names its commit in its path; the WSL launcher, as its first argument. */
const SERVER_COMMIT =
  /[\\/]\.vscode-server(?:-insiders)?[\\/](?:bin[\\/]([0-9a-f]{40})|cli[\\/]servers[\\/](?:Stable|Insiders)-([0-9a-f]{40}))[\\/]|[\\/]\.vscode-server(?:-insiders)?[\\/]code-([0-9a-f]{40})(?:\s|$)|[\\/]scripts[\\/]wslServer\.sh"?\s+([0-9a-f]{40})(?:\s|$)/;
/**
 * The WSL extension's launcher, run in the distribution by `wsl.exe` (`sh -c "…/wslServer.sh" <commit>
 * stable code-server .vscode-server …`, then `sh <its path>/wslServer.sh <commit> …`): it starts the
 * server and waits on it, so it is the server's ancestor and stays when the server is left behind.
 */
const WSL_LAUNCHER = /[\\/]scripts[\\/]wslServer\.sh"?\s+[0-9a-f]{40}(?:\s|$)/;
/** The server's own entry points: the VS Code server, the `code` CLI running it, code-server. */
const SERVER_ENTRY =
  /[\\/]out[\\/]server-main(?:\.js)?(?:\s|$)|[\\/]code-[0-9a-f]{40}\s+command-shell|[\\/]code-server[\\/]out[\\/]node[\\/]entry(?:\.js)?(?:\s|$)|[\\/]\.bin[\\/]code-server(?:\s|$)|[\\/]bin[\\/]code-server(?:\s|$)/;

const TYPE_FLAG = /(?:^|\s)--type=([A-Za-z-]+)/;
const SUB_TYPE_FLAG = /(?:^|\s)--utility-sub-type=([A-Za-z0-9_.-]+)/;
const CLIENT_PID_FLAG = /(?:^|\s)--clientProcessId=(\d+)/;
/** vscode-languageclient's transports: what makes a process a language server. */
const LSP_FLAGS = /(?:^|\s)--(?:node-ipc|stdio|socket=\d+|pipe=\S+|clientProcessId=\d+)(?:\s|$)/;

/** `node.mojom.NodeService` → 'node service'; `network.mojom.NetworkService` → 'network service'. */
function subTypeDetail(command: string): string {
  const m = SUB_TYPE_FLAG.exec(command);
  if (!m) return '';
  const last = m[1]!.split('.').pop() ?? '';
  return last
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .trim();
}

/** The file under an extension's folder that this process runs, for its label: 'tsserver.js', 'rust-analyzer'. */
function helperDetail(command: string, exe: string, prefix: string): string {
  if (LSP_FLAGS.test(command)) return 'language server';
  const text = normalPath(command) || normalPath(exe);
  const at = text.indexOf(prefix);
  if (at < 0) return '';
  const rest = text.slice(at + prefix.length).split(/\s/)[0] ?? '';
  return rest.split('/').pop() ?? '';
}

/** Which known extension folder the command line or executable lies in. */
function extensionOf(p: ProcessFacts, index: ContextIndex): ContextIndex['extensionPaths'][number] | undefined {
  if (index.extensionPaths.length === 0 || (!p.command && !p.exe)) return undefined;
  const cmd = normalPath(p.command);
  const exe = normalPath(p.exe);
  for (const e of index.extensionPaths) if (cmd.includes(e.prefix) || exe.startsWith(e.prefix)) return e;
  return undefined;
}

/**
 * Built-in helpers that live beside the extensions rather than in one's folder, run by one built-in
 * extension only: TypeScript's server and typings installer come with VS Code (appRoot/extensions/
 * node_modules/typescript) and only TypeScript and JavaScript Language Features starts them.
 */
const BUNDLED_HELPERS: { path: string; extensionId: string }[] = [
  { path: 'extensions/node_modules/typescript/lib/', extensionId: 'vscode.typescript-language-features' },
];

function bundledHelperOf(p: ProcessFacts, index: ContextIndex): { ext: WindowExtension; file: string } | undefined {
  const cmd = normalPath(p.command);
  for (const root of index.appRoots)
    for (const h of BUNDLED_HELPERS) {
      const at = cmd.indexOf(root.prefix + h.path);
      if (at < 0) continue;
      const owner = index.extensionPaths.find((e) => e.ext.id.toLowerCase() === h.extensionId);
      if (!owner) continue;
      const file = (cmd.slice(at + root.prefix.length + h.path.length).split(/\s/)[0] ?? '').replace(/\.js$/, '');
      return { ext: owner.ext, file };
    }
  return undefined;
}

function commitOf(p: ProcessFacts, index: ContextIndex): string | undefined {
  const m = SERVER_COMMIT.exec(p.command) ?? SERVER_COMMIT.exec(p.exe);
  if (m) return m[1] ?? m[2] ?? m[3] ?? m[4];
  const cmd = normalPath(p.command);
  for (const r of index.appRoots) if (r.commit && cmd.includes(r.prefix)) return r.commit;
  return undefined;
}

/** What a process's own facts say, before its parentage is looked at. */
export function ownRole(p: ProcessFacts, index: ContextIndex, mainPids: ReadonlySet<number>): ProcessRole | undefined {
  const window = index.hosts.get(p.pid);
  if (window) return { kind: 'extension-host', detail: window.workspace, hostPid: p.pid, commit: window.commit || undefined };
  const terminal = index.terminals.get(p.pid);
  if (terminal) return { kind: 'terminal', detail: terminal.name, hostPid: terminal.host };
  const task = index.tasks.get(p.pid);
  if (task) return { kind: 'task', detail: task.label, hostPid: task.host };

  const ext = extensionOf(p, index);
  const clientPid = CLIENT_PID_FLAG.exec(p.command)?.[1];
  const hostPid = clientPid === undefined ? undefined : Number(clientPid);
  if (ext)
    return {
      kind: 'extension',
      detail: helperDetail(p.command, p.exe, ext.prefix),
      extensionId: ext.ext.id,
      extensionName: ext.ext.name || ext.ext.id,
      // Which extension host runs it is its ancestry's to say (inherit): the same folder serves
      // every window of one install.
      hostPid,
    };
  const bundled = bundledHelperOf(p, index);
  if (bundled)
    return {
      kind: 'extension',
      detail: bundled.file,
      extensionId: bundled.ext.id,
      extensionName: bundled.ext.name || bundled.ext.id,
      hostPid,
    };

  const vscode =
    VSCODE_BINARY.test(p.command) || VSCODE_BINARY.test(p.exe) || index.appRoots.some((r) => normalPath(p.command).includes(r.prefix));
  const type = vscode || p.env ? TYPE_FLAG.exec(p.command)?.[1] : undefined;
  if (type !== undefined) {
    const kind = TYPES[type];
    if (kind === 'utility') {
      // Desktop VS Code runs its extension host, pty host, file watcher and shared process as
      // Electron utility processes: only their environment says which.
      if (p.env?.host) return { kind: p.env.host, detail: '' };
      return { kind: 'utility', detail: subTypeDetail(p.command) };
    }
    if (kind) return { kind, detail: '', commit: kind === 'extension-host' ? commitOf(p, index) : undefined };
    return { kind: 'unknown', detail: type };
  }
  if (hostPid !== undefined) return { kind: 'extension', detail: 'language server', hostPid };
  if (vscode && SERVER_ENTRY.test(p.command)) return { kind: 'server', detail: '', commit: commitOf(p, index) };
  if (WSL_LAUNCHER.test(p.command)) return { kind: 'server', detail: 'WSL launcher', commit: commitOf(p, index) };
  if (mainPids.has(p.pid) && vscode) return { kind: 'main', detail: '' };
  return undefined;
}

/** What adopts orphans: init, or a subreaper (systemd --user, launchd, a container's init). */
const ADOPTERS = /^(?:systemd|init|launchd|tini|dumb-init|docker-init|catatonit|s6-svscan|runit)$/;

/** Whether a process now hangs on init or a subreaper, as one whose parent died does. */
function reparented(p: ProcessFacts, parent: ProcessFacts | undefined): boolean {
  return p.ppid <= 1 || (parent !== undefined && ADOPTERS.test(parent.name));
}

const ANCHORS: ReadonlySet<RoleKind> = new Set<RoleKind>(['extension-host', 'pty-host', 'server', 'main']);

/**
 * What a process is, given the role of its nearest VS Code ancestor (undefined: none). Descendants
 * of terminals and tasks are theirs; of an extension's process, that extension's; of an extension
 * host, an extension's process whose extension is unknown; of the pty host, a terminal's.
 */
export function inherit(
  own: ProcessRole | undefined,
  ancestor: ProcessRole | undefined,
  ancestorPid: number | undefined,
): ProcessRole | undefined {
  if (!ancestor || ancestorPid === undefined) return own;
  if (own && own.kind !== 'extension') return own;
  if (own) {
    // An extension's process the path does not name: its ancestor may.
    if (own.extensionId === undefined && ancestor.kind === 'extension' && ancestor.extensionId !== undefined)
      return { ...own, extensionId: ancestor.extensionId, extensionName: ancestor.extensionName, hostPid: own.hostPid ?? ancestor.hostPid };
    if (own.hostPid === undefined) {
      const hostPid = ancestor.kind === 'extension-host' ? ancestorPid : ancestor.hostPid;
      if (hostPid !== undefined) return { ...own, hostPid };
    }
    return own;
  }
  switch (ancestor.kind) {
    case 'terminal':
    case 'task':
      return { kind: ancestor.kind, detail: ancestor.detail, hostPid: ancestor.hostPid };
    case 'extension':
      return {
        kind: 'extension',
        detail: '',
        extensionId: ancestor.extensionId,
        extensionName: ancestor.extensionName,
        hostPid: ancestor.hostPid,
      };
    case 'extension-host':
      return { kind: 'extension', detail: '', hostPid: ancestorPid };
    case 'pty-host':
      return { kind: 'terminal', detail: '' };
    case 'file-watcher':
    case 'shared-process':
    case 'server':
    case 'main':
    case 'utility':
    case 'renderer':
      return { kind: 'unknown', detail: '' };
    default:
      return undefined;
  }
}

/**
 * Roles of a whole process list (one snapshot). `own` is each process's own role (the tracker
 * caches it per identity); parents are resolved before their children whatever the list's order.
 * `commits` are the commits the windows run (ContextIndex.commits), to tell old server installs.
 */
export function classifyAll(
  procs: readonly ProcessFacts[],
  own: (p: ProcessFacts) => ProcessRole | undefined,
  commits: ReadonlySet<string> = new Set(),
): Map<number, Classified> {
  const byPid = new Map<number, ProcessFacts>();
  for (const p of procs) byPid.set(p.pid, p);
  const out = new Map<number, Classified | null>();
  const resolve = (p: ProcessFacts, depth: number): Classified | null => {
    const done = out.get(p.pid);
    if (done !== undefined) return done;
    // Guard against a ppid loop (pid reuse between two reads of /proc).
    const parent = depth < 64 && p.ppid !== p.pid ? byPid.get(p.ppid) : undefined;
    const up = parent ? resolve(parent, depth + 1) : null;
    let mine = own(p);
    // A VS Code host whose command line is not known (privacy mode off) still says what it is in its
    // environment. Its children inherit that variable, so only a process carrying it whose parent is
    // VS Code's but not that host is the host itself (a re-parented child is not).
    if (!mine && p.env?.host && parent && parent.env?.host !== p.env.host && (up !== null || parent.env !== undefined))
      mine = { kind: p.env.host, detail: '' };
    // The VS Code ancestor: the parent itself when it is a host/server/main, else the parent's anchor.
    const anchor = up && parent ? (ANCHORS.has(up.role.kind) ? parent.pid : up.anchor) : undefined;
    let role = inherit(mine, up?.role, up ? parent?.pid : undefined);
    let orphan = false;
    if (!up && p.env && reparented(p, parent) && !(role && ANCHORS.has(role.kind))) {
      // Nothing of VS Code above it, yet VS Code's variables say it was started inside VS Code.
      if (p.env.host === 'extension-host') role ??= { kind: 'extension', detail: '' };
      else if (p.env.terminal) role ??= { kind: 'terminal', detail: '' };
      orphan = role !== undefined && (p.env.host !== undefined || p.env.terminal === true);
    }
    const result: Classified | null = role
      ? { role, anchor: role.kind === 'main' ? undefined : anchor, orphan: orphan || undefined }
      : null;
    out.set(p.pid, result);
    return result;
  };
  const roles = new Map<number, Classified>();
  for (const p of procs) {
    const r = resolve(p, 0);
    if (r) roles.set(p.pid, r);
  }
  // A server whose path does not name its commit (code-server) runs the commit its windows report.
  for (const r of roles.values()) {
    if (r.role.kind !== 'extension-host' || !r.role.commit || r.anchor === undefined) continue;
    const server = roles.get(r.anchor);
    if (server?.role.kind === 'server' && !server.role.commit) server.role = { ...server.role, commit: r.role.commit };
  }
  markOldCommits(roles, commits);
  return roles;
}

/**
 * Marks `oldCommit` on every process of a server install (a server with no VS Code process above
 * it, and what hangs on it) whose servers name only commits no window runs and under which no
 * extension host runs. Nothing is marked before a window has said its commit: a recorder with no
 * window cannot tell an old server from one waiting for its window.
 */
function markOldCommits(roles: ReadonlyMap<number, Classified>, commits: ReadonlySet<string>): void {
  if (commits.size === 0) return;
  const rootOf = new Map<number, number>();
  const root = (pid: number, depth: number): number => {
    const known = rootOf.get(pid);
    if (known !== undefined) return known;
    const up = roles.get(pid)?.anchor;
    const top = up === undefined || depth > 64 || !roles.has(up) ? pid : root(up, depth + 1);
    rootOf.set(pid, top);
    return top;
  };
  const installs = new Map<number, { old: boolean; current: boolean; host: boolean }>();
  for (const [pid, c] of roles) {
    const top = root(pid, 0);
    if (roles.get(top)?.role.kind !== 'server') continue;
    let install = installs.get(top);
    if (!install) installs.set(top, (install = { old: false, current: false, host: false }));
    if (c.role.kind === 'server' && c.role.commit) {
      if (commits.has(c.role.commit)) install.current = true;
      else install.old = true;
    }
    if (c.role.kind === 'extension-host' && !c.orphan) install.host = true;
  }
  for (const [pid, c] of roles) {
    const install = installs.get(root(pid, 0));
    if (install && install.old && !install.current && !install.host) c.oldCommit = true;
  }
}

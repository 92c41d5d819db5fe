// Text of a process row: the description and the Markdown tooltip. Pure strings; the provider wraps
// them in vscode.MarkdownString (untrusted, no HTML), so nothing a process names itself can run.

import type { CommandLineMode, ProcessSample, WindowExtension } from '../../backend';
import { containerLabel } from '../../shared/containers';
import { formatAgo, formatBytes, formatDateTime, formatDuration, formatPercent, formatRate, MISSING } from '../../shared/format';
import { roleText } from '../../shared/roleText';
import type { ProcessGroup } from './model';

/**
 * The figures, after the VS Code role when it has one: the role is what a reader looks for first.
 * `ioIntervalMs` (given while the view sorts by disk I/O) adds the read + write rate the rows are
 * sorted by, "unknown" where the io file is not readable, nothing where the platform has none.
 */
export function processDescription(p: ProcessSample, ownHostPid: number = process.pid, ioIntervalMs?: number, now?: number): string {
  let figures = `${formatPercent(p.cpu)} · ${formatBytes(p.rssBytes)}`;
  if (ioIntervalMs !== undefined && ioIntervalMs > 0 && p.readBytes !== undefined && p.writeBytes !== undefined) {
    const io = p.readBytes === null || p.writeBytes === null ? 'unknown' : formatRate((p.readBytes + p.writeBytes) / (ioIntervalMs / 1000));
    figures += ` · I/O ${io}`;
  }
  return p.role ? `${roleText(p.role, p.pid, ownHostPid, now)} · ${figures}` : figures;
}

/** What the tooltip may add about an extension: this window's `vscode.extensions.all` entry. */
export type ExtensionLookup = (id: string) => WindowExtension | undefined;

const STATES: Record<string, string> = {
  R: 'running',
  S: 'sleeping',
  D: 'waiting for disk',
  Z: 'zombie',
  T: 'stopped',
  t: 'stopped by debugger',
  I: 'idle',
  X: 'dead',
};

export function describeState(state: string): string {
  return STATES[state] ?? state;
}

/** Escapes Markdown punctuation so a process name renders literally. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, (c) => `\\${c}`);
}

/** A fence longer than any backtick run inside, so a command line cannot close its own code block. */
export function codeBlock(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}\n${text}\n${fence}`;
}

export function processTooltipMarkdown(
  p: ProcessSample,
  commandLineMode: CommandLineMode,
  now: number,
  ownHostPid: number = process.pid,
  extension?: ExtensionLookup,
  /** How long the sample's interval was, to turn its I/O bytes into rates; without it no I/O rows. */
  intervalMs?: number,
): string {
  const rows: [string, string][] = [
    ...roleRows(p, now, ownHostPid, extension),
    ['PID', String(p.pid)],
    ['Parent PID', String(p.ppid)],
    ['User', p.user ? escapeMarkdown(p.user) : MISSING],
    ['Started', `${formatDateTime(p.startTime)} (${formatAgo(p.startTime, now)})`],
    ['State', escapeMarkdown(describeState(p.state))],
    ['CPU', `${formatPercent(p.cpu)} of one core`],
    ...deeperRows(p, intervalMs),
    ['Memory (RSS)', formatBytes(p.rssBytes)],
    ['Threads', String(p.threads)],
  ];
  if (p.gpuMemoryBytes !== undefined) rows.push(['GPU memory', formatBytes(p.gpuMemoryBytes)]);
  if (p.container) rows.push(['Container', escapeMarkdown(containerDetail(p.container))]);
  const lines = [`**${escapeMarkdown(p.name)}**`, '', '| | |', '|:--|:--|', ...rows.map(([k, v]) => `| ${k} | ${v} |`), ''];
  if (commandLineMode === 'off') {
    lines.push('_Command lines are not recorded (`vitals.privacy.commandLine` is `off`)._');
  } else if (p.command === '') {
    lines.push('_No command line (kernel thread, or not readable)._');
  } else {
    lines.push(commandLineMode === 'redacted' ? 'Command line (secrets masked):' : 'Command line:', '', codeBlock(p.command));
  }
  return lines.join('\n');
}

/** Where the sampler records them (Linux): CPU with finished children, and storage I/O rates. */
function deeperRows(p: ProcessSample, intervalMs: number | undefined): [string, string][] {
  const rows: [string, string][] = [];
  if (p.childrenCpu !== undefined)
    rows.push([
      'CPU incl. finished children',
      `${formatPercent(p.cpu + p.childrenCpu)} of one core (children ${formatPercent(p.childrenCpu)})`,
    ]);
  if (intervalMs !== undefined && intervalMs > 0) {
    // null: the io file is not readable to us (another user's process): unknown, never a fake 0.
    const rate = (bytes: number | null | undefined): string | undefined =>
      bytes === undefined ? undefined : bytes === null ? 'unknown' : formatRate(bytes / (intervalMs / 1000));
    const read = rate(p.readBytes);
    const write = rate(p.writeBytes);
    if (read !== undefined) rows.push(['Disk read', read]);
    if (write !== undefined) rows.push(['Disk write', write]);
  }
  return rows;
}

function containerDetail(c: NonNullable<ProcessSample['container']>): string {
  return c.runtime === 'kubernetes' && c.pod ? `${containerLabel(c)}, pod ${c.pod}` : containerLabel(c);
}

/** A container's (or the host's) row in the Containers grouping: its sums. */
export function groupDescription(g: ProcessGroup): string {
  const gpu = g.gpuMemoryBytes > 0 ? ` · GPU ${formatBytes(g.gpuMemoryBytes)}` : '';
  return `${formatPercent(g.cpu)} · ${formatBytes(g.rssBytes)}${gpu} · ${g.processes} ${g.processes === 1 ? 'process' : 'processes'}`;
}

export function groupTooltipMarkdown(g: ProcessGroup): string {
  const rows: [string, string][] = [
    ['Processes', String(g.processes)],
    ['CPU', `${formatPercent(g.cpu)} of one core, summed`],
    ['Memory (RSS)', `${formatBytes(g.rssBytes)}, summed (shared pages count once per process)`],
  ];
  if (g.gpuMemoryBytes > 0) rows.push(['GPU memory', formatBytes(g.gpuMemoryBytes)]);
  const what = GROUP_WHAT[g.kind]?.(g) ?? `Container ${escapeMarkdown(g.key)}`;
  return [`**${escapeMarkdown(g.label)}**`, '', what, '', '| | |', '|:--|:--|', ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join('\n');
}

/** The line under a group's name that says what it gathers. */
const GROUP_WHAT: Partial<Record<ProcessGroup['kind'], (g: ProcessGroup) => string>> = {
  host: () => 'Processes in no container, as this machine sees them',
  window: (g) => `A VS Code window: its extension host (pid ${g.hostPid ?? MISSING}) and what it started`,
  extension: (g) => `Processes started by the extension \`${escapeCode(g.extensionId ?? '')}\``,
  'window-other': () => 'Started by this window’s extension host; no extension claims them',
  vscode: () => 'VS Code’s own processes: main, server, pty host, file watcher, renderers',
  terminals: () => 'The shells of VS Code’s terminals and what runs in them',
  tasks: () => 'The processes of running tasks',
  extensions: () => 'Extension processes whose extension host is not in the sample',
  'left-behind': () =>
    'Started by VS Code or an extension whose VS Code parent has gone, or a VS Code server of a commit no open window runs. Kill All… ends them after you confirm; nothing is ended on its own.',
  other: () => 'Everything that is not VS Code’s',
};

/** The VS Code rows of the tooltip: the role, and the extension's id, version and path. */
function roleRows(p: ProcessSample, now: number, ownHostPid: number, extension: ExtensionLookup | undefined): [string, string][] {
  const role = p.role;
  if (!role) return [];
  const rows: [string, string][] = [['VS Code role', escapeMarkdown(roleText(role, p.pid, ownHostPid))]];
  if (role.extensionId) {
    const known = extension?.(role.extensionId);
    rows.push([
      'Extension',
      `${escapeMarkdown(role.extensionName || known?.name || role.extensionId)} (\`${escapeCode(role.extensionId)}\`)`,
    ]);
    if (known?.version) rows.push(['Version', escapeMarkdown(known.version)]);
    if (known?.path) rows.push(['Path', `\`${escapeCode(known.path)}\``]);
  }
  if (role.hostPid !== undefined)
    rows.push(['Extension host', `pid ${role.hostPid}${role.hostPid === ownHostPid ? ' (this window)' : ''}`]);
  if (role.commit) rows.push(['VS Code commit', `\`${escapeCode(role.commit)}\``]);
  if (role.leftBehindSince !== undefined) {
    const why = role.leftBehindReason === 'commit-gone' ? 'no open window runs its VS Code commit' : 'its VS Code parent is gone';
    rows.push(['Left behind', `${why}, for ${formatDuration(Math.max(0, now - role.leftBehindSince))}`]);
  }
  return rows;
}

/** Inline code cannot hold a backtick (or a table's pipe); neither appears in ids, paths rarely. */
function escapeCode(text: string): string {
  return text.replace(/[`|]/g, '?');
}

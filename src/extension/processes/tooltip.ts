// Text of a process row: the description and the Markdown tooltip. Pure strings; the provider wraps
// them in vscode.MarkdownString (untrusted, no HTML), so nothing a process names itself can run.

import type { CommandLineMode, ProcessSample } from '../../backend';
import { containerLabel } from '../../shared/containers';
import { formatAgo, formatBytes, formatDateTime, formatPercent, MISSING } from '../../shared/format';
import { HOST_GROUP, type ProcessGroup } from './model';

export function processDescription(p: ProcessSample): string {
  return `${formatPercent(p.cpu)} · ${formatBytes(p.rssBytes)}`;
}

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

export function processTooltipMarkdown(p: ProcessSample, commandLineMode: CommandLineMode, now: number): string {
  const rows: [string, string][] = [
    ['PID', String(p.pid)],
    ['Parent PID', String(p.ppid)],
    ['User', p.user ? escapeMarkdown(p.user) : MISSING],
    ['Started', `${formatDateTime(p.startTime)} (${formatAgo(p.startTime, now)})`],
    ['State', escapeMarkdown(describeState(p.state))],
    ['CPU', `${formatPercent(p.cpu)} of one core`],
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
  const what = g.key === HOST_GROUP ? 'Processes in no container, as this machine sees them' : `Container ${escapeMarkdown(g.key)}`;
  return [`**${escapeMarkdown(g.label)}**`, '', what, '', '| | |', '|:--|:--|', ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join('\n');
}

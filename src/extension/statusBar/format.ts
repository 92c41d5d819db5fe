// The status bar item's text, severity and tooltip from a snapshot. Pure: the item itself only
// copies these onto vscode.StatusBarItem.

import type { ProcessSample, Snapshot, UiConfig } from '../../backend';
import { escapeMarkdown } from '../processes/tooltip';
import { formatBytes, formatPercent, formatWholePercent, MISSING, percentOf } from '../../shared/format';

/** U+2007 FIGURE SPACE: as wide as a digit, so "  7%" and " 63%" take the same room. */
export const FIGURE_SPACE = '\u2007';

/**
 * The shared whole-percent text (as the tooltip, the System view and the dashboard write the same
 * figure) padded to three digit widths (0..100 fit), so the item never changes width.
 */
export function fixedPercent(value: number): string {
  const whole = formatWholePercent(Math.min(999, value));
  return (whole === MISSING ? `${MISSING}%` : whole).padStart(4, FIGURE_SPACE);
}

export interface StatusFigures {
  cpuPercent: number;
  memPercent: number;
}

export function statusFigures(s: Snapshot): StatusFigures {
  return {
    cpuPercent: s.system.cpu.total,
    memPercent: percentOf(s.system.mem.usedBytes, s.system.mem.totalBytes),
  };
}

export function statusText(f: StatusFigures): string {
  // The separator binds each figure to its label: "CPU 12% · MEM 63%", not "12% MEM".
  return `$(pulse) CPU ${fixedPercent(f.cpuPercent)} · MEM ${fixedPercent(f.memPercent)}`;
}

export function statusAccessibilityLabel(f: StatusFigures): string {
  return `CPU ${Math.round(f.cpuPercent)} percent, memory ${Math.round(f.memPercent)} percent`;
}

export type Severity = 'normal' | 'warning' | 'error';

export function statusSeverity(f: StatusFigures, t: UiConfig['statusBar']): Severity {
  if (f.cpuPercent >= t.cpuErrorPercent || f.memPercent >= t.memoryErrorPercent) return 'error';
  if (f.cpuPercent >= t.cpuWarningPercent || f.memPercent >= t.memoryWarningPercent) return 'warning';
  return 'normal';
}

export function topByCpu(processes: readonly ProcessSample[], n: number): ProcessSample[] {
  return [...processes].sort((a, b) => b.cpu - a.cpu || b.rssBytes - a.rssBytes || a.pid - b.pid).slice(0, n);
}

export function statusTooltipMarkdown(s: Snapshot, host: string | undefined, t: UiConfig['statusBar']): string {
  const f = statusFigures(s);
  const { mem } = s.system;
  const lines = [
    `**Vitals**${host ? ` — ${escapeMarkdown(host)}` : ''}`,
    '',
    `CPU ${formatWholePercent(f.cpuPercent)} of ${s.system.cores.length || '?'} cores · Memory ${formatBytes(mem.usedBytes)} of ${formatBytes(mem.totalBytes)} (${formatWholePercent(f.memPercent)})`,
    '',
  ];
  const top = topByCpu(s.processes, 3);
  if (top.length) {
    lines.push('| Top processes by CPU | PID | CPU | Memory |', '|:--|--:|--:|--:|');
    for (const p of top) lines.push(`| ${escapeMarkdown(p.name)} | ${p.pid} | ${formatPercent(p.cpu)} | ${formatBytes(p.rssBytes)} |`);
    lines.push('');
  }
  const sev = statusSeverity(f, t);
  if (sev !== 'normal')
    lines.push(
      `$(warning) Above the ${sev} threshold (CPU ${t[sev === 'error' ? 'cpuErrorPercent' : 'cpuWarningPercent']}%, memory ${t[sev === 'error' ? 'memoryErrorPercent' : 'memoryWarningPercent']}%).`,
      '',
    );
  lines.push('Click to open the dashboard.');
  return lines.join('\n');
}

// Text of a group row in the VS Code grouping: the summed figures, the icon, the menu key and the
// tooltip. Pure strings, like tooltip.ts.

import { formatBytes, formatCount, formatPercent } from '../../shared/format';
import { checkKillTarget } from './killTarget';
import type { GroupInfo, GroupKind } from './model';
import { escapeMarkdown } from './tooltip';

export const GROUP_ICONS: Readonly<Record<GroupKind, string>> = {
  window: 'window',
  extension: 'extensions',
  'window-other': 'symbol-misc',
  vscode: 'vscode',
  terminals: 'terminal',
  tasks: 'tools',
  extensions: 'extensions',
  'left-behind': 'warning',
  other: 'server-process',
};

const plural = (n: number, one: string) => `${formatCount(n)} ${one}${n === 1 ? '' : 'es'}`;

/** `3 processes · 12.5% · 480 MB`: what the group's members cost together, now. */
export function groupDescription(g: GroupInfo): string {
  return `${plural(g.members.length, 'process')} · ${formatPercent(g.cpu)} · ${formatBytes(g.rssBytes)}`;
}

/**
 * `group;<kind>`, plus `;killable` for "Left behind by VS Code" when one of its processes may be
 * ended: only that group gets Kill All… (never a window's or the machine's other processes).
 */
export function groupContextValue(g: GroupInfo, ownPid: number): string {
  let v = `group;${g.kind}`;
  if (g.kind === 'left-behind' && g.members.some((p) => !checkKillTarget(p, ownPid).refused)) v += ';killable';
  return v;
}

export function groupTooltipMarkdown(g: GroupInfo): string {
  const lines = [
    `**${escapeMarkdown(g.label)}**`,
    '',
    `${plural(g.members.length, 'process')}, together ${formatPercent(g.cpu)} CPU (of one core) and ${formatBytes(g.rssBytes)} memory (RSS) at the latest sample.`,
  ];
  if (g.extensionId) lines.push('', `Extension \`${g.extensionId.replace(/[`|]/g, '?')}\``);
  if (g.kind === 'left-behind')
    lines.push('', 'These were started by VS Code or an extension whose VS Code parent has gone. Kill All… ends them after you confirm.');
  return lines.join('\n');
}

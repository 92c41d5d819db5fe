// What a group row shows besides its text (tooltip.ts has the description and tooltip): its icon
// and its menu key. Pure.

import { checkKillTarget } from './killTarget';
import type { GroupKind, ProcessGroup } from './model';

const GROUP_ICONS: Readonly<Record<GroupKind, string>> = {
  container: 'package',
  host: 'vm',
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

export function groupIcon(g: Pick<ProcessGroup, 'kind'>): string {
  return GROUP_ICONS[g.kind];
}

/**
 * `processGroup;<kind>`, plus `;killable` for "Left behind by VS Code" when one of its processes
 * may be ended: only that group gets Kill All… (never a window's, a container's or the rest).
 */
export function groupContextValue(g: Pick<ProcessGroup, 'kind' | 'members'>, ownPid: number): string {
  let v = `processGroup;${g.kind}`;
  if (g.kind === 'left-behind' && g.members.some((p) => !checkKillTarget(p, ownPid).refused)) v += ';killable';
  return v;
}

// The Processes view's VS Code grouping: the roles the backend put on processes turned into
//   Window: <workspace> (this window)          one per extension host, this window first
//     extension host (this window: …)          the host's own row
//       <extension>                           its processes, one group per extension
//       Other processes of this window        the host's descendants no extension claims
//   VS Code                                   main, server, pty host, file watcher, renderers…
//   Terminals · Tasks                         each shell / task process with what runs under it
//   Extensions                                extension processes whose host is not sampled
//   Left behind by VS Code                    still running, their VS Code ancestor gone
//   Other processes                           everything that is not VS Code's
// Each group row carries the summed CPU and memory of every process under it. A process without a
// role goes with its nearest ancestor that has one (a build under a task, a compiler under a
// language server); never with VS Code's own core processes, which are everyone's ancestor in
// code-server. Pure, like model.ts.

import type { ProcessSample } from '../../backend';
import {
  buildProcessSubtree,
  groupStandIn,
  processId,
  type GroupKind,
  type ProcessGroup,
  type ProcessNode,
  type ProcessView,
  type ProcessViewOptions,
} from './model';
import { extensionText } from '../../shared/roleText';

/** Where a process goes: a group's key within the grouping. */
type Slot =
  | { kind: 'host'; hostPid: number }
  | { kind: 'extension'; hostPid: number | undefined; extensionId: string; name: string }
  | { kind: 'window-other'; hostPid: number }
  | { kind: 'vscode' | 'terminals' | 'tasks' | 'left-behind' | 'other' };

const TOP_LABELS: Record<'vscode' | 'terminals' | 'tasks' | 'extensions' | 'left-behind' | 'other', string> = {
  vscode: 'VS Code',
  terminals: 'Terminals',
  tasks: 'Tasks',
  extensions: 'Extensions',
  'left-behind': 'Left behind by VS Code',
  other: 'Other processes',
};

/** The id prefix of every row in this mode (buildProcessView's for mode `vscode`). */
const PREFIX = 'vscode/';

export function buildVsCodeView(processes: readonly ProcessSample[], options: ProcessViewOptions, ownHostPid: number): ProcessView {
  // One row per pid, the newer on a race (as buildProcessView does).
  const byPid = new Map<number, ProcessSample>();
  for (const p of processes) {
    const had = byPid.get(p.pid);
    if (!had || had.startTime <= p.startTime) byPid.set(p.pid, p);
  }
  const hosts = new Set<number>();
  for (const p of byPid.values()) if (p.role?.kind === 'extension-host' && p.role.leftBehindSince === undefined) hosts.add(p.pid);

  const slots = new Map<number, Slot>();
  const own = (p: ProcessSample): Slot | undefined => {
    const role = p.role;
    if (!role) return undefined;
    if (role.leftBehindSince !== undefined) return { kind: 'left-behind' };
    if (role.kind === 'extension-host') return { kind: 'host', hostPid: p.pid };
    if (role.kind === 'terminal') return { kind: 'terminals' };
    if (role.kind === 'task') return { kind: 'tasks' };
    const hostPid = role.hostPid !== undefined && hosts.has(role.hostPid) ? role.hostPid : undefined;
    if (role.extensionId) return { kind: 'extension', hostPid, extensionId: role.extensionId, name: extensionText(role) };
    if (hostPid !== undefined) return { kind: 'window-other', hostPid };
    return { kind: 'vscode' };
  };
  const slotOf = (p: ProcessSample): Slot => {
    const cached = slots.get(p.pid);
    if (cached) return cached;
    let slot = own(p);
    if (!slot) {
      // Inherit from the nearest ancestor with a role, except VS Code's core processes.
      slot = { kind: 'other' };
      const seen = new Set<number>([p.pid]);
      for (let up = byPid.get(p.ppid); up && !seen.has(up.pid); up = byPid.get(up.ppid)) {
        seen.add(up.pid);
        const s = own(up);
        if (!s) continue;
        if (s.kind === 'host') slot = { kind: 'window-other', hostPid: s.hostPid };
        else if (s.kind !== 'vscode') slot = s;
        break;
      }
    }
    slots.set(p.pid, slot);
    return slot;
  };

  const members = new Map<string, ProcessSample[]>();
  const add = (key: string, p: ProcessSample) => {
    const list = members.get(key);
    if (list) list.push(p);
    else members.set(key, [p]);
  };
  const extensionNames = new Map<string, string>();
  for (const p of byPid.values()) {
    const s = slotOf(p);
    switch (s.kind) {
      case 'host':
        add(`host:${s.hostPid}`, p);
        break;
      case 'window-other':
        add(`window-other:${s.hostPid}`, p);
        break;
      case 'extension':
        add(`ext:${s.hostPid ?? ''}:${s.extensionId}`, p);
        extensionNames.set(s.extensionId, s.name);
        break;
      default:
        add(s.kind, p);
    }
  }

  const byId = new Map<string, ProcessNode>();
  let visibleCount = 0;
  let matchCount = 0;
  const filtering = options.filter.trim() !== '';
  const register = (nodes: readonly ProcessNode[]): void => {
    for (const n of nodes) {
      byId.set(n.id, n);
      visibleCount++;
      if (!n.group && n.matches) matchCount++;
      register(n.children);
    }
  };
  /** A group of processes, or nothing when the filter leaves none of them. */
  const group = (
    id: string,
    kind: GroupKind,
    label: string,
    list: readonly ProcessSample[],
    extra: Partial<Omit<ProcessGroup, 'key'>> = {},
  ): ProcessNode | undefined => {
    const children = buildProcessSubtree(list, options);
    if (children.length === 0) return undefined;
    return makeGroup(id, { kind, label, ...sums(list), ...extra }, children);
  };

  const roots: ProcessNode[] = [];
  // Windows, this one first, then the busiest.
  const hostList = [...hosts].map((pid) => byPid.get(pid)!);
  const windowTotal = (pid: number) => sums(windowMembers(pid)).cpu;
  const windowMembers = (pid: number): ProcessSample[] => [
    ...(members.get(`host:${pid}`) ?? []),
    ...(members.get(`window-other:${pid}`) ?? []),
    ...[...members.entries()].filter(([k]) => k.startsWith(`ext:${pid}:`)).flatMap(([, v]) => v),
  ];
  hostList.sort(
    (a, b) => Number(b.pid === ownHostPid) - Number(a.pid === ownHostPid) || windowTotal(b.pid) - windowTotal(a.pid) || a.pid - b.pid,
  );
  for (const host of hostList) {
    const subgroups: ProcessNode[] = [];
    for (const [key, list] of members) {
      if (!key.startsWith(`ext:${host.pid}:`)) continue;
      const extensionId = key.slice(`ext:${host.pid}:`.length);
      const g = group(`${PREFIX}group/ext/${host.pid}/${extensionId}`, 'extension', extensionNames.get(extensionId) || extensionId, list, {
        extensionId,
        hostPid: host.pid,
      });
      if (g) subgroups.push(g);
    }
    subgroups.sort(byLoad(options));
    const others = group(
      `${PREFIX}group/window-other/${host.pid}`,
      'window-other',
      'Other processes of this window',
      members.get(`window-other:${host.pid}`) ?? [],
      {
        hostPid: host.pid,
      },
    );
    if (others) subgroups.push(others);
    const hostMatches = !filtering || buildProcessSubtree([host], options).length > 0;
    if (!hostMatches && subgroups.length === 0) continue;
    const hostNode: ProcessNode = {
      id: `${PREFIX}${processId(host)}`,
      process: host,
      parent: undefined,
      children: subgroups,
      matches: hostMatches,
    };
    for (const g of subgroups) (g as { parent: ProcessNode | undefined }).parent = hostNode;
    const mine = host.pid === ownHostPid;
    const workspace = host.role?.detail.trim() || 'no folder';
    const windowNode = makeGroup(
      `${PREFIX}group/window/${host.pid}`,
      { kind: 'window', label: `Window: ${workspace}${mine ? ' (this window)' : ''}`, ...sums(windowMembers(host.pid)), hostPid: host.pid },
      [hostNode],
    );
    roots.push(windowNode);
  }

  const top = (kind: keyof typeof TOP_LABELS, list: readonly ProcessSample[]) => {
    const g = group(`${PREFIX}group/${kind}`, kind, TOP_LABELS[kind], list);
    if (g) roots.push(g);
  };
  top('vscode', members.get('vscode') ?? []);
  top('terminals', members.get('terminals') ?? []);
  top('tasks', members.get('tasks') ?? []);
  // Extension processes whose extension host is not in the sample: grouped by extension.
  const orphanExtensions: ProcessNode[] = [];
  for (const [key, list] of members) {
    if (!key.startsWith('ext::')) continue;
    const extensionId = key.slice('ext::'.length);
    const g = group(`${PREFIX}group/ext//${extensionId}`, 'extension', extensionNames.get(extensionId) || extensionId, list, {
      extensionId,
    });
    if (g) orphanExtensions.push(g);
  }
  if (orphanExtensions.length) {
    orphanExtensions.sort(byLoad(options));
    const all = orphanExtensions.flatMap((g) => g.group?.members ?? []);
    roots.push(
      makeGroup(`${PREFIX}group/extensions`, { kind: 'extensions', label: TOP_LABELS.extensions, ...sums(all) }, orphanExtensions),
    );
  }
  top('left-behind', members.get('left-behind') ?? []);
  top('other', members.get('other') ?? []);

  register(roots);
  return { roots, byId, matchCount, visibleCount, total: byPid.size };
}

/** A group row: `group` and a stand-in `process` with its label and sums (as the containers rows). */
function makeGroup(id: string, group: Omit<ProcessGroup, 'key'>, children: ProcessNode[]): ProcessNode {
  const g: ProcessGroup = { ...group, key: id };
  const node: ProcessNode = { id, process: groupStandIn(g), group: g, parent: undefined, children, matches: true };
  for (const c of children) (c as { parent: ProcessNode | undefined }).parent = node;
  return node;
}

type Sums = Pick<ProcessGroup, 'cpu' | 'rssBytes' | 'gpuMemoryBytes' | 'processes' | 'members'>;

function sums(list: readonly ProcessSample[]): Sums {
  let cpu = 0;
  let rssBytes = 0;
  let gpuMemoryBytes = 0;
  for (const p of list) {
    cpu += p.cpu;
    rssBytes += p.rssBytes;
    gpuMemoryBytes += p.gpuMemoryBytes ?? 0;
  }
  // Sums of rounded values: round once more for display, as the containers grouping does.
  return { cpu: Math.round(cpu * 100) / 100, rssBytes, gpuMemoryBytes, processes: list.length, members: [...list] };
}

/** Groups side by side follow the view's sort where it is a load; by name otherwise. */
function byLoad(options: ProcessViewOptions): (a: ProcessNode, b: ProcessNode) => number {
  const name = (a: ProcessNode, b: ProcessNode) => a.process.name.localeCompare(b.process.name);
  if (options.sort === 'memory') return (a, b) => b.process.rssBytes - a.process.rssBytes || name(a, b);
  if (options.sort === 'cpu') return (a, b) => b.process.cpu - a.process.cpu || b.process.rssBytes - a.process.rssBytes || name(a, b);
  return name;
}

// The Processes view as data: from the latest snapshot's flat process list to the rows the tree
// shows (hierarchy by parent pid or a flat list, sorted, filtered; grouped by container, or by what
// the processes are to VS Code — vscodeGroups.ts, from the same parts). Pure, so every rule here is
// unit-tested without VS Code; the TreeDataProvider only renders what this returns.

import { processKeyString, type ProcessSample } from '../../backend';
import { containerKey, containerLabel } from '../../shared/containers';
import { roleText } from '../../shared/roleText';

/**
 * `containers`: one row per container (and one for the host) with its processes under it, summed.
 * `vscode`: VS Code's processes by window, extension, terminal and task (vscodeGroups.ts).
 */
export type ProcessViewMode = 'tree' | 'flat' | 'containers' | 'vscode';
export const VIEW_MODES: readonly ProcessViewMode[] = ['tree', 'flat', 'containers', 'vscode'];
/** `io`: bytes read + written in the last interval (/proc/<pid>/io), busiest first, unknown last. */
export type ProcessSortKey = 'cpu' | 'memory' | 'io' | 'pid' | 'name';

export const SORT_KEYS: readonly ProcessSortKey[] = ['cpu', 'memory', 'io', 'pid', 'name'];

export interface ProcessViewOptions {
  mode: ProcessViewMode;
  sort: ProcessSortKey;
  /** Free text; empty means no filter. */
  filter: string;
}

export interface ProcessNode {
  /**
   * `${pid}@${startTime}` in tree mode: the tree item id, stable across refreshes and immune to pid
   * reuse. `flat/${pid}@${startTime}` in flat mode, because VS Code remembers a leaf's collapsed
   * state by id: shared ids would bring the tree back fully collapsed after a visit to the list.
   */
  readonly id: string;
  readonly process: ProcessSample;
  readonly parent: ProcessNode | undefined;
  readonly children: ProcessNode[];
  /** False for an ancestor kept only so a match keeps its place in the hierarchy. */
  readonly matches: boolean;
  /**
   * Set on a grouping row (a container, or the host): its `process` is then a stand-in carrying the
   * group's label and sums (pid 0), not a process to act on.
   */
  readonly group?: ProcessGroup | undefined;
}

/** What a group row gathers: a container or the host, or (VS Code grouping) a window, an extension… */
export type GroupKind =
  | 'container'
  | 'host'
  | 'window'
  | 'extension'
  | 'window-other'
  | 'vscode'
  | 'terminals'
  | 'tasks'
  | 'extensions'
  | 'left-behind'
  | 'other';

export interface ProcessGroup {
  kind: GroupKind;
  /** `host`, or the container's runtime:id; the VS Code grouping's row id. */
  key: string;
  label: string;
  /**
   * Summed: CPU % of one core, RSS bytes. Containers: over the processes the filter keeps; VS Code
   * groups: over every process of the group (what it costs, whatever the filter shows).
   */
  cpu: number;
  rssBytes: number;
  gpuMemoryBytes: number;
  processes: number;
  /** The processes summed (what a group action, Kill All…, acts on). */
  members: ProcessSample[];
  /** The extension, for an extension's group. */
  extensionId?: string;
  /** The extension host, for a window's group and its extensions'. */
  hostPid?: number;
}

export const HOST_GROUP = 'host';

export interface ProcessView {
  roots: ProcessNode[];
  byId: ReadonlyMap<string, ProcessNode>;
  /** Processes that match the filter (all of them without a filter). */
  matchCount: number;
  /** Rows in the view, including ancestors kept for context. */
  visibleCount: number;
  total: number;
}

export function processId(p: Pick<ProcessSample, 'pid' | 'startTime'>): string {
  return processKeyString(p);
}

/**
 * Case-insensitive substring of the name or command line; a filter of digits also matches that
 * exact pid (a pid substring would match half the system).
 */
export function matchesFilter(p: ProcessSample, filter: string): boolean {
  const f = filter.trim().toLowerCase();
  if (f === '') return true;
  if (/^\d+$/.test(f) && p.pid === Number(f)) return true;
  if (p.name.toLowerCase().includes(f) || p.command.toLowerCase().includes(f)) return true;
  // "terminal", "task: build", an extension's name or id find VS Code's processes by what they are.
  const role = p.role;
  return role !== undefined && (roleText(role, p.pid, -1).toLowerCase().includes(f) || (role.extensionId ?? '').toLowerCase().includes(f));
}

const byName = (a: ProcessSample, b: ProcessSample): number => {
  const x = a.name.toLowerCase();
  const y = b.name.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
};

/**
 * Storage bytes read + written in the last interval; -1 where unknown (the io file is not readable
 * to us), so an unknown process sorts after every known one, idle ones included, not as a fake 0.
 */
export function ioBytes(p: ProcessSample): number {
  const r = p.readBytes;
  const w = p.writeBytes;
  if (r === null || r === undefined || w === null || w === undefined) return -1;
  return r + w;
}

/** Busiest first for cpu/memory/io, ascending for pid/name; ties broken by pid so the order is total. */
export function compareProcesses(key: ProcessSortKey): (a: ProcessSample, b: ProcessSample) => number {
  switch (key) {
    case 'cpu':
      return (a, b) => b.cpu - a.cpu || b.rssBytes - a.rssBytes || a.pid - b.pid;
    case 'memory':
      return (a, b) => b.rssBytes - a.rssBytes || b.cpu - a.cpu || a.pid - b.pid;
    case 'io':
      return (a, b) => ioBytes(b) - ioBytes(a) || b.cpu - a.cpu || a.pid - b.pid;
    case 'pid':
      return (a, b) => a.pid - b.pid || a.startTime - b.startTime;
    case 'name':
      return (a, b) => byName(a, b) || a.pid - b.pid;
  }
}

interface MutableNode {
  id: string;
  process: ProcessSample;
  parent: MutableNode | undefined;
  children: MutableNode[];
  matches: boolean;
  group?: ProcessGroup;
}

/** The `vscode` mode's subtrees: a tree of `processes` (a group's), ids `vscode/…`. */
export function buildProcessSubtree(processes: readonly ProcessSample[], options: ProcessViewOptions): ProcessNode[] {
  return buildProcessView(processes, { ...options, mode: 'vscode' }).roots;
}

/** Tree, flat list, containers; `vscode` builds a tree here (vscodeGroups.ts groups the subtrees). */
export function buildProcessView(processes: readonly ProcessSample[], options: ProcessViewOptions): ProcessView {
  const compare = compareProcesses(options.sort);
  const filtering = options.filter.trim() !== '';
  const byPid = new Map<number, MutableNode>();
  for (const p of processes) {
    // Two rows for one pid would be a sampling race (a pid reused within one interval): keep the newer.
    const existing = byPid.get(p.pid);
    if (existing && existing.process.startTime > p.startTime) continue;
    byPid.set(p.pid, {
      id: options.mode === 'tree' ? processId(p) : `${options.mode}/${processId(p)}`,
      process: p,
      parent: undefined,
      children: [],
      matches: matchesFilter(p, options.filter),
    });
  }
  const nodes = [...byPid.values()];
  const matchCount = nodes.reduce((n, node) => n + (node.matches ? 1 : 0), 0);

  let roots: MutableNode[];
  if (options.mode === 'flat') {
    roots = nodes.filter((n) => n.matches);
  } else if (options.mode === 'containers') {
    roots = groupByContainer(
      nodes.filter((n) => n.matches),
      options.sort,
    );
  } else {
    for (const node of nodes) {
      const parent = byPid.get(node.process.ppid);
      // A process whose parent was not sampled (it exited, or belongs to another namespace) is an orphan at the root.
      if (parent && parent !== node) {
        node.parent = parent;
        parent.children.push(node);
      }
    }
    roots = nodes.filter((n) => n.parent === undefined);
    // Corrupt ppids can form a cycle that no root reaches; cut it so those processes are not lost.
    const reached = new Set<MutableNode>();
    const mark = (n: MutableNode): void => {
      const stack = [n];
      while (stack.length) {
        const m = stack.pop()!;
        if (reached.has(m)) continue;
        reached.add(m);
        stack.push(...m.children);
      }
    };
    roots.forEach(mark);
    for (const node of nodes) {
      if (reached.has(node)) continue;
      const parent = node.parent!;
      parent.children.splice(parent.children.indexOf(node), 1);
      node.parent = undefined;
      roots.push(node);
      mark(node);
    }
    if (filtering) roots = prune(roots);
  }

  const byId = new Map<string, ProcessNode>();
  let visibleCount = 0;
  const finish = (list: MutableNode[]): void => {
    // Groups keep the order groupByContainer gave them; processes sort by the key.
    if (!list.some((n) => n.group)) list.sort((a, b) => compare(a.process, b.process));
    for (const n of list) {
      byId.set(n.id, n);
      visibleCount++;
      if (n.group || options.mode === 'tree' || options.mode === 'vscode') finish(n.children);
      else {
        // A list row (flat, or under its container): no children, whatever its ppid said.
        n.children = [];
        if (options.mode === 'flat') n.parent = undefined;
      }
    }
  };
  finish(roots);
  return { roots, byId, matchCount, visibleCount, total: nodes.length };
}

/**
 * One row per container with its processes under it (a flat list), then the host's processes under
 * "Host". Containers by the sort key of their sums (busiest first; by label for name and pid); the
 * host, the rest of the machine, last.
 */
function groupByContainer(nodes: MutableNode[], sort: ProcessSortKey): MutableNode[] {
  const groups = new Map<string, MutableNode>();
  for (const n of nodes) {
    const c = n.process.container;
    const key = c ? containerKey(c) : HOST_GROUP;
    let g = groups.get(key);
    if (!g) {
      const label = c ? containerLabel(c) : 'Host';
      const group: ProcessGroup = {
        kind: c ? 'container' : 'host',
        key,
        label,
        cpu: 0,
        rssBytes: 0,
        gpuMemoryBytes: 0,
        processes: 0,
        members: [],
      };
      g = { id: `group/${key}`, process: groupStandIn(group), parent: undefined, children: [], matches: true, group };
      groups.set(key, g);
    }
    const group = g.group!;
    group.cpu += n.process.cpu;
    group.rssBytes += n.process.rssBytes;
    group.gpuMemoryBytes += n.process.gpuMemoryBytes ?? 0;
    group.processes++;
    group.members.push(n.process);
    n.parent = g;
    g.children.push(n);
  }
  const list = [...groups.values()];
  for (const g of list) {
    // Sums as float additions of rounded values: round once more for display.
    g.group!.cpu = Math.round(g.group!.cpu * 100) / 100;
    g.process = groupStandIn(g.group!);
  }
  const host = list.filter((g) => g.group!.key === HOST_GROUP);
  const containers = list.filter((g) => g.group!.key !== HOST_GROUP);
  const byLabel = (a: MutableNode, b: MutableNode): number =>
    a.group!.label < b.group!.label ? -1 : a.group!.label > b.group!.label ? 1 : 0;
  containers.sort(sort === 'cpu' || sort === 'memory' ? (a, b) => compareProcesses(sort)(a.process, b.process) || byLabel(a, b) : byLabel);
  return [...containers, ...host];
}

/** A group row's `process`: its label and sums, pid 0 (checkKillTarget refuses it). */
export function groupStandIn(g: ProcessGroup): ProcessSample {
  return { pid: 0, ppid: 0, startTime: 0, name: g.label, command: '', user: '', state: '', cpu: g.cpu, rssBytes: g.rssBytes, threads: 0 };
}

/** Keeps matches and their ancestors; drops subtrees with no match. */
function prune(list: MutableNode[]): MutableNode[] {
  const kept: MutableNode[] = [];
  for (const n of list) {
    n.children = prune(n.children);
    if (n.matches || n.children.length > 0) kept.push(n);
  }
  return kept;
}

export type ViewChange = { full: true } | { full: false; changed: string[] };

/**
 * What a refresh must redraw. VS Code redraws every row of a refreshed subtree, which also closes
 * the tooltip under the mouse: so only rows whose text changed, and parents whose children changed
 * (a refresh of a parent covers its subtree), are named. Too many changes, or a change among the
 * roots, redraw everything.
 */
export function diffProcessViews(prev: ProcessView | undefined, next: ProcessView, signature: (n: ProcessNode) => string): ViewChange {
  if (!prev) return { full: true };
  const ids = (list: readonly ProcessNode[]) => list.map((n) => n.id).join(',');
  if (ids(prev.roots) !== ids(next.roots)) return { full: true };
  const changed: string[] = [];
  const walk = (list: readonly ProcessNode[]): void => {
    for (const n of list) {
      const old = prev.byId.get(n.id);
      if (!old || ids(old.children) !== ids(n.children)) {
        changed.push(n.id);
        continue; // the refresh of n redraws its subtree
      }
      if (signature(old) !== signature(n)) changed.push(n.id);
      walk(n.children);
    }
  };
  walk(next.roots);
  return changed.length > next.visibleCount / 2 ? { full: true } : { full: false, changed };
}

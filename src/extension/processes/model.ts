// The Processes view as data: from the latest snapshot's flat process list to the rows the tree
// shows (hierarchy by parent pid or a flat list, sorted, filtered; the VS Code grouping is built in
// vscodeGroups.ts from the same parts). Pure, so every rule here is unit-tested without VS Code;
// the TreeDataProvider only renders what this returns.

import { processKeyString, type ProcessSample } from '../../backend';
import { roleText } from '../../shared/roleText';

/** `vscode`: VS Code's processes grouped by window, extension, terminal and task (vscodeGroups.ts). */
export type ProcessViewMode = 'tree' | 'flat' | 'vscode';
export const VIEW_MODES: readonly ProcessViewMode[] = ['tree', 'flat', 'vscode'];
export type ProcessSortKey = 'cpu' | 'memory' | 'pid' | 'name';

export const SORT_KEYS: readonly ProcessSortKey[] = ['cpu', 'memory', 'pid', 'name'];

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
  readonly group?: undefined;
  readonly parent: ViewNode | undefined;
  readonly children: ViewNode[];
  /** False for an ancestor kept only so a match keeps its place in the hierarchy. */
  readonly matches: boolean;
}

export type GroupKind = 'window' | 'extension' | 'window-other' | 'vscode' | 'terminals' | 'tasks' | 'extensions' | 'left-behind' | 'other';

/** A row that gathers processes (VS Code grouping): its figures are its members' sums. */
export interface GroupInfo {
  kind: GroupKind;
  label: string;
  /** Summed over every process under the row, at the latest sample. */
  cpu: number;
  rssBytes: number;
  /** Every process under the row (what a group action acts on). */
  members: ProcessSample[];
  /** The extension, for extension groups. */
  extensionId?: string;
  /** The extension host, for window groups. */
  hostPid?: number;
}

export interface GroupNode {
  readonly id: string;
  readonly process?: undefined;
  readonly group: GroupInfo;
  readonly parent: ViewNode | undefined;
  readonly children: ViewNode[];
  readonly matches: boolean;
}

export type ViewNode = ProcessNode | GroupNode;

export function isGroupNode(n: ViewNode): n is GroupNode {
  return n.group !== undefined;
}

export interface ProcessView {
  roots: ViewNode[];
  byId: ReadonlyMap<string, ViewNode>;
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

/** Busiest first for cpu/memory, ascending for pid/name; ties broken by pid so the order is total. */
export function compareProcesses(key: ProcessSortKey): (a: ProcessSample, b: ProcessSample) => number {
  switch (key) {
    case 'cpu':
      return (a, b) => b.cpu - a.cpu || b.rssBytes - a.rssBytes || a.pid - b.pid;
    case 'memory':
      return (a, b) => b.rssBytes - a.rssBytes || b.cpu - a.cpu || a.pid - b.pid;
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
}

/** Builds `buildProcessView`'s tree with every id prefixed (the VS Code grouping shows subsets). */
export function buildProcessSubtree(processes: readonly ProcessSample[], options: ProcessViewOptions, idPrefix: string): ProcessNode[] {
  return buildProcessView(processes, { ...options, mode: 'tree' }, idPrefix).roots as ProcessNode[];
}

/** Tree or flat list; `vscode` mode is grouped by vscodeGroups.ts, and comes here as a tree. */
export function buildProcessView(processes: readonly ProcessSample[], options: ProcessViewOptions, idPrefix = ''): ProcessView {
  const compare = compareProcesses(options.sort);
  const filtering = options.filter.trim() !== '';
  const byPid = new Map<number, MutableNode>();
  for (const p of processes) {
    // Two rows for one pid would be a sampling race (a pid reused within one interval): keep the newer.
    const existing = byPid.get(p.pid);
    if (existing && existing.process.startTime > p.startTime) continue;
    byPid.set(p.pid, {
      id: options.mode === 'flat' ? `flat/${processId(p)}` : `${idPrefix}${processId(p)}`,
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
    list.sort((a, b) => compare(a.process, b.process));
    for (const n of list) {
      byId.set(n.id, n);
      visibleCount++;
      if (options.mode === 'flat') {
        n.children = [];
        n.parent = undefined;
      } else finish(n.children);
    }
  };
  finish(roots);
  return { roots, byId, matchCount, visibleCount, total: nodes.length };
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
export function diffProcessViews(prev: ProcessView | undefined, next: ProcessView, signature: (n: ViewNode) => string): ViewChange {
  if (!prev) return { full: true };
  const ids = (list: readonly ViewNode[]) => list.map((n) => n.id).join(',');
  if (ids(prev.roots) !== ids(next.roots)) return { full: true };
  const changed: string[] = [];
  const walk = (list: readonly ViewNode[]): void => {
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

import { describe, expect, it } from 'vitest';
import type { ProcessSample } from '../../../src/backend/types';
import {
  buildProcessView,
  compareProcesses,
  diffProcessViews,
  ioBytes,
  matchesFilter,
  type ProcessNode,
  type ProcessViewOptions,
} from '../../../src/extension/processes/model';

let nextStart = 1_700_000_000_000;
function proc(pid: number, ppid: number, over: Partial<ProcessSample> = {}): ProcessSample {
  return {
    pid,
    ppid,
    startTime: nextStart++,
    name: `p${pid}`,
    command: `/usr/bin/p${pid}`,
    user: 'me',
    state: 'S',
    cpu: 0,
    rssBytes: 0,
    threads: 1,
    ...over,
  };
}
const opts = (o: Partial<ProcessViewOptions> = {}): ProcessViewOptions => ({ mode: 'tree', sort: 'pid', filter: '', ...o });
/** `1(2(4),3)` style outline of a view, for readable expectations. */
const outline = (nodes: ProcessNode[]): string =>
  nodes.map((n) => `${n.process.pid}${n.matches ? '' : '~'}${n.children.length ? `(${outline(n.children)})` : ''}`).join(',');

const system = [
  proc(1, 0, { name: 'systemd' }),
  proc(2, 0, { name: 'kthreadd', command: '' }),
  proc(10, 2, { name: 'kworker/0:1', command: '' }),
  proc(100, 1, { name: 'sshd', cpu: 0.5, rssBytes: 8e6 }),
  proc(200, 100, { name: 'bash', command: '-bash', cpu: 0.1, rssBytes: 5e6 }),
  proc(300, 200, { name: 'node', command: 'node server.js --port 3000', cpu: 55, rssBytes: 150e6 }),
  proc(301, 300, { name: 'node', command: 'node worker.js', cpu: 20, rssBytes: 300e6 }),
  proc(400, 1, { name: 'Code', command: '/usr/share/code/code', cpu: 3, rssBytes: 400e6 }),
  // Parent 999 was not sampled (exited, or another pid namespace): an orphan at the root.
  proc(500, 999, { name: 'orphan' }),
];

describe('buildProcessView: hierarchy', () => {
  it('nests children under their parent and puts orphans at the root', () => {
    const v = buildProcessView(system, opts());
    expect(outline(v.roots)).toBe('1(100(200(300(301))),400),2(10),500');
    expect(v.total).toBe(9);
    expect(v.visibleCount).toBe(9);
    expect(v.matchCount).toBe(9);
  });

  it('gives items ids from pid and start time, and parent links for reveal', () => {
    const v = buildProcessView(system, opts());
    const node = v.byId.get(`301@${system[6]!.startTime}`)!;
    expect(node.process.name).toBe('node');
    expect(node.parent?.process.pid).toBe(300);
    expect(node.parent?.parent?.process.pid).toBe(200);
  });

  it('keeps ids stable across refreshes and distinct when a pid is reused', () => {
    const a = buildProcessView(system, opts());
    const b = buildProcessView(
      system.map((p) => ({ ...p, cpu: p.cpu + 1 })),
      opts(),
    );
    expect([...b.byId.keys()].sort()).toEqual([...a.byId.keys()].sort());
    const reused = buildProcessView(
      [...system.filter((p) => p.pid !== 301), { ...system[6]!, startTime: system[6]!.startTime + 5000 }],
      opts(),
    );
    expect(reused.byId.has(`301@${system[6]!.startTime}`)).toBe(false);
  });

  it('keeps the newer process when one sample holds a pid twice', () => {
    const old = proc(50, 1, { name: 'old' });
    const young = { ...proc(50, 1, { name: 'young' }), startTime: old.startTime + 10 };
    const v = buildProcessView([proc(1, 0), young, old], opts());
    expect(v.total).toBe(2);
    expect(v.roots[0]!.children.map((c) => c.process.name)).toEqual(['young']);
  });

  it('does not lose processes whose ppids form a cycle, or that are their own parent', () => {
    const v = buildProcessView([proc(7, 8), proc(8, 9), proc(9, 7), proc(11, 11), proc(1, 0)], opts());
    expect(v.visibleCount).toBe(5);
    expect(v.roots.map((r) => r.process.pid).sort((a, b) => a - b)).toContain(11);
    const all = [...v.byId.values()].map((n) => n.process.pid).sort((a, b) => a - b);
    expect(all).toEqual([1, 7, 8, 9, 11]);
  });
});

describe('buildProcessView: flat mode', () => {
  it('lists every process at the root without children', () => {
    const v = buildProcessView(system, opts({ mode: 'flat' }));
    expect(outline(v.roots)).toBe('1,2,10,100,200,300,301,400,500');
    expect(v.roots.every((n) => n.parent === undefined)).toBe(true);
  });

  it('uses ids of its own, so the tree keeps its expansion after a visit to the list', () => {
    const flat = [...buildProcessView(system, opts({ mode: 'flat' })).byId.keys()];
    const tree = new Set(buildProcessView(system, opts()).byId.keys());
    expect(flat).toHaveLength(9);
    for (const id of flat) {
      expect(id).toMatch(/^flat\/\d+@\d+$/);
      expect(tree.has(id.slice('flat/'.length))).toBe(true);
    }
  });
});

describe('sorting', () => {
  it('sorts by CPU busiest first, in the flat list and among siblings in the tree', () => {
    expect(outline(buildProcessView(system, opts({ mode: 'flat', sort: 'cpu' })).roots)).toBe('300,301,400,100,200,1,2,10,500');
    const tree = buildProcessView(system, opts({ sort: 'cpu' }));
    expect(tree.roots[0]!.children.map((c) => c.process.pid)).toEqual([400, 100]);
  });

  it('sorts by memory largest first, by pid ascending and by name case-insensitively', () => {
    expect(
      outline(buildProcessView(system, opts({ mode: 'flat', sort: 'memory' })).roots)
        .split(',')
        .slice(0, 4),
    ).toEqual(['400', '301', '300', '100']);
    const names = buildProcessView(system, opts({ mode: 'flat', sort: 'name' })).roots.map((n) => n.process.name);
    expect(names).toEqual(['bash', 'Code', 'kthreadd', 'kworker/0:1', 'node', 'node', 'orphan', 'sshd', 'systemd']);
  });

  it('breaks ties by pid so the order never flickers', () => {
    const a = proc(20, 1, { cpu: 5, rssBytes: 1 });
    const b = proc(10, 1, { cpu: 5, rssBytes: 1 });
    expect([a, b].sort(compareProcesses('cpu')).map((p) => p.pid)).toEqual([10, 20]);
    expect([a, b].sort(compareProcesses('memory')).map((p) => p.pid)).toEqual([10, 20]);
  });

  it('sorts by disk I/O (read + write) busiest first, idle next, unknown last', () => {
    const list = [
      proc(1, 0, { readBytes: null, writeBytes: null, cpu: 90 }),
      proc(2, 0, { readBytes: 0, writeBytes: 0 }),
      proc(3, 0, { readBytes: 1e6, writeBytes: 64e6 }),
      proc(4, 0, { readBytes: 10e6, writeBytes: 0 }),
      proc(5, 0, {}),
    ];
    expect(outline(buildProcessView(list, opts({ mode: 'flat', sort: 'io' })).roots)).toBe('3,4,2,1,5');
    expect(ioBytes(list[0]!)).toBe(-1);
    expect(ioBytes(list[2]!)).toBe(65e6);
  });
});

describe('filtering', () => {
  it('matches name or command line case-insensitively, and a number as an exact pid', () => {
    const node = system[5]!;
    expect(matchesFilter(node, 'NODE')).toBe(true);
    expect(matchesFilter(node, '--port')).toBe(true);
    expect(matchesFilter(node, '300')).toBe(true);
    expect(matchesFilter(system[6]!, '300')).toBe(false);
    expect(matchesFilter(system[6]!, '30')).toBe(false);
    expect(matchesFilter(node, '  ')).toBe(true);
  });

  it('keeps the ancestors of matches in tree mode, marked as context', () => {
    const v = buildProcessView(system, opts({ filter: 'worker.js' }));
    expect(outline(v.roots)).toBe('1~(100~(200~(300~(301))))');
    expect(v.matchCount).toBe(1);
    expect(v.visibleCount).toBe(5);
  });

  it('shows only the matches in flat mode', () => {
    const v = buildProcessView(system, opts({ mode: 'flat', filter: 'node' }));
    expect(outline(v.roots)).toBe('300,301');
    expect(v.visibleCount).toBe(2);
  });

  it('shows nothing when nothing matches', () => {
    const v = buildProcessView(system, opts({ filter: 'no-such-process' }));
    expect(v.roots).toEqual([]);
    expect(v.matchCount).toBe(0);
  });
});

describe('diffProcessViews', () => {
  const sig = (n: ProcessNode) => `${n.process.name}|${n.process.cpu.toFixed(1)}`;
  const idOf = (pid: number) => `${pid}@${system.find((p) => p.pid === pid)!.startTime}`;
  const base = buildProcessView(system, opts());

  it('redraws everything the first time and when the roots change', () => {
    expect(diffProcessViews(undefined, base, sig)).toEqual({ full: true });
    expect(
      diffProcessViews(
        base,
        buildProcessView(
          system.filter((p) => p.pid !== 500),
          opts(),
        ),
        sig,
      ),
    ).toEqual({ full: true });
  });

  it('names only the rows whose text changed', () => {
    const next = buildProcessView(
      system.map((p) => (p.pid === 301 ? { ...p, cpu: 21 } : p)),
      opts(),
    );
    expect(diffProcessViews(base, next, sig)).toEqual({ full: false, changed: [idOf(301)] });
    expect(diffProcessViews(base, buildProcessView(system, opts()), sig)).toEqual({ full: false, changed: [] });
  });

  it('names the parent, not its subtree, when its children change', () => {
    const child = proc(600, 200, { name: 'vim' });
    const next = buildProcessView([...system.map((p) => (p.pid === 301 ? { ...p, cpu: 99 } : p)), child], opts());
    expect(diffProcessViews(base, next, sig)).toEqual({ full: false, changed: [idOf(200)] });
  });

  it('redraws everything when most rows changed anyway', () => {
    const next = buildProcessView(
      system.map((p) => ({ ...p, cpu: p.cpu + 1 })),
      opts(),
    );
    expect(diffProcessViews(base, next, sig)).toEqual({ full: true });
  });
});

describe('buildProcessView: containers mode', () => {
  const web = { runtime: 'docker' as const, id: 'a'.repeat(64), name: 'web' };
  const db = { runtime: 'podman' as const, id: 'b'.repeat(64) };
  const withContainers = [
    ...system,
    proc(600, 1, { name: 'nginx', cpu: 2, rssBytes: 10e6, container: web }),
    proc(601, 600, { name: 'nginx', cpu: 1.5, rssBytes: 12e6, container: web, gpuMemoryBytes: 1e9 }),
    proc(700, 1, { name: 'postgres', cpu: 30, rssBytes: 200e6, container: db }),
  ];
  const label = (n: ProcessNode): string => (n.group ? `[${n.group.label}]` : String(n.process.pid));
  const groupOutline = (nodes: ProcessNode[]): string =>
    nodes.map((n) => `${label(n)}${n.children.length ? `(${groupOutline(n.children)})` : ''}`).join(',');

  it('one row per container with its processes, summed, and Host for the rest, last', () => {
    const v = buildProcessView(withContainers, opts({ mode: 'containers', sort: 'cpu' }));
    expect(groupOutline(v.roots)).toBe('[podman bbbbbbbbbbbb](700),[web (docker)](600,601),[Host](300,301,400,100,200,1,2,10,500)');
    const webGroup = v.roots[1]!.group!;
    expect(webGroup).toMatchObject({ key: `docker:${'a'.repeat(64)}`, cpu: 3.5, rssBytes: 22e6, gpuMemoryBytes: 1e9, processes: 2 });
    const host = v.roots[2]!;
    expect(host.group).toMatchObject({ key: 'host', processes: 9, cpu: 78.6 });
    expect(host.process.pid).toBe(0);
    // Rows under a group know it as their parent (reveal), and have ids of their own mode.
    const nginx = v.byId.get(`containers/600@${withContainers[9]!.startTime}`)!;
    expect(nginx.parent).toBe(v.roots[1]);
    expect(v.visibleCount).toBe(12 + 3);
    expect(v.total).toBe(12);
  });

  it('sums only what the filter keeps; groups with no match are gone', () => {
    const v = buildProcessView(withContainers, opts({ mode: 'containers', filter: 'nginx' }));
    expect(groupOutline(v.roots)).toBe('[web (docker)](600,601)');
    expect(v.matchCount).toBe(2);
  });

  it('by name or pid, containers by label', () => {
    const v = buildProcessView(withContainers, opts({ mode: 'containers', sort: 'name' }));
    expect(v.roots.map((n) => n.group?.label)).toEqual(['podman bbbbbbbbbbbb', 'web (docker)', 'Host']);
  });

  it('a machine with no containers: everything under Host', () => {
    const v = buildProcessView(system, opts({ mode: 'containers' }));
    expect(v.roots).toHaveLength(1);
    expect(v.roots[0]!.group?.label).toBe('Host');
    expect(v.roots[0]!.children).toHaveLength(9);
  });
});

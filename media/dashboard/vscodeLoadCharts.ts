// The Overview's VS Code section as data: from a loadByGroup answer to the two charts' specs and
// columns (CPU and memory, one line per extension or role, the busiest first) and the rows of the
// "top extensions" table. Pure: no DOM, no uPlot.

import type { LoadByGroupResult, LoadGroup, LoadGroupBy } from '../../src/backend/index';
import { roleKeyText } from '../../src/shared/roleText';
import type { ChartSpec, SeriesSpec } from './chartTypes';
import { shapeGaps, type Table } from './series';

/** Lines per chart: more is unreadable; the rest stay in the table. */
export const MAX_LINES = 8;
export const VSCODE_SYNC = 'vitals-vscode';

export interface LoadCharts {
  cpu: ChartSpec;
  memory: ChartSpec;
  /** Columns in series order: the CPU chart's, then the memory chart's, on one time axis. */
  cpuTable: Table;
  memoryTable: Table;
}

/** What a group is called: the extension's name, or the role in the words the Processes view uses. */
export function groupLabel(by: LoadGroupBy, g: Pick<LoadGroup, 'key' | 'label'>): string {
  if (g.key === 'other') return by === 'extension' ? 'other VS Code processes' : 'other';
  if (by === 'role') return roleKeyText(g.key) ?? (g.label || g.key);
  return g.label || g.key;
}

/** The groups drawn as lines: the busiest by average CPU (the backend's order), "other" last. */
export function chartedGroups(res: LoadByGroupResult): LoadGroup[] {
  const named = res.groups.filter((g) => g.key !== 'other').slice(0, MAX_LINES);
  const other = res.groups.find((g) => g.key === 'other');
  return other && named.length < res.groups.length ? [...named, other] : named;
}

export function loadCharts(res: LoadByGroupResult): LoadCharts {
  const groups = chartedGroups(res);
  const what = res.by === 'extension' ? 'extension' : 'VS Code role';
  const series: SeriesSpec[] = groups.map((g, i) => ({
    label: groupLabel(res.by, g),
    color: g.key === 'other' ? 'foreground' : { palette: i },
    ...(g.key === 'other' ? { dash: [4, 3] } : {}),
    ...(i === 0 && g.key !== 'other' ? { width: 2 } : {}),
  }));
  return {
    cpu: { id: `vscode-cpu-${res.by}`, title: `CPU by ${what} (% of one core)`, unit: 'processCpu', series, syncKey: VSCODE_SYNC },
    memory: { id: `vscode-mem-${res.by}`, title: `Memory by ${what}`, unit: 'bytes', series, syncKey: VSCODE_SYNC },
    cpuTable: shapeGaps(
      res.t,
      groups.map((g) => g.cpu.avg),
      res.bucketMs,
    ),
    memoryTable: shapeGaps(
      res.t,
      groups.map((g) => g.rssBytes.avg),
      res.bucketMs,
    ),
  };
}

export interface TopGroupRow {
  key: string;
  label: string;
  processes: number;
  cpuAvg: number;
  cpuMax: number;
  rssMaxBytes: number;
}

/** The table: every group the backend returned, busiest first, "other" last. */
export function topGroupRows(res: LoadByGroupResult): TopGroupRow[] {
  const rows = res.groups.map((g) => ({
    key: g.key,
    label: groupLabel(res.by, g),
    processes: g.processes,
    cpuAvg: g.cpuAvg,
    cpuMax: g.cpuMax,
    rssMaxBytes: g.rssMaxBytes,
  }));
  return [...rows.filter((r) => r.key !== 'other'), ...rows.filter((r) => r.key === 'other')];
}

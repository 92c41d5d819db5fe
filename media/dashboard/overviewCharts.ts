// Which charts the Overview shows and which metrics feed each line, derived from the metric names
// the backend knows (cores and mounts vary by machine). Pure: no DOM, no uPlot.

import type { ChartColor, ChartSpec, SeriesSpec } from './chartTypes';
import { coreIndexes, filesystemMounts, percentOf, type Column } from './series';

export interface ChartDef {
  spec: ChartSpec;
  /** The metrics this chart needs from history. */
  metrics: string[];
  /** Its columns, in series order, from the columns of the history table. */
  columns(col: (metric: string) => Column): Column[];
}

export const OVERVIEW_SYNC = 'vitals-overview';

const line = (label: string, color: ChartColor, extra: Partial<SeriesSpec> = {}): SeriesSpec => ({ label, color, ...extra });

function direct(id: string, title: string, unit: ChartSpec['unit'], series: [string, SeriesSpec][], yMax?: number): ChartDef {
  return {
    spec: { id, title, unit, syncKey: OVERVIEW_SYNC, series: series.map(([, s]) => s), ...(yMax !== undefined ? { yMax } : {}) },
    metrics: series.map(([m]) => m),
    columns: (col) => series.map(([m]) => col(m)),
  };
}

export function overviewCharts(metrics: readonly string[]): ChartDef[] {
  const cores = coreIndexes(metrics);
  const mounts = filesystemMounts(metrics);
  const defs: ChartDef[] = [
    direct(
      'cpu',
      'CPU (all cores)',
      'percent',
      [
        ['cpu.total', line('Total', 'blue', { width: 2, fill: true })],
        ['cpu.user', line('User', 'green')],
        ['cpu.system', line('System', 'orange')],
        ['cpu.iowait', line('I/O wait', 'red')],
      ],
      100,
    ),
  ];
  if (cores.length > 0)
    defs.push(
      direct(
        'cores',
        `CPU per core (${cores.length})`,
        'percent',
        cores.map((i) => [`core.${i}.total`, line(`Core ${i}`, { palette: i }, i >= 6 ? { dash: [4, 3] } : {})]),
        100,
      ),
    );
  defs.push(
    direct('memory', 'Memory and swap', 'bytes', [
      ['mem.used', line('Used', 'blue', { width: 2, fill: true })],
      ['mem.cached', line('Cached', 'purple')],
      ['swap.used', line('Swap used', 'orange')],
      ['mem.total', line('Total', 'foreground', { dash: [5, 4], width: 1 })],
    ]),
    direct('load', 'Load average', 'load', [
      ['load.1', line('1 min', 'blue', { width: 2 })],
      ['load.5', line('5 min', 'purple')],
      ['load.15', line('15 min', 'green')],
    ]),
    direct('disk', 'Disk I/O', 'rate', [
      ['disk.read', line('Read', 'green', { fill: true })],
      ['disk.write', line('Write', 'orange', { fill: true })],
    ]),
    direct('net', 'Network', 'rate', [
      ['net.rx', line('Received', 'blue', { fill: true })],
      ['net.tx', line('Sent', 'purple', { fill: true })],
    ]),
  );
  if (mounts.length > 0)
    defs.push({
      spec: {
        id: 'fs',
        title: 'Filesystem usage',
        unit: 'percent',
        yMax: 100,
        syncKey: OVERVIEW_SYNC,
        series: mounts.map((m, i) => line(m, { palette: i })),
      },
      metrics: mounts.flatMap((m) => [`fs.${m}.used`, `fs.${m}.size`]),
      columns: (col) => mounts.map((m) => percentOf(col(`fs.${m}.used`), col(`fs.${m}.size`))),
    });
  defs.push(...extraCharts(metrics));
  return defs;
}

/** Most temperature lines a chart gets: a server can have dozens of sensors, the hottest few say enough. */
const MAX_TEMPERATURE_LINES = 8;

const PRESSURE: [resource: string, label: string, color: ChartColor][] = [
  ['cpu', 'CPU', 'blue'],
  ['memory', 'Memory', 'purple'],
  ['io', 'I/O', 'orange'],
];

/**
 * Charts for what only some machines record: pressure (PSI), the limits of the container Vitals
 * runs in, NVIDIA GPUs, temperatures. Each appears only when its metrics exist.
 */
function extraCharts(metrics: readonly string[]): ChartDef[] {
  const names = new Set(metrics);
  const defs: ChartDef[] = [];
  // "some" solid, "full" (every task stalled, the worse state) dashed in the same colour.
  const pressure = PRESSURE.flatMap(([res, label, color]): [string, SeriesSpec][] => [
    ...(names.has(`psi.${res}.some`) ? [[`psi.${res}.some`, line(`${label} some`, color, { width: 2 })] as [string, SeriesSpec]] : []),
    ...(names.has(`psi.${res}.full`) ? [[`psi.${res}.full`, line(`${label} full`, color, { dash: [4, 3] })] as [string, SeriesSpec]] : []),
  ]);
  if (pressure.length) defs.push(direct('pressure', 'Pressure (% of time stalled, 10 s average)', 'percent', pressure, 100));
  if (names.has('cgroup.mem.limit'))
    defs.push(
      direct('container-memory', 'Container memory (of its limit, not the host)', 'bytes', [
        ['cgroup.mem.used', line('Used', 'blue', { width: 2, fill: true })],
        ['cgroup.mem.limit', line('Limit', 'red', { dash: [5, 4], width: 1 })],
      ]),
    );
  if (names.has('cgroup.cpu'))
    defs.push(
      direct(
        'container-cpu',
        'Container CPU (% of its limit)',
        'percent',
        [['cgroup.cpu', line('Used', 'blue', { width: 2, fill: true })]],
        100,
      ),
    );
  const gpus = metrics
    .map((m) => /^gpu\.(\d+)\.util$/.exec(m)?.[1])
    .filter((i): i is string => i !== undefined)
    .sort((a, b) => Number(a) - Number(b));
  if (gpus.length)
    defs.push(
      direct(
        'gpu',
        'GPU utilisation',
        'percent',
        gpus.map((i) => [`gpu.${i}.util`, line(`GPU ${i}`, { palette: Number(i) })]),
        100,
      ),
    );
  const gpuMem = metrics.filter((m) => /^gpu\.\d+\.mem\.used$/.test(m)).sort();
  if (gpuMem.length)
    defs.push(
      direct(
        'gpu-memory',
        'GPU memory',
        'bytes',
        gpuMem.map((m, i) => [m, line(`GPU ${m.split('.')[1]}`, { palette: i })]),
      ),
    );
  const temps = metrics.filter((m) => m.startsWith('temp.') || /^gpu\.\d+\.temp$/.test(m)).slice(0, MAX_TEMPERATURE_LINES);
  if (temps.length)
    defs.push(
      direct(
        'temperatures',
        'Temperatures',
        'celsius',
        temps.map((m, i) => [m, line(m.startsWith('temp.') ? m.slice('temp.'.length) : `GPU ${m.split('.')[1]}`, { palette: i })]),
      ),
    );
  return defs;
}

export function overviewMetrics(defs: readonly ChartDef[]): string[] {
  return [...new Set(defs.flatMap((d) => d.metrics))];
}

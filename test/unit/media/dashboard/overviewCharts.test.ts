import { describe, expect, it } from 'vitest';
import { overviewCharts, overviewMetrics } from '../../../../media/dashboard/overviewCharts';

const metrics = [
  'cpu.total',
  'cpu.user',
  'core.1.total',
  'core.0.total',
  'mem.used',
  'fs./.used',
  'fs./.size',
  'fs./home.used',
  'fs./home.size',
];

describe('overview charts', () => {
  it('has one line per core and per mount, in order', () => {
    const defs = overviewCharts(metrics);
    expect(defs.map((d) => d.spec.id)).toEqual(['cpu', 'cores', 'memory', 'load', 'disk', 'net', 'fs']);
    const cores = defs.find((d) => d.spec.id === 'cores')!;
    expect(cores.spec.series.map((s) => s.label)).toEqual(['Core 0', 'Core 1']);
    expect(cores.metrics).toEqual(['core.0.total', 'core.1.total']);
    const fs = defs.find((d) => d.spec.id === 'fs')!;
    expect(fs.spec.series.map((s) => s.label)).toEqual(['/', '/home']);
  });

  it('leaves out per-core and filesystem charts the machine has no metrics for', () => {
    expect(overviewCharts(['cpu.total']).map((d) => d.spec.id)).toEqual(['cpu', 'memory', 'load', 'disk', 'net']);
  });

  it('derives filesystem percent from used and size columns', () => {
    const fs = overviewCharts(metrics).find((d) => d.spec.id === 'fs')!;
    const cols: Record<string, (number | null)[]> = {
      'fs./.used': [25, null],
      'fs./.size': [100, 100],
      'fs./home.used': [1, 2],
      'fs./home.size': [4, 4],
    };
    expect(fs.columns((m) => cols[m] ?? [null, null])).toEqual([
      [25, null],
      [25, 50],
    ]);
  });

  it('asks history for each needed metric once', () => {
    const keys = overviewMetrics(overviewCharts(metrics));
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toContain('mem.total');
    expect(keys).toContain('fs./home.size');
  });
});

describe('overview pressure chart', () => {
  it('appears where PSI metrics exist, some solid and full dashed', () => {
    expect(overviewCharts(metrics).some((d) => d.spec.id === 'pressure')).toBe(false);
    const psi = [...metrics, 'psi.cpu.some', 'psi.memory.some', 'psi.memory.full', 'psi.io.some', 'psi.io.full'];
    const p = overviewCharts(psi).find((d) => d.spec.id === 'pressure')!;
    expect(p.metrics).toEqual(['psi.cpu.some', 'psi.memory.some', 'psi.memory.full', 'psi.io.some', 'psi.io.full']);
    expect(p.spec.series.map((s) => s.label)).toEqual(['CPU some', 'Memory some', 'Memory full', 'I/O some', 'I/O full']);
    expect(p.spec.series[2]!.dash).toEqual([4, 3]);
    expect(p.spec.unit).toBe('percent');
  });
});

describe('overview charts for containers, GPUs and sensors', () => {
  it('appear only where their metrics exist, after the usual ones', () => {
    const more = [
      ...metrics,
      'cgroup.mem.used',
      'cgroup.mem.limit',
      'cgroup.cpu',
      'gpu.1.util',
      'gpu.0.util',
      'gpu.0.mem.used',
      'gpu.0.temp',
      'temp.coretemp/Core 0',
    ];
    const defs = overviewCharts(more);
    expect(defs.map((d) => d.spec.id)).toEqual([
      'cpu',
      'cores',
      'memory',
      'load',
      'disk',
      'net',
      'fs',
      'container-memory',
      'container-cpu',
      'gpu',
      'gpu-memory',
      'temperatures',
    ]);
    expect(defs.find((d) => d.spec.id === 'container-memory')!.spec.title).toContain('of its limit');
    expect(defs.find((d) => d.spec.id === 'gpu')!.metrics).toEqual(['gpu.0.util', 'gpu.1.util']);
    const temps = defs.find((d) => d.spec.id === 'temperatures')!;
    expect(temps.spec.unit).toBe('celsius');
    expect(temps.spec.series.map((s) => s.label)).toEqual(['GPU 0', 'coretemp/Core 0']);
    expect(overviewCharts(metrics).some((d) => /^(container|gpu|temperatures)/.test(d.spec.id))).toBe(false);
  });
});

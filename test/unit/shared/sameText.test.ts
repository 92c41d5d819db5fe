// The same value in the same role reads the same in the sidebar (System view, process rows and
// tooltips), the status bar, the CLI and the dashboard, because all of them call src/shared/format.ts.
// Each figure is taken from what the real view functions produce, not from the formatter.
import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../../src/backend/config';
import type { HealthReport, ProcessSample, Snapshot } from '../../../src/backend/types';
import { summaryLine } from '../../../src/cli/present';
import { processDescription, processTooltipMarkdown } from '../../../src/extension/processes/tooltip';
import { FIGURE_SPACE, statusText, statusFigures, statusTooltipMarkdown } from '../../../src/extension/statusBar/format';
import { machineRows } from '../../../src/extension/system/model';
import { overviewCharts } from '../../../media/dashboard/overviewCharts';
import { formatValue } from '../../../src/shared/format';

const GB = 1024 ** 3;
// 5 GB used of 16 GB, idle process: the cases the sidebar and the dashboard used to write differently.
const proc: ProcessSample = {
  pid: 42,
  ppid: 1,
  startTime: 0,
  name: 'worker',
  command: '',
  user: 'dev',
  state: 'S',
  cpu: 0,
  rssBytes: 5e9,
  threads: 1,
};
const snap = (cpu: number): Snapshot => ({
  t: 0,
  processes: [proc],
  system: {
    t: 0,
    cpu: { total: cpu, user: cpu, system: 0, iowait: 0, idle: 100 - cpu },
    cores: [{ total: cpu, user: cpu, system: 0, iowait: 0, idle: 100 - cpu }],
    load: [2.314, 1, 0.5],
    mem: { totalBytes: 16 * GB, usedBytes: 5e9, availableBytes: 16 * GB - 5e9, cachedBytes: 0 },
    swap: { totalBytes: 0, usedBytes: 0 },
    disk: { readBps: 0, writeBps: 0 },
    net: { rxBps: 0, txBps: 0, interfaces: [] },
    filesystems: [],
  },
});
const health = { databaseSizeBytes: 0, liveSizeBytes: 0, self: { cpuPercent: 0, rssBytes: 0, heapBytes: 0 } } as HealthReport;

/** The dashboard's legend text for a metric: the unit of the Overview chart that draws it. */
function dashboardLegend(metric: string, value: number): string {
  const def = overviewCharts(['cpu.total', 'core.0.total', 'mem.used', 'load.1']).find((d) => d.metrics.includes(metric));
  if (!def) throw new Error(`no chart draws ${metric}`);
  return formatValue(def.spec.unit, value);
}

describe('one value, one text, everywhere', () => {
  it.each([0, 75.6])('system CPU %s', (cpu) => {
    const s = snap(cpu);
    const sidebar = machineRows(s, undefined).find((r) => r.id === 'cpu')!.description!;
    expect(sidebar).toBe(cpu === 0 ? '0%' : '76%');
    expect(statusText(statusFigures(s)).replaceAll(FIGURE_SPACE, '')).toContain(`CPU ${sidebar} ·`);
    expect(statusTooltipMarkdown(s, undefined, defaultSettings().ui.statusBar)).toContain(`CPU ${sidebar} of 1 cores`);
    expect(summaryLine(s, health)).toMatch(new RegExp(`cpu +${sidebar}  `));
    expect(dashboardLegend('cpu.total', cpu)).toBe(sidebar);
    expect(dashboardLegend('core.0.total', cpu)).toBe(machineRows(s, undefined).find((r) => r.id === 'cpu')!.children![0]!.description);
  });

  it('memory of 5 GB', () => {
    const s = snap(10);
    expect(machineRows(s, undefined).find((r) => r.id === 'memory')!.description).toBe('4.7 GB of 16.0 GB (29%)');
    expect(statusTooltipMarkdown(s, undefined, defaultSettings().ui.statusBar)).toContain('Memory 4.7 GB of 16.0 GB (29%)');
    expect(summaryLine(s, health)).toContain('mem 4.7 GB/16.0 GB');
    expect(dashboardLegend('mem.used', 5e9)).toBe('4.7 GB');
  });

  it('an idle process using 5 GB', () => {
    const s = snap(10);
    expect(processDescription(proc)).toBe('0.0% · 4.7 GB');
    const tip = processTooltipMarkdown(proc, 'full', 1000);
    expect(tip).toContain('| CPU | 0.0% of one core |');
    expect(tip).toContain('| Memory (RSS) | 4.7 GB |');
    expect(statusTooltipMarkdown(s, undefined, defaultSettings().ui.statusBar)).toContain('| worker | 42 | 0.0% | 4.7 GB |');
    expect(summaryLine(s, health)).toContain('top worker 0.0%');
    // The dashboard's process chart (unit processCpu, media/dashboard/processTab.ts) and its tables.
    expect(formatValue('processCpu', proc.cpu)).toBe('0.0%');
    expect(formatValue('bytes', proc.rssBytes)).toBe('4.7 GB');
  });

  it('load average', () => {
    const s = snap(10);
    expect(machineRows(s, undefined).find((r) => r.id === 'load')!.description).toBe('2.31  1.00  0.50');
    expect(summaryLine(s, health)).toContain('load 2.31');
    expect(dashboardLegend('load.1', 2.314)).toBe('2.31');
  });
});

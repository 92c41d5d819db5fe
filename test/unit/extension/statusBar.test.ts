import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../../src/backend/config';
import type { ProcessSample, Snapshot } from '../../../src/backend/types';
import {
  FIGURE_SPACE,
  fixedPercent,
  statusFigures,
  statusSeverity,
  statusText,
  statusTooltipMarkdown,
  topByCpu,
} from '../../../src/extension/statusBar/format';

const thresholds = defaultSettings().ui.statusBar; // cpu 80/95, memory 85/95

function snapshot(cpu: number, memUsed: number, processes: Partial<ProcessSample>[] = []): Snapshot {
  const system = {
    t: 0,
    cpu: { total: cpu, user: cpu, system: 0, iowait: 0, idle: 100 - cpu },
    cores: [],
    load: [0, 0, 0] as [number, number, number],
    mem: { totalBytes: 100, usedBytes: memUsed, availableBytes: 100 - memUsed, cachedBytes: 0 },
    swap: { totalBytes: 0, usedBytes: 0 },
    disk: { readBps: 0, writeBps: 0 },
    net: { rxBps: 0, txBps: 0, interfaces: [] },
    filesystems: [],
  };
  return {
    t: 0,
    system,
    processes: processes.map((p, i) => ({
      pid: i + 10,
      ppid: 1,
      startTime: 0,
      name: `p${i}`,
      command: '',
      user: '',
      state: 'S',
      cpu: 0,
      rssBytes: 0,
      threads: 1,
      ...p,
    })),
  };
}

describe('status bar text', () => {
  it('pads every percent to three digit widths with figure spaces', () => {
    expect(fixedPercent(7)).toBe(`${FIGURE_SPACE}${FIGURE_SPACE}7%`);
    expect(fixedPercent(63.4)).toBe(`${FIGURE_SPACE}63%`);
    expect(fixedPercent(100)).toBe('100%');
    expect(fixedPercent(-3)).toBe(`${FIGURE_SPACE}${FIGURE_SPACE}0%`);
    expect(fixedPercent(NaN)).toBe(`${FIGURE_SPACE}${FIGURE_SPACE}—%`);
  });

  it('keeps the same length whatever the values, so the item does not jitter', () => {
    const lengths = new Set(
      [0, 5, 42, 99.6, 100].flatMap((c) => [1, 50, 100].map((m) => statusText({ cpuPercent: c, memPercent: m }).length)),
    );
    expect(lengths.size).toBe(1);
    expect(statusText(statusFigures(snapshot(12.4, 63)))).toBe(`$(pulse) CPU ${FIGURE_SPACE}12% · MEM ${FIGURE_SPACE}63%`);
  });
});

describe('status bar severity', () => {
  it('turns warning, then error, past the configured thresholds for CPU or memory', () => {
    expect(statusSeverity({ cpuPercent: 79, memPercent: 84 }, thresholds)).toBe('normal');
    expect(statusSeverity({ cpuPercent: 80, memPercent: 10 }, thresholds)).toBe('warning');
    expect(statusSeverity({ cpuPercent: 10, memPercent: 90 }, thresholds)).toBe('warning');
    expect(statusSeverity({ cpuPercent: 96, memPercent: 10 }, thresholds)).toBe('error');
    expect(statusSeverity({ cpuPercent: 85, memPercent: 95 }, thresholds)).toBe('error');
    expect(statusSeverity({ cpuPercent: 50, memPercent: 50 }, { ...thresholds, cpuWarningPercent: 40 })).toBe('warning');
  });
});

describe('status bar tooltip', () => {
  it('lists the top three processes by CPU with names escaped', () => {
    const s = snapshot(40, 50, [
      { name: 'idle', cpu: 0 },
      { name: 'busy*one', cpu: 90 },
      { name: 'two', cpu: 30 },
      { name: 'three', cpu: 20 },
    ]);
    expect(topByCpu(s.processes, 3).map((p) => p.name)).toEqual(['busy*one', 'two', 'three']);
    const md = statusTooltipMarkdown(s, 'host_1', thresholds);
    expect(md).toContain('**Vitals** — host\\_1');
    expect(md).toContain('| busy\\*one | 11 | 90.0% |');
    expect(md).not.toContain('idle');
    expect(md).not.toContain('threshold');
    expect(statusTooltipMarkdown(snapshot(99, 50), undefined, thresholds)).toContain('Above the error threshold (CPU 95%, memory 95%)');
  });
});

// Chart axis labels (media/dashboard/axis.ts): shorter than the shared formatter's on purpose.
import { describe, expect, it } from 'vitest';
import { formatAxis, timeTicks } from '../../../../media/dashboard/axis';

describe('formatAxis', () => {
  it('writes shorter tick labels than the legend', () => {
    expect(formatAxis('percent', 50)).toBe('50%');
    expect(formatAxis('percent', 2.5)).toBe('2.5%');
    expect(formatAxis('processCpu', 150)).toBe('150%');
    expect(formatAxis('bytes', 1024 ** 3)).toBe('1 GB');
    expect(formatAxis('bytes', 1.5 * 1024 ** 3)).toBe('1.5 GB');
    expect(formatAxis('rate', 16 * 1024 ** 2)).toBe('16 MB/s');
    expect(formatAxis('bytes', 0)).toBe('0 B');
    expect(formatAxis('load', 1.5)).toBe('1.5');
  });
});

describe('timeTicks', () => {
  const at = (d: number, h: number, m = 0, s = 0) => new Date(2025, 2, d, h, m, s).getTime();
  it('shows seconds only when ticks are seconds apart', () => {
    expect(timeTicks([at(4, 9, 5, 0), at(4, 9, 5, 30)], 30_000)).toEqual(['09:05:00', '09:05:30']);
    expect(timeTicks([at(4, 9), at(4, 10)], 3_600_000)).toEqual(['09:00', '10:00']);
  });
  it('adds the date where the day changes', () => {
    const labels = timeTicks([at(4, 18), at(5, 0), at(5, 6)], 6 * 3_600_000);
    expect(labels[0]).toBe('18:00\nMar 4');
    expect(labels[1]).toBe('00:00\nMar 5');
    expect(labels[2]).toBe('06:00');
  });
  it('shows dates alone for ticks a day or more apart', () => {
    expect(timeTicks([at(4, 0), at(5, 0)], 86_400_000)).toEqual(['Mar 4', 'Mar 5']);
  });
});

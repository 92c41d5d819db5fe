import { describe, expect, it } from 'vitest';
import {
  formatAgo,
  formatAxis,
  formatBytes,
  formatCount,
  formatDateTime,
  formatDuration,
  formatPercent,
  formatRate,
  formatValue,
  formatWhen,
  timeTicks,
} from '../../../../media/dashboard/format';

describe('formatBytes', () => {
  it('uses binary units with at most three significant digits', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(12.34 * 1024 ** 2)).toBe('12.3 MB');
    expect(formatBytes(123.4 * 1024 ** 3)).toBe('123 GB');
    expect(formatBytes(2 * 1024 ** 4)).toBe('2 TB');
  });
  it('carries a value that rounds up to 1024 into the next unit', () => {
    expect(formatBytes(1023.9 * 1024)).toBe('1 MB');
  });
  it('keeps the sign and shows a dash for missing values', () => {
    expect(formatBytes(-2048)).toBe('-2 KB');
    expect(formatBytes(null)).toBe('—');
    expect(formatBytes(NaN)).toBe('—');
  });
});

describe('rates, percent, counts', () => {
  it('formats rates per second', () => {
    expect(formatRate(3 * 1024 ** 2)).toBe('3 MB/s');
    expect(formatRate(undefined)).toBe('—');
  });
  it('formats percent without trailing zeros', () => {
    expect(formatPercent(12.345)).toBe('12.3%');
    expect(formatPercent(100)).toBe('100%');
    expect(formatPercent(0.04)).toBe('0%');
    expect(formatPercent(null)).toBe('—');
  });
  it('groups thousands', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(12)).toBe('12');
  });
  it('picks the formatter by unit, with shorter axis labels', () => {
    expect(formatValue('load', 1.234)).toBe('1.23');
    expect(formatValue('rate', 1024)).toBe('1 KB/s');
    expect(formatAxis('percent', 50)).toBe('50%');
    expect(formatAxis('percent', 2.5)).toBe('2.5%');
    expect(formatAxis('bytes', 1024 ** 3)).toBe('1 GB');
  });
});

describe('formatDuration', () => {
  it('covers milliseconds to days', () => {
    expect(formatDuration(0)).toBe('0 ms');
    expect(formatDuration(2.5)).toBe('2.5 ms');
    expect(formatDuration(350)).toBe('350 ms');
    expect(formatDuration(1234)).toBe('1.2 s');
    expect(formatDuration(45_000)).toBe('45 s');
    expect(formatDuration(200_000)).toBe('3 min 20 s');
    expect(formatDuration(180_000)).toBe('3 min');
    expect(formatDuration(2 * 3600_000 + 5 * 60_000)).toBe('2 h 5 min');
    expect(formatDuration(3 * 86400_000 + 4 * 3600_000)).toBe('3 d 4 h');
    expect(formatDuration(7 * 86400_000)).toBe('7 d');
    expect(formatDuration(null)).toBe('—');
  });
});

describe('times', () => {
  const at = new Date(2025, 2, 4, 9, 5, 7).getTime();
  it('writes local date and time unambiguously', () => {
    expect(formatDateTime(at)).toBe('2025-03-04 09:05:07');
  });
  it('drops the date next to a reference on the same day', () => {
    expect(formatWhen(at, new Date(2025, 2, 4, 23, 0, 0).getTime())).toBe('09:05:07');
    expect(formatWhen(at, new Date(2025, 2, 5, 0, 0, 1).getTime())).toBe('2025-03-04 09:05:07');
  });
  it('says how long ago', () => {
    expect(formatAgo(at, at + 400)).toBe('just now');
    expect(formatAgo(at, at + 12_000)).toBe('12 s ago');
    expect(formatAgo(at, at + 5 * 60_000)).toBe('5 min ago');
    expect(formatAgo(at, at + 3 * 3600_000)).toBe('3 h ago');
    expect(formatAgo(at, at + 3 * 86400_000)).toBe('3 d ago');
    expect(formatAgo(at + 5000, at)).toBe('in 5 s');
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

import { describe, expect, it } from 'vitest';
import { formatAgo, formatBytes, formatDuration, formatPercent, formatRate, formatWholePercent, percentOf } from '../../../src/shared/format';

describe('formatBytes', () => {
  it('uses binary units with one decimal below 100 and none above', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1024)).toBe('1.0 KB');
    expect(formatBytes(145 * 1024 * 1024)).toBe('145 MB');
    expect(formatBytes(12.34 * 1024 * 1024)).toBe('12.3 MB');
    expect(formatBytes(16 * 1024 ** 3)).toBe('16.0 GB');
    expect(formatBytes(3 * 1024 ** 4)).toBe('3.0 TB');
  });

  it('changes unit where rounding would print 1024', () => {
    expect(formatBytes(1024 * 1024 - 1)).toBe('1.0 MB');
    expect(formatBytes(1024 * 1023.7)).toBe('1.0 MB');
  });

  it('shows a dash for values that are not sizes', () => {
    expect(formatBytes(-1)).toBe('–');
    expect(formatBytes(NaN)).toBe('–');
  });

  it('formats rates', () => {
    expect(formatRate(2048)).toBe('2.0 KB/s');
  });
});

describe('percent', () => {
  it('formats process CPU with one decimal, above 100 for several cores', () => {
    expect(formatPercent(0)).toBe('0.0%');
    expect(formatPercent(12.345)).toBe('12.3%');
    expect(formatPercent(150)).toBe('150.0%');
    expect(formatPercent(-0.01)).toBe('0.0%');
  });

  it('formats system figures as whole percents', () => {
    expect(formatWholePercent(62.5)).toBe('63%');
    expect(formatWholePercent(Infinity)).toBe('–');
    expect(percentOf(1, 4)).toBe(25);
    expect(percentOf(1, 0)).toBe(0);
  });
});

describe('time', () => {
  it('says how long ago', () => {
    const now = 10_000_000;
    expect(formatAgo(now, now)).toBe('just now');
    expect(formatAgo(now - 42_000, now)).toBe('42 s ago');
    expect(formatAgo(now - 5 * 60_000, now)).toBe('5 min ago');
    expect(formatAgo(now - 3 * 3_600_000, now)).toBe('3 h ago');
    expect(formatAgo(now - 50 * 3_600_000, now)).toBe('2 d ago');
  });

  it('formats durations', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(1234)).toBe('1.2 s');
    expect(formatDuration(200_000)).toBe('3 min 20 s');
    expect(formatDuration(2 * 3_600_000 + 5 * 60_000)).toBe('2 h 5 min');
    expect(formatDuration(3 * 86_400_000)).toBe('3 d');
  });
});

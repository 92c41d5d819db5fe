// The one formatter every side uses (src/shared/format.ts): the exact text per unit. Merges the
// former sidebar (test/unit/extension/format.test.ts) and dashboard (test/unit/dashboard/format.test.ts)
// tests; where the two used to disagree, the unified rule is pinned in "one rule per unit".
import { describe, expect, it } from 'vitest';
import {
  formatAgo,
  formatBytes,
  formatClock,
  formatCount,
  formatDateTime,
  formatDuration,
  formatLoad,
  formatPercent,
  formatRate,
  formatValue,
  formatWhen,
  formatWholePercent,
  MISSING,
  percentOf,
} from '../../../src/shared/format';

const GB = 1024 ** 3;

describe('one rule per unit (where the sidebar and the dashboard used to disagree)', () => {
  it('writes 5 GB with one decimal below 100 in every place', () => {
    expect(formatBytes(5e9)).toBe('4.7 GB'); // the dashboard said "4.66 GB"
    expect(formatBytes(5 * GB)).toBe('5.0 GB'); // the dashboard said "5 GB"
  });
  it('carries 30 hours into days', () => {
    expect(formatDuration(30 * 3_600_000)).toBe('1 d 6 h'); // the sidebar said "30 h"
  });
  it('rounds "ago" down', () => {
    const now = 10_000_000;
    expect(formatAgo(now - 90_000, now)).toBe('1 min ago'); // the dashboard said "2 min ago"
  });
  it('has one glyph for a missing value', () => {
    expect(MISSING).toBe('—'); // the sidebar used "–"
    for (const text of [
      formatBytes(null),
      formatRate(undefined),
      formatPercent(NaN),
      formatWholePercent(null),
      formatLoad(undefined),
      formatCount(null),
      formatDuration(null),
      formatDateTime(null),
    ])
      expect(text).toBe('—');
  });
  it('writes 0 % by role: a process one decimal, a system share whole', () => {
    expect(formatPercent(0)).toBe('0.0%'); // a process's CPU, like top
    expect(formatWholePercent(0)).toBe('0%'); // system-wide
    expect(formatValue('processCpu', 0)).toBe('0.0%');
    expect(formatValue('percent', 0)).toBe('0%');
  });
});

describe('formatBytes', () => {
  it('uses binary units with one decimal below 100 and none above', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1024)).toBe('1.0 KB');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(145 * 1024 * 1024)).toBe('145 MB');
    expect(formatBytes(12.34 * 1024 * 1024)).toBe('12.3 MB');
    expect(formatBytes(16 * GB)).toBe('16.0 GB');
    expect(formatBytes(123.4 * GB)).toBe('123 GB');
    expect(formatBytes(3 * 1024 ** 4)).toBe('3.0 TB');
    expect(formatBytes(2 * 1024 ** 4)).toBe('2.0 TB'); // was "2 TB" in the dashboard
  });

  it('changes unit where rounding would print 1024', () => {
    expect(formatBytes(1024 * 1024 - 1)).toBe('1.0 MB');
    expect(formatBytes(1024 * 1023.7)).toBe('1.0 MB');
    expect(formatBytes(1023.9 * 1024)).toBe('1.0 MB'); // was "1 MB" in the dashboard
  });

  it('shows the missing glyph for values that are not sizes', () => {
    expect(formatBytes(-1)).toBe('—');
    expect(formatBytes(-2048)).toBe('—'); // the dashboard printed "-2 KB"
    expect(formatBytes(NaN)).toBe('—');
    expect(formatBytes(null)).toBe('—');
  });

  it('formats rates per second', () => {
    expect(formatRate(2048)).toBe('2.0 KB/s');
    expect(formatRate(3 * 1024 ** 2)).toBe('3.0 MB/s'); // was "3 MB/s" in the dashboard
    expect(formatRate(undefined)).toBe('—');
  });
});

describe('percent, load, counts', () => {
  it('formats process CPU with one decimal, above 100 for several cores', () => {
    expect(formatPercent(12.345)).toBe('12.3%');
    expect(formatPercent(150)).toBe('150.0%');
    expect(formatPercent(100)).toBe('100.0%'); // was "100%" in the dashboard
    expect(formatPercent(0.04)).toBe('0.0%'); // was "0%" in the dashboard
    expect(formatPercent(-0.01)).toBe('0.0%');
    expect(formatPercent(null)).toBe('—');
  });

  it('formats system figures as whole percents', () => {
    expect(formatWholePercent(62.5)).toBe('63%');
    expect(formatWholePercent(Infinity)).toBe('—');
    expect(percentOf(1, 4)).toBe(25);
    expect(percentOf(1, 0)).toBe(0);
  });

  it('writes load with two decimals and groups thousands', () => {
    expect(formatLoad(1.234)).toBe('1.23');
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(12)).toBe('12');
  });

  it('picks the formatter by the role of a charted value', () => {
    expect(formatValue('load', 1.234)).toBe('1.23');
    expect(formatValue('rate', 1024)).toBe('1.0 KB/s'); // was "1 KB/s" in the dashboard
    expect(formatValue('bytes', 5e9)).toBe('4.7 GB');
    expect(formatValue('percent', 75.6)).toBe('76%');
    expect(formatValue('processCpu', 75.6)).toBe('75.6%');
    expect(formatValue('percent', null)).toBe('—');
  });
});

describe('formatDuration', () => {
  it('covers milliseconds to days', () => {
    expect(formatDuration(0)).toBe('0 ms');
    expect(formatDuration(2.5)).toBe('2.5 ms');
    expect(formatDuration(4)).toBe('4 ms');
    expect(formatDuration(350)).toBe('350 ms');
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(1234)).toBe('1.2 s');
    expect(formatDuration(45_000)).toBe('45 s');
    expect(formatDuration(200_000)).toBe('3 min 20 s');
    expect(formatDuration(180_000)).toBe('3 min');
    expect(formatDuration(2 * 3_600_000 + 5 * 60_000)).toBe('2 h 5 min');
    expect(formatDuration(3 * 86_400_000)).toBe('3 d');
    expect(formatDuration(3 * 86_400_000 + 4 * 3_600_000)).toBe('3 d 4 h');
    expect(formatDuration(7 * 86_400_000)).toBe('7 d');
    expect(formatDuration(null)).toBe('—');
  });

  it('rounds to the smaller unit shown and carries, never printing 60 of a unit', () => {
    expect(formatDuration(999.7)).toBe('1 s');
    expect(formatDuration(59_700)).toBe('1 min');
    expect(formatDuration(2 * 3_600_000 - 10_000)).toBe('2 h');
    expect(formatDuration(86_400_000 - 10_000)).toBe('1 d');
    expect(formatDuration(-5)).toBe('—');
  });
});

describe('times', () => {
  const at = new Date(2025, 2, 4, 9, 5, 7).getTime();
  it('writes local date and time unambiguously', () => {
    expect(formatDateTime(at)).toBe('2025-03-04 09:05:07');
    expect(formatClock(at)).toBe('09:05:07');
  });
  it('drops the date next to a reference on the same day', () => {
    expect(formatWhen(at, new Date(2025, 2, 4, 23, 0, 0).getTime())).toBe('09:05:07');
    expect(formatWhen(at, new Date(2025, 2, 5, 0, 0, 1).getTime())).toBe('2025-03-04 09:05:07');
  });
  it('says how long ago, in one unit rounded down', () => {
    const now = 10_000_000;
    expect(formatAgo(now, now)).toBe('just now');
    expect(formatAgo(at, at + 400)).toBe('just now');
    expect(formatAgo(at, at + 12_000)).toBe('12 s ago');
    expect(formatAgo(now - 42_000, now)).toBe('42 s ago');
    expect(formatAgo(now - 5 * 60_000, now)).toBe('5 min ago');
    expect(formatAgo(now - 3 * 3_600_000, now)).toBe('3 h ago');
    expect(formatAgo(now - 119 * 60_000, now)).toBe('1 h ago');
    expect(formatAgo(now - 50 * 3_600_000, now)).toBe('2 d ago');
    expect(formatAgo(at, at + 3 * 86_400_000)).toBe('3 d ago');
    expect(formatAgo(at + 5000, at)).toBe('in 5 s');
  });
});

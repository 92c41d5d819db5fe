// Chart axis tick labels, the one place numbers are deliberately shorter than src/shared/format.ts
// writes them: a tick sits next to a gridline, so "16 GB" and "50%" say enough, and the value under
// the cursor (the legend) is written in full by the shared formatter. Pure.

import { formatBytes, formatRate, type ValueUnit } from '../../src/shared/format';

/** "16 GB" for "16.0 GB": round ticks are the common case, and their ".0" only widens the axis. */
const dropPointZero = (s: string): string => s.replace(/\.0(?= )/, '');

const trimZeros = (s: string): string => (s.includes('.') ? s.replace(/\.?0+$/, '') : s);

export function formatAxis(unit: ValueUnit, v: number): string {
  switch (unit) {
    case 'percent':
    case 'processCpu':
      return `${trimZeros(v.toFixed(Math.abs(v) >= 10 || v === 0 ? 0 : 1))}%`;
    case 'bytes':
      return dropPointZero(formatBytes(v));
    case 'rate':
      return dropPointZero(formatRate(v));
    case 'load':
      return trimZeros(v.toFixed(2));
    case 'celsius':
      return `${Math.round(v)}°`;
    case 'watts':
      return `${trimZeros(v.toFixed(1))} W`;
  }
}

const DAY_MS = 86_400_000;
const monthDay = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
const pad = (n: number): string => String(n).padStart(2, '0');

const sameLocalDay = (a: number, b: number): boolean => {
  const x = new Date(a);
  const y = new Date(b);
  return x.getFullYear() === y.getFullYear() && x.getMonth() === y.getMonth() && x.getDate() === y.getDate();
};

/**
 * Labels for time-axis ticks `incrMs` apart: seconds when ticks are seconds apart, hours and
 * minutes within a day, dates beyond; the date is added under a time where the day changes.
 */
export function timeTicks(splits: readonly number[], incrMs: number): string[] {
  return splits.map((t, i) => {
    const d = new Date(t);
    if (incrMs >= DAY_MS) return monthDay.format(d);
    const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
    const time = incrMs < 60_000 ? `${hm}:${pad(d.getSeconds())}` : hm;
    const prev = i > 0 ? splits[i - 1] : undefined;
    const last = splits[splits.length - 1];
    const dayChanges = prev !== undefined ? !sameLocalDay(prev, t) : last !== undefined && !sameLocalDay(t, last);
    return dayChanges ? `${time}\n${monthDay.format(d)}` : time;
  });
}

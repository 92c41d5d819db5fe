import { describe, expect, it } from 'vitest';
import {
  customRangeProblem,
  DAY,
  fromDatetimeLocal,
  HOUR,
  LIVE_WINDOW_MS,
  maxPointsFor,
  MIN_ZOOM_MS,
  resolveRange,
  toDatetimeLocal,
  zoomWindow,
} from '../../../../media/dashboard/range';

const now = new Date(2025, 5, 10, 12, 0, 0).getTime();

describe('resolveRange', () => {
  it('ends live and preset windows now', () => {
    expect(resolveRange({ kind: 'live' }, now)).toEqual({ from: now - LIVE_WINDOW_MS, to: now });
    expect(resolveRange({ kind: 'preset', preset: '1h' }, now)).toEqual({ from: now - HOUR, to: now });
    expect(resolveRange({ kind: 'preset', preset: '24h' }, now)).toEqual({ from: now - DAY, to: now });
    expect(resolveRange({ kind: 'preset', preset: '7d' }, now)).toEqual({ from: now - 7 * DAY, to: now });
    expect(resolveRange({ kind: 'preset', preset: '30d' }, now)).toEqual({ from: now - 30 * DAY, to: now });
  });
  it('keeps a custom window, ordered', () => {
    expect(resolveRange({ kind: 'custom', from: 5, to: 9 }, now)).toEqual({ from: 5, to: 9 });
    expect(resolveRange({ kind: 'custom', from: 9, to: 5 }, now)).toEqual({ from: 5, to: 9 });
  });
});

describe('zoomWindow', () => {
  it('orders the drag ends', () => {
    expect(zoomWindow(2_000_000, 1_000_000)).toEqual({ from: 1_000_000, to: 2_000_000 });
  });
  it('widens a tiny selection around its middle', () => {
    const w = zoomWindow(100_000, 100_002);
    expect(w).not.toBeNull();
    expect(w!.to - w!.from).toBe(MIN_ZOOM_MS);
    expect((w!.from + w!.to) / 2).toBe(100_001);
  });
  it('refuses non-numbers', () => {
    expect(zoomWindow(NaN, 5)).toBeNull();
  });
});

describe('maxPointsFor', () => {
  it('asks for about a point per pixel, bounded', () => {
    expect(maxPointsFor(640.4)).toBe(640);
    expect(maxPointsFor(10)).toBe(60);
    expect(maxPointsFor(10_000)).toBe(2000);
    expect(maxPointsFor(0)).toBe(300);
  });
});

describe('datetime-local', () => {
  it('round-trips local minutes', () => {
    const s = toDatetimeLocal(now);
    expect(s).toBe('2025-06-10T12:00');
    expect(fromDatetimeLocal(s)).toBe(now);
    expect(fromDatetimeLocal('2025-06-10T12:00:30')).toBe(now + 30_000);
  });
  it('rejects what is not a date', () => {
    expect(fromDatetimeLocal('')).toBeNull();
    expect(fromDatetimeLocal('yesterday')).toBeNull();
    expect(fromDatetimeLocal('2025-02-30T10:00')).toBeNull();
  });
  it('explains a bad custom range', () => {
    expect(customRangeProblem(null, now, now)).toMatch(/both/);
    expect(customRangeProblem(now, now - 1, now)).toMatch(/before/);
    expect(customRangeProblem(now + HOUR, now + 2 * HOUR, now)).toMatch(/future/);
    expect(customRangeProblem(now - 5000, now, now)).toMatch(/10 seconds/);
    expect(customRangeProblem(now - HOUR, now, now)).toBeUndefined();
  });
});

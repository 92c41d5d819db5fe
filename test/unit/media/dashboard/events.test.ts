import { describe, expect, it } from 'vitest';
import type { AlertEvent, TopAtResult } from '../../../../src/extension/alerts/backendGuess';
import { culpritText, eventBands, eventRows, eventsOf, stepCursor, topAtSource } from '../../../../media/dashboard/events';

const MIN = 60_000;
const T0 = Date.UTC(2026, 11, 2, 12, 0, 0);

function alert(over: Partial<AlertEvent>): AlertEvent {
  return {
    id: 1,
    rule: 'processCpu',
    start: T0,
    end: T0 + 3 * MIN,
    culprits: [{ pid: 4242, startTime: T0 - MIN, name: 'node' }],
    peak: 198,
    message: 'node (jest) has used 198% of a core for 3 min',
    ...over,
  };
}

describe('eventRows', () => {
  it('lists events newest first with rule, culprit and duration; an active one says so', () => {
    const rows = eventRows([alert({ id: 1 }), alert({ id: 2, start: T0 + 10 * MIN, end: null, rule: 'leak' })], T0 + 15 * MIN);
    expect(rows.map((r) => r.id)).toEqual([2, 1]);
    expect(rows[0]).toMatchObject({ rule: 'Memory leak', culprit: 'node (4242)', duration: '5 min, active', active: true });
    expect(rows[1]).toMatchObject({ rule: 'Process CPU', duration: '3 min', active: false });
  });

  it('names the first culprit and counts the others; none is the missing glyph', () => {
    const c = { pid: 1, startTime: 0, name: 'a' };
    expect(culpritText(alert({ culprits: [c, { ...c, pid: 2 }, { ...c, pid: 3 }] }))).toBe('a (1) +2');
    expect(culpritText(alert({ culprits: [] }))).toBe('—');
  });
});

describe('eventBands', () => {
  it('keeps the events overlapping the window, clipped to it; an active one runs to now', () => {
    const w = { from: T0 + MIN, to: T0 + 20 * MIN };
    const bands = eventBands(
      [alert({ id: 1 }), alert({ id: 2, start: T0 + 30 * MIN, end: T0 + 31 * MIN }), alert({ id: 3, start: T0 + 15 * MIN, end: null })],
      w,
      T0 + 18 * MIN,
    );
    expect(bands).toEqual([
      { from: T0 + MIN, to: T0 + 3 * MIN, label: 'Process CPU', active: false },
      { from: T0 + 15 * MIN, to: T0 + 18 * MIN, label: 'Process CPU', active: true },
    ]);
  });
});

describe('topAtSource', () => {
  const base: TopAtResult = { at: T0, exact: true, tier: 'raw', bucketMs: 0, rows: [] };
  it('says exact for raw samples and names the bucket for rollups', () => {
    expect(topAtSource(base)).toMatch(/^Exact: the processes sampled at /);
    const r = topAtSource({ ...base, exact: false, tier: '1m', bucketMs: MIN });
    expect(r).toMatch(/1-minute rollup bucket/);
    expect(r).toMatch(/top processes/);
  });
});

describe('stepCursor', () => {
  it('starts at the newest point, steps by one or ten, stops at the ends, ignores other keys', () => {
    expect(stepCursor(null, 'ArrowLeft', false, 50)).toBe(49);
    expect(stepCursor(20, 'ArrowLeft', false, 50)).toBe(19);
    expect(stepCursor(20, 'ArrowRight', true, 50)).toBe(30);
    expect(stepCursor(45, 'ArrowRight', true, 50)).toBe(49);
    expect(stepCursor(3, 'ArrowLeft', true, 50)).toBe(0);
    expect(stepCursor(20, 'Home', false, 50)).toBe(0);
    expect(stepCursor(20, 'End', false, 50)).toBe(49);
    expect(stepCursor(20, 'a', false, 50)).toBeNull();
    expect(stepCursor(null, 'ArrowLeft', false, 0)).toBeNull();
  });
});

describe('eventsOf', () => {
  it('keeps the events naming the process, or any process of the name', () => {
    const a = alert({ id: 1 });
    const b = alert({ id: 2, culprits: [{ pid: 9, startTime: 1, name: 'code' }] });
    expect(eventsOf([a, b], { kind: 'process', pid: 4242, startTime: T0 - MIN, name: 'node' }).map((e) => e.id)).toEqual([1]);
    expect(eventsOf([a, b], { kind: 'process', pid: 4242, startTime: 0, name: 'node' })).toEqual([]);
    expect(eventsOf([a, b], { kind: 'name', name: 'code' }).map((e) => e.id)).toEqual([2]);
  });
});

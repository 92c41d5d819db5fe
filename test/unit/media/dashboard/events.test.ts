import { describe, expect, it } from 'vitest';
import type { AlertEvent, TopAtResult } from '../../../../src/backend/index';
import { culpritText, eventBands, eventRows, eventsOf, stepCursor, topAtSource } from '../../../../media/dashboard/events';

const MIN = 60_000;
const T0 = Date.UTC(2026, 11, 2, 12, 0, 0);

function culprit(pid: number, name: string, startTime = T0 - MIN): AlertEvent['culprit'] {
  return { key: `process:${pid}@${startTime}`, kind: 'process', label: name, processes: [{ pid, startTime, name, value: 198 }] };
}

function alert(over: Partial<AlertEvent>): AlertEvent {
  return {
    id: 'processCpu|process:4242|1',
    rule: 'processCpu',
    culprit: culprit(4242, 'node'),
    start: T0,
    end: T0 + 3 * MIN,
    peak: { value: 198, unit: '%core' },
    text: 'node (jest) has used 198 % of a core for 3 min',
    details: {},
    ...over,
  };
}

describe('eventRows', () => {
  it('lists events newest first with rule, culprit and duration; an active one says so', () => {
    const rows = eventRows(
      [
        alert({ id: 'a' }),
        alert({ id: 'b', start: T0 + 10 * MIN, end: null, rule: 'leak', peak: { value: 300 * 2 ** 20, unit: 'bytes/h' } }),
      ],
      T0 + 15 * MIN,
    );
    expect(rows.map((r) => r.id)).toEqual(['b', 'a']);
    expect(rows[0]).toMatchObject({
      rule: 'Memory leak',
      culprit: 'node (4242)',
      peak: '300 MB/h',
      duration: '5 min, active',
      active: true,
    });
    expect(rows[1]).toMatchObject({ rule: 'Process CPU', peak: '198.0%', duration: '3 min', active: false });
  });

  it('names a process culprit with its pid, anything else by its label; peaks in their units', () => {
    expect(culpritText(alert({}))).toBe('node (4242)');
    const machine = alert({ rule: 'machineCpu', culprit: { key: 'machine', kind: 'machine', label: 'the machine', processes: [] } });
    expect(culpritText(machine)).toBe('the machine');
    expect(eventRows([{ ...machine, peak: { value: 97.4, unit: '%' } }], T0)[0]?.peak).toBe('97%');
  });
});

describe('eventBands', () => {
  it('keeps the events overlapping the window, clipped to it; an active one runs to now', () => {
    const w = { from: T0 + MIN, to: T0 + 20 * MIN };
    const bands = eventBands(
      [
        alert({ id: 'a' }),
        alert({ id: 'b', start: T0 + 30 * MIN, end: T0 + 31 * MIN }),
        alert({ id: 'c', start: T0 + 15 * MIN, end: null }),
      ],
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
  const row = { pid: 1, startTime: 0, name: 'a', command: '', cpu: 1, rssBytes: 1, cpuMax: 1, rssMaxBytes: 1 };
  const base: TopAtResult = { asked: T0, at: T0, exact: true, tier: 'raw', bucketMs: 0, by: 'cpu', processes: [row] };
  it('says exact for raw samples and names the bucket for rollups', () => {
    expect(topAtSource(base)).toMatch(/^Exact: the processes of the sample at /);
    expect(topAtSource({ ...base, at: null, processes: [] })).toBe('Nothing was recorded near that moment.');
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
    const a = alert({ id: 'a' });
    const b = alert({ id: 'b', culprit: culprit(9, 'code', 1) });
    expect(eventsOf([a, b], { kind: 'process', pid: 4242, startTime: T0 - MIN, name: 'node' }).map((e) => e.id)).toEqual(['a']);
    expect(eventsOf([a, b], { kind: 'process', pid: 4242, startTime: 0, name: 'node' })).toEqual([]);
    expect(eventsOf([a, b], { kind: 'name', name: 'code' }).map((e) => e.id)).toEqual(['b']);
  });
});

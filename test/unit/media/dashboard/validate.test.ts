// What the webview accepts from the extension.
import { describe, expect, it } from 'vitest';
import { parseExtensionMessage, parseResult } from '../../../../media/dashboard/validate';

const status = { role: 'recorder', recording: true, databasePath: '/tmp/v.db', lastFlushAt: 5, databaseSizeBytes: 100 };
const info = { hostname: 'h', platform: 'linux', os: 'Linux', cpuModel: 'x', cpuCount: 2, totalMemBytes: 1e9 };
const live = { t: 1, metrics: { 'cpu.total': 5 }, processes: [{ pid: 1, startTime: 2, name: 'init', cpu: 0, rssBytes: 9 }] };

const history = {
  from: 0, to: 10, tier: 'raw', bucketMs: 5, t: [0, 5],
  series: { 'cpu.total': { avg: [1, null], min: [1, null], max: [1, null] } },
};

describe('parseExtensionMessage', () => {
  it('accepts every kind when well-formed', () => {
    for (const m of [
      { kind: 'init', info, status, metrics: ['cpu.total'], target: { tab: 'storage' }, latest: live },
      { kind: 'init', info: null, status: null, metrics: [], target: null, latest: null },
      { kind: 'response', inReplyTo: 3, ok: true, result: { anything: 1 } },
      { kind: 'response', inReplyTo: 3, ok: false, code: 'not-ready', error: 'starting' },
      { kind: 'live', sample: live },
      { kind: 'status', status: { ...status, problem: 'unsupported platform' } },
      { kind: 'show', target: { tab: 'process', process: { pid: 1, startTime: 2, name: 'x' } } },
      { kind: 'resync', status: null },
    ]) {
      const r = parseExtensionMessage(m);
      expect(r.ok, JSON.stringify(r)).toBe(true);
    }
  });

  it('rejects malformed messages and says where', () => {
    const cases: [unknown, RegExp][] = [
      ['hello', /not an object/],
      [{ kind: 'boom' }, /unknown message kind/],
      [{ kind: 'toString' }, /unknown message kind/],
      [{ kind: 'status', status: { ...status, role: 'boss' } }, /status\.role/],
      [{ kind: 'live', sample: { ...live, metrics: { 'cpu.total': 'high' } } }, /sample\.metrics\.cpu\.total/],
      [{ kind: 'live', sample: { ...live, processes: [{ pid: 1 }] } }, /processes\[0\]\.startTime/],
      [{ kind: 'response', inReplyTo: 3, ok: false, error: 'x' }, /code/],
      [{ kind: 'init', info, status, metrics: 'cpu', target: null, latest: null }, /metrics/],
      [{ kind: 'show', target: { tab: 'settings' } }, /target\.tab/],
    ];
    for (const [m, re] of cases) {
      const r = parseExtensionMessage(m);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toMatch(re);
    }
  });
});

describe('parseResult', () => {
  it('accepts a history result whose columns match its time axis', () => {
    expect(parseResult('history', history).ok).toBe(true);
  });

  it('rejects misaligned or non-numeric columns', () => {
    const short = { ...history, series: { 'cpu.total': { avg: [1], min: [1, null], max: [1, null] } } };
    const r = parseResult('history', short);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/cpu\.total\.avg.*2 items/);
    const text = { ...history, series: { 'cpu.total': { avg: [1, 'x'], min: [1, null], max: [1, null] } } };
    expect(parseResult('history', text).ok).toBe(false);
    expect(parseResult('history', { ...history, tier: '5m' }).ok).toBe(false);
  });

  it('checks process history, top rows, health, search and action results', () => {
    const series = { avg: [1], min: [1], max: [1] };
    const proc = { pid: 1, ppid: 0, startTime: 5, name: 'n', command: 'c', user: 'u', firstSeen: 5, lastSeen: 6 };
    expect(parseResult('processHistory', { from: 0, to: 1, tier: '1m', bucketMs: 60_000, t: [0], cpu: series, rssBytes: series, processes: [proc] }).ok).toBe(true);
    expect(parseResult('processHistory', { from: 0, to: 1, tier: '1m', bucketMs: 60_000, t: [0, 1], cpu: series, rssBytes: series, processes: [] }).ok).toBe(false);

    const row = { pid: 1, startTime: 2, name: 'n', command: '', user: 'u', cpuAvg: 1, cpuMax: 2, rssAvgBytes: 3, rssMaxBytes: 4, samples: 5 };
    expect(parseResult('topProcesses', [row]).ok).toBe(true);
    expect(parseResult('topProcesses', [{ ...row, cpuMax: null }]).ok).toBe(false);

    const report = {
      databasePath: '/x', databaseSizeBytes: 1, liveSizeBytes: 1, capBytes: 2, rowCounts: { raw: 1 },
      oldestSample: null, newestSample: 3, lastFlush: { at: 1, durationMs: 2 }, lastCheckpoint: null,
      retention: { rawSystemHours: 24, rawProcessMinutes: 60, minuteDays: 7, hourDays: 90, topNMinute: 30, topNHour: 50, maxDatabaseMB: 64 },
      journalBytes: 0, samplesDropped: 0, role: 'recorder', recording: true, self: { cpuPercent: 0.5, rssBytes: 1, heapBytes: 1 },
    };
    expect(parseResult('health', { report, backups: null }).ok).toBe(true);
    expect(parseResult('health', { report: { ...report, rowCounts: { raw: '1' } }, backups: [] }).ok).toBe(false);

    expect(parseResult('searchProcesses', { matches: [], names: [{ name: 'n', count: 2 }], outsideRange: 0 }).ok).toBe(true);
    expect(parseResult('searchProcesses', { matches: [{ pid: 1 }], names: [], outsideRange: 0 }).ok).toBe(false);

    expect(parseResult('clearHistory', { done: false }).ok).toBe(true);
    expect(parseResult('clearHistory', { done: 'no' }).ok).toBe(false);
  });
});

// The dashboard protocol's checks (src/shared/dashboardChecks.ts), both directions: what the panel
// accepts from the webview, and what the webview accepts from the panel.
import { describe, expect, it } from 'vitest';
import { LIMITS, parseExtensionMessage, parseResult, parseWebviewMessage } from '../../../src/shared/dashboardChecks';

// webview → panel
const ok = (m: unknown) => {
  const r = parseWebviewMessage(m);
  if (!r.ok) throw new Error(r.error);
  return r.value;
};
const bad = (m: unknown): string => {
  const r = parseWebviewMessage(m);
  if (r.ok) throw new Error(`accepted ${JSON.stringify(m)}`);
  return r.error;
};

describe('parseWebviewMessage', () => {
  it('accepts ready and log messages, truncating long logs', () => {
    expect(ok({ kind: 'ready' })).toEqual({ kind: 'ready' });
    const long = ok({ kind: 'log', level: 'error', message: 'x'.repeat(10_000) });
    expect(long.kind === 'log' && long.message.length).toBe(LIMITS.logMessage);
    expect(bad({ kind: 'log', level: 'fatal', message: 'x' })).toMatch(/level/);
  });

  it('accepts well-formed requests of every kind', () => {
    const range = { from: 1000, to: 2000 };
    ok({ kind: 'request', id: 1, method: 'history', params: { ...range, metrics: ['cpu.total'], maxPoints: 500 } });
    ok({
      kind: 'request',
      id: 2,
      method: 'processHistory',
      params: { ...range, maxPoints: 10, select: { kind: 'process', pid: 4, startTime: 5 } },
    });
    ok({ kind: 'request', id: 3, method: 'processHistory', params: { ...range, maxPoints: 10, select: { kind: 'name', name: 'node' } } });
    ok({ kind: 'request', id: 4, method: 'topProcesses', params: { ...range, by: 'memory', limit: 20 } });
    ok({ kind: 'request', id: 5, method: 'searchProcesses', params: { ...range, text: '', limit: 50 } });
    ok({ kind: 'request', id: 6, method: 'health', params: {} });
    ok({ kind: 'request', id: 7, method: 'export', params: { ...range, pid: 42 } });
    ok({ kind: 'request', id: 8, method: 'setRecording', params: { enabled: true } });
    for (const method of ['backupNow', 'clearHistory', 'openSettings', 'copyHealthJson', 'showLogs'])
      ok({ kind: 'request', id: 9, method, params: {} });
    ok({ kind: 'request', id: 10, method: 'alerts', params: range });
    ok({ kind: 'request', id: 11, method: 'topAt', params: { t: 1500, by: 'cpu', n: 10 } });
    expect(bad({ kind: 'request', id: 12, method: 'topAt', params: { t: 1500, by: 'disk', n: 10 } })).toMatch(/by/);
    expect(bad({ kind: 'request', id: 13, method: 'alerts', params: { from: 2, to: 1 } })).toMatch(/from <= to/);
  });

  it('rejects what is not a message', () => {
    expect(bad(null)).toMatch(/object/);
    expect(bad([1])).toMatch(/object/);
    expect(bad({ kind: 'launch' })).toMatch(/unknown message kind/);
  });

  it('rejects bad ids, methods and params', () => {
    expect(bad({ kind: 'request', id: 1.5, method: 'health', params: {} })).toMatch(/id/);
    expect(bad({ kind: 'request', id: 1, method: 'restore', params: {} })).toMatch(/unknown method/);
    expect(bad({ kind: 'request', id: 1, method: 'health' })).toMatch(/params/);
    expect(bad({ kind: 'request', id: 1, method: 'history', params: { from: 2, to: 1, metrics: ['a'], maxPoints: 5 } })).toMatch(/from/);
    expect(bad({ kind: 'request', id: 1, method: 'history', params: { from: 1, to: 2, metrics: [], maxPoints: 5 } })).toMatch(/metrics/);
    expect(bad({ kind: 'request', id: 1, method: 'history', params: { from: 1, to: 2, metrics: [3], maxPoints: 5 } })).toMatch(/metrics/);
    expect(
      bad({ kind: 'request', id: 1, method: 'history', params: { from: 1, to: 2, metrics: ['a'], maxPoints: LIMITS.maxPoints + 1 } }),
    ).toMatch(/maxPoints/);
    expect(bad({ kind: 'request', id: 1, method: 'history', params: { from: NaN, to: 2, metrics: ['a'], maxPoints: 5 } })).toMatch(
      /finite/,
    );
    expect(
      bad({
        kind: 'request',
        id: 1,
        method: 'processHistory',
        params: { from: 1, to: 2, maxPoints: 5, select: { kind: 'process', pid: -1, startTime: 0 } },
      }),
    ).toMatch(/select/);
    expect(
      bad({
        kind: 'request',
        id: 1,
        method: 'processHistory',
        params: { from: 1, to: 2, maxPoints: 5, select: { kind: 'name', name: '' } },
      }),
    ).toMatch(/select/);
    expect(bad({ kind: 'request', id: 1, method: 'topProcesses', params: { from: 1, to: 2, by: 'disk', limit: 5 } })).toMatch(/by/);
    expect(bad({ kind: 'request', id: 1, method: 'topProcesses', params: { from: 1, to: 2, by: 'cpu', limit: 0 } })).toMatch(/limit/);
    expect(bad({ kind: 'request', id: 1, method: 'searchProcesses', params: { from: 1, to: 2, text: 'x'.repeat(500), limit: 5 } })).toMatch(
      /text/,
    );
    expect(bad({ kind: 'request', id: 1, method: 'export', params: { from: 1, to: 2, pid: 'x' } })).toMatch(/pid/);
    expect(bad({ kind: 'request', id: 1, method: 'setRecording', params: { enabled: 'yes' } })).toMatch(/enabled/);
  });
});

// panel → webview
const status = { role: 'recorder', recording: true, databasePath: '/tmp/v.db', lastFlushAt: 5, databaseSizeBytes: 100 };
const info = { hostname: 'h', platform: 'linux', os: 'Linux', cpuModel: 'x', cpuCount: 2, totalMemBytes: 1e9 };
const live = { t: 1, metrics: { 'cpu.total': 5 }, processes: [{ pid: 1, startTime: 2, name: 'init', cpu: 0, rssBytes: 9 }] };

const history = {
  from: 0,
  to: 10,
  tier: 'raw',
  bucketMs: 5,
  t: [0, 5],
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
      { kind: 'show', target: { tab: 'events' } },
      { kind: 'show', target: { tab: 'process', process: { pid: 1, startTime: 2, name: 'x' }, range: { from: 1, to: 2 } } },
    ]) {
      const r = parseExtensionMessage(m);
      expect(r.ok, JSON.stringify(r)).toBe(true);
    }
  });

  it('rejects malformed messages and says where', () => {
    const cases: [unknown, RegExp][] = [
      ['hello', /expected an object/],
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

  it('checks alert events and who-did-it answers', () => {
    const event = {
      id: 'processCpu|process:7@5|1000',
      rule: 'processCpu',
      culprit: {
        key: 'process:7@5',
        kind: 'process',
        label: 'node (jest)',
        processes: [{ pid: 7, startTime: 5, name: 'node', value: 198 }],
      },
      start: 1000,
      end: null,
      peak: { value: 198, unit: '%core' },
      text: 'node (jest) has used 198 % of a core for 3 min',
      details: { threshold: 90 },
    };
    expect(parseResult('alerts', [event, { ...event, end: 2000 }]).ok).toBe(true);
    expect(parseResult('alerts', [{ ...event, rule: 'gpu' }]).ok).toBe(false);
    expect(parseResult('alerts', [{ ...event, peak: { value: 1, unit: 'W' } }]).ok).toBe(false);
    const row = { pid: 1, startTime: 2, name: 'n', command: '', cpu: 50, rssBytes: 1, cpuMax: 60, rssMaxBytes: 2 };
    const answer = { asked: 10, at: 9, exact: true, tier: 'raw', bucketMs: 0, by: 'cpu', processes: [row] };
    expect(parseResult('topAt', answer).ok).toBe(true);
    expect(parseResult('topAt', { ...answer, at: null, processes: [] }).ok).toBe(true);
    expect(parseResult('topAt', { ...answer, processes: [{ ...row, cpu: '5' }] }).ok).toBe(false);
  });

  it('checks process history, top rows, health, search and action results', () => {
    const series = { avg: [1], min: [1], max: [1] };
    const proc = { pid: 1, ppid: 0, startTime: 5, name: 'n', command: 'c', user: 'u', firstSeen: 5, lastSeen: 6 };
    expect(
      parseResult('processHistory', {
        from: 0,
        to: 1,
        tier: '1m',
        bucketMs: 60_000,
        t: [0],
        cpu: series,
        rssBytes: series,
        readBps: { avg: [null], min: [null], max: [null] },
        writeBps: series,
        processes: [proc],
      }).ok,
    ).toBe(true);
    // A history without its disk I/O series is not what the backend sends.
    expect(
      parseResult('processHistory', { from: 0, to: 1, tier: '1m', bucketMs: 60_000, t: [0], cpu: series, rssBytes: series, processes: [] })
        .ok,
    ).toBe(false);
    expect(
      parseResult('processHistory', {
        from: 0,
        to: 1,
        tier: '1m',
        bucketMs: 60_000,
        t: [0, 1],
        cpu: series,
        rssBytes: series,
        readBps: series,
        writeBps: series,
        processes: [],
      }).ok,
    ).toBe(false);

    const row = {
      pid: 1,
      startTime: 2,
      name: 'n',
      command: '',
      user: 'u',
      cpuAvg: 1,
      cpuMax: 2,
      rssAvgBytes: 3,
      rssMaxBytes: 4,
      samples: 5,
    };
    expect(parseResult('topProcesses', [row]).ok).toBe(true);
    expect(parseResult('topProcesses', [{ ...row, cpuMax: null }]).ok).toBe(false);

    const report = {
      databasePath: '/x',
      databaseSizeBytes: 1,
      liveSizeBytes: 1,
      capBytes: 2,
      rowCounts: { raw: 1 },
      oldestSample: null,
      newestSample: 3,
      lastFlush: { at: 1, durationMs: 2 },
      lastCheckpoint: null,
      retention: {
        rawSystemHours: 24,
        rawProcessMinutes: 60,
        minuteDays: 7,
        hourDays: 90,
        topNMinute: 30,
        topNHour: 50,
        maxDatabaseMB: 64,
      },
      journalBytes: 0,
      samplesDropped: 0,
      role: 'recorder',
      recording: true,
      self: { cpuPercent: 0.5, cpuScope: 'worker-thread', rssBytes: 1, heapBytes: 1, wasmBytes: 1 },
      sampling: { intervalMs: 2000, systemIntervalMs: 2000, processIntervalMs: 6000, costPercent: 1.4, budgetPercent: 1, governed: true },
    };
    expect(parseResult('health', { report, backups: null }).ok).toBe(true);
    // Whose CPU it is must be one of the scopes the Storage tab can label.
    expect(parseResult('health', { report: { ...report, self: { ...report.self, cpuScope: 'host' } }, backups: null }).ok).toBe(false);
    expect(parseResult('health', { report: { ...report, rowCounts: { raw: '1' } }, backups: [] }).ok).toBe(false);

    expect(parseResult('searchProcesses', { matches: [], names: [{ name: 'n', count: 2 }], outsideRange: 0 }).ok).toBe(true);
    expect(parseResult('searchProcesses', { matches: [{ pid: 1 }], names: [], outsideRange: 0 }).ok).toBe(false);

    expect(parseResult('clearHistory', { done: false }).ok).toBe(true);
    expect(parseResult('clearHistory', { done: 'no' }).ok).toBe(false);
  });
});

// What the panel accepts from the webview.
import { describe, expect, it } from 'vitest';
import { LIMITS, parseWebviewMessage } from '../../../../src/extension/dashboard/validate';

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
    ok({ kind: 'request', id: 2, method: 'processHistory', params: { ...range, maxPoints: 10, select: { kind: 'process', pid: 4, startTime: 5 } } });
    ok({ kind: 'request', id: 3, method: 'processHistory', params: { ...range, maxPoints: 10, select: { kind: 'name', name: 'node' } } });
    ok({ kind: 'request', id: 4, method: 'topProcesses', params: { ...range, by: 'memory', limit: 20 } });
    ok({ kind: 'request', id: 5, method: 'searchProcesses', params: { ...range, text: '', limit: 50 } });
    ok({ kind: 'request', id: 6, method: 'health', params: {} });
    ok({ kind: 'request', id: 7, method: 'export', params: { ...range, pid: 42 } });
    ok({ kind: 'request', id: 8, method: 'setRecording', params: { enabled: true } });
    for (const method of ['backupNow', 'clearHistory', 'openSettings', 'copyHealthJson', 'showLogs'])
      ok({ kind: 'request', id: 9, method, params: {} });
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
    expect(bad({ kind: 'request', id: 1, method: 'history', params: { from: 1, to: 2, metrics: ['a'], maxPoints: LIMITS.maxPoints + 1 } })).toMatch(/maxPoints/);
    expect(bad({ kind: 'request', id: 1, method: 'history', params: { from: NaN, to: 2, metrics: ['a'], maxPoints: 5 } })).toMatch(/finite/);
    expect(bad({ kind: 'request', id: 1, method: 'processHistory', params: { from: 1, to: 2, maxPoints: 5, select: { kind: 'process', pid: -1, startTime: 0 } } })).toMatch(/select/);
    expect(bad({ kind: 'request', id: 1, method: 'processHistory', params: { from: 1, to: 2, maxPoints: 5, select: { kind: 'name', name: '' } } })).toMatch(/select/);
    expect(bad({ kind: 'request', id: 1, method: 'topProcesses', params: { from: 1, to: 2, by: 'disk', limit: 5 } })).toMatch(/by/);
    expect(bad({ kind: 'request', id: 1, method: 'topProcesses', params: { from: 1, to: 2, by: 'cpu', limit: 0 } })).toMatch(/limit/);
    expect(bad({ kind: 'request', id: 1, method: 'searchProcesses', params: { from: 1, to: 2, text: 'x'.repeat(500), limit: 5 } })).toMatch(/text/);
    expect(bad({ kind: 'request', id: 1, method: 'export', params: { from: 1, to: 2, pid: 'x' } })).toMatch(/pid/);
    expect(bad({ kind: 'request', id: 1, method: 'setRecording', params: { enabled: 'yes' } })).toMatch(/enabled/);
  });
});

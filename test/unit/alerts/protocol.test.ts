import { describe, expect, it } from 'vitest';
import { parseFromWorker, parseToWorker } from '../../../src/backend/protocol';
import type { AlertEvent } from '../../../src/backend/alerts/types';

const alert: AlertEvent = {
  id: 'processCpu|process:42@1000|5000',
  rule: 'processCpu',
  culprit: {
    key: 'process:42@1000',
    kind: 'process',
    label: 'node (jest)',
    processes: [{ pid: 42, startTime: 1000, name: 'node', value: 198 }],
  },
  start: 5000,
  end: null,
  peak: { value: 198, unit: '%core' },
  text: 'node (jest) has used 198 % of a core for 3 min',
  details: { threshold: 90, sustainSeconds: 120 },
};

describe('alerts on the worker protocol', () => {
  it('accepts the alert requests and refuses malformed ones at the edge', () => {
    const req = (method: string, params: unknown) => parseToWorker({ kind: 'request', id: 1, method, params });
    expect(req('alerts', { from: 0, to: 10 }).ok).toBe(true);
    expect(req('alerts', { from: 10, to: 0 }).ok).toBe(false);
    expect(req('activeAlerts', {}).ok).toBe(true);
    expect(req('snoozeAlert', { rule: 'processCpu', culprit: 'process:42@1000', until: 9e12 }).ok).toBe(true);
    expect(req('snoozeAlert', { rule: 'nope', culprit: 'process:42@1000', until: 9e12 }).ok).toBe(false);
    expect(req('reportFocus', { windowId: 'w1', focused: true }).ok).toBe(true);
    expect(req('reportFocus', { windowId: '', focused: true }).ok).toBe(false);
    expect(req('topAt', { t: 5, by: 'cpu', n: 10 }).ok).toBe(true);
    expect(req('topAt', { t: 5, by: 'disk', n: 10 }).ok).toBe(false);
    expect(req('topAt', { t: 5, by: 'cpu', n: 0 }).ok).toBe(false);
  });

  it('passes the alert event through and drops a malformed one', () => {
    expect(parseFromWorker({ kind: 'event', event: 'alert', change: 'started', alert, notify: 'w1' }).ok).toBe(true);
    expect(parseFromWorker({ kind: 'event', event: 'alert', change: 'ended', alert: { ...alert, end: 9000 }, notify: null }).ok).toBe(true);
    expect(parseFromWorker({ kind: 'event', event: 'alert', change: 'begun', alert, notify: null }).ok).toBe(false);
    expect(parseFromWorker({ kind: 'event', event: 'alert', change: 'started', alert: { ...alert, rule: 'x' }, notify: null }).ok).toBe(
      false,
    );
  });
});

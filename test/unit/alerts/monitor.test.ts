// Alerts through real Monitors: a recorder and a viewer on one database (real lock, real live feed,
// real sql.js), the recorder's engine raising an alert from its ticks, storing it, and telling both
// windows which one shows it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { defaultMonitorConfig, type MonitorConfig } from '../../../src/backend/config';
import { Monitor } from '../../../src/backend/monitor';
import type { AlertChange } from '../../../src/backend/alerts/types';
import { INFO, recordingSink, removeDir, syntheticSamplers, tempDir, waitFor, type RecordingSink } from '../durability/support/harness';

let dir: string;
let db: string;
const open: Monitor[] = [];
const base = defaultMonitorConfig({ sampleIntervalMs: 200, flushIntervalMs: 200, checkpointIntervalMs: 3_600_000, backupsKept: 0 });
const config: MonitorConfig = {
  ...base,
  alerts: { ...base.alerts, endAfterMs: 0, processCpu: { enabled: true, percent: 100, sustainMs: 1000 } },
};
/** Whether the synthetic busy process runs. */
let busy = true;
const BUSY_PID = 777;

beforeEach(() => {
  dir = tempDir('alerts');
  db = join(dir, 'vitals.sqlite');
  busy = true;
});
afterEach(async () => {
  for (const m of open.splice(0)) await m.close();
  removeDir(dir);
});

async function window(): Promise<{ monitor: Monitor; sink: RecordingSink; alerts: AlertChange[] }> {
  const alerts: AlertChange[] = [];
  const sink = { ...recordingSink(), alert: (c: AlertChange) => alerts.push(c) };
  const samplers = syntheticSamplers(10);
  const sample = samplers.processes.sample;
  samplers.processes.sample = async (t) => {
    const ps = await sample(t);
    if (busy)
      ps.push({
        pid: BUSY_PID,
        ppid: 1,
        startTime: 1_700_000_000_000,
        name: 'node',
        command: 'node -e for(;;){}',
        user: 'dev',
        state: 'R',
        cpu: 180,
        rssBytes: 5e7,
        threads: 1,
      });
    return ps;
  };
  const monitor = await Monitor.open({ dbPath: db, config, sink, samplers, info: INFO, lockPollMs: 50 });
  open.push(monitor);
  return { monitor, sink, alerts };
}

describe('alerts in the recorder', () => {
  it('one alert, raised by the recorder, stored, shown by the focused window; a viewer asks and snoozes through the recorder', async () => {
    const a = await window();
    const b = await window();
    expect(a.monitor.status().role).toBe('recorder');
    expect(b.monitor.status().role).toBe('viewer');
    expect(await a.monitor.reportFocus('window-a', false)).toEqual({ notify: 'window-a' });
    await waitFor(() => b.sink.snapshots.length > 0, 'the viewer connected');
    expect(await b.monitor.reportFocus('window-b', true)).toEqual({ notify: 'window-b' });

    await waitFor(() => a.alerts.length > 0 && b.alerts.length > 0, 'the alert in both windows');
    const started = a.alerts[0]!;
    expect(started.change).toBe('started');
    expect(started.notify).toBe('window-b');
    expect(started.alert.culprit.processes.map((p) => p.pid)).toEqual([BUSY_PID]);
    expect(started.alert.text).toMatch(/^node has used 180 % of a core for \d/);
    expect(b.alerts[0]).toEqual(started);

    const active = await b.monitor.activeAlerts();
    expect(active.map((x) => x.id)).toEqual([started.alert.id]);
    expect(await b.monitor.snoozeAlert({ rule: 'processCpu', culprit: started.alert.culprit.key, until: Date.now() + 3_600_000 })).toEqual({
      snoozed: true,
    });

    // Stored, and the viewer reads it from the recorder's journal.
    await waitFor(() => b.monitor.alerts(0, Date.now() + 1000).length === 1, 'the event in the viewer');
    expect(a.monitor.alerts(0, Date.now() + 1000)[0]!.id).toBe(started.alert.id);

    busy = false;
    await waitFor(() => a.alerts.some((c) => c.change === 'ended'), 'the alert ended');
    const ended = a.alerts.find((c) => c.change === 'ended')!;
    expect(ended.alert.id).toBe(started.alert.id);
    expect(ended.alert.end).not.toBeNull();
    // Never raised twice: one start in each window.
    expect(a.alerts.filter((c) => c.change === 'started')).toHaveLength(1);
    await waitFor(() => b.monitor.alerts(0, Date.now() + 1000)[0]?.end !== null, 'the end in the viewer');
    // Snoozed: the process busy again raises nothing.
    busy = true;
    const n = a.sink.snapshots.length;
    await waitFor(() => a.sink.snapshots.length >= n + 10, 'ten more ticks');
    expect(a.alerts.filter((c) => c.change === 'started')).toHaveLength(1);
  });
});

// One recorder, many windows, in one process: two real Monitors on the same database file, each as a
// window's backend worker would run it (real lock file, real live-feed socket, real sql.js).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { defaultMonitorConfig, type MonitorConfig } from '../../../src/backend/config';
import { Monitor } from '../../../src/backend/monitor';
import { RecorderLock } from '../../../src/backend/storage/lock';
import { journalPathFor, Store } from '../../../src/backend/storage/store';
import type { HistoryQuery } from '../../../src/backend/types';
import {
  INFO,
  recordingSink,
  removeDir,
  syntheticSamplers,
  tempDir,
  waitFor,
  type CountingSamplers,
  type RecordingSink,
} from './support/harness';

let dir: string;
let db: string;
const open: Monitor[] = [];
const config: MonitorConfig = defaultMonitorConfig({
  sampleIntervalMs: 200,
  flushIntervalMs: 200,
  checkpointIntervalMs: 3_600_000,
  backupsKept: 0,
});

beforeEach(() => {
  dir = tempDir('roles');
  db = join(dir, 'vitals.sqlite');
});
afterEach(async () => {
  for (const m of open.splice(0)) await m.close();
  removeDir(dir);
});

async function window(): Promise<{ monitor: Monitor; sink: RecordingSink; samplers: CountingSamplers }> {
  const sink = recordingSink();
  const samplers = syntheticSamplers(15);
  const monitor = await Monitor.open({ dbPath: db, config, sink, samplers, info: INFO, lockPollMs: 50 });
  open.push(monitor);
  return { monitor, sink, samplers };
}

/** Once recording is off, the next ticks record nothing: what was recorded has been flushed (every tick flushes). */
async function settled(w: { sink: RecordingSink }): Promise<void> {
  const n = w.sink.snapshots.length;
  await waitFor(() => w.sink.snapshots.length >= n + 2, 'two more ticks');
}

const started = Date.now();
/** Ten minutes from the start of the run at the raw resolution: one point per interval. */
const everything = (): HistoryQuery => ({
  metrics: ['cpu.total', 'mem.used'],
  from: started - 1000,
  to: started + 600_000,
  maxPoints: 10_000,
});
const points = (h: { series: Record<string, { avg: (number | null)[] }> }): number =>
  h.series['cpu.total']!.avg.filter((v) => v !== null).length;

describe('one recorder, many windows', () => {
  it('the second window views: the recorder’s own snapshots, no sampling, and it names the recorder', async () => {
    const a = await window();
    const b = await window();
    expect(a.monitor.status().role).toBe('recorder');
    const status = b.monitor.status();
    expect(status.role).toBe('viewer');
    expect(status.recording).toBe(false);
    expect(status.recorder).toEqual({ pid: process.pid, host: hostname() });

    await waitFor(() => b.sink.snapshots.length >= 4, 'live snapshots in the viewer');
    expect(b.samplers.calls).toBe(0);
    for (const s of b.sink.snapshots) expect(a.sink.snapshots.find((x) => x.t === s.t)).toEqual(s);

    // Storage Health in the viewing window describes the recorder's flushes and checkpoints.
    const health = await b.monitor.healthForWindow();
    expect(health.role).toBe('viewer');
    expect(health.recording).toBe(true);
    expect(health.lastFlush).not.toBeNull();
    expect(health.lastFlush!.at).toBeGreaterThanOrEqual(a.sink.snapshots[0]!.t);
  });

  it('the viewer’s history is what the recorder flushed, also after the recorder replaced the file', async () => {
    const a = await window();
    const b = await window();
    await waitFor(() => a.sink.snapshots.length >= 4, 'recorded intervals');
    a.monitor.setRecording(false);
    await settled(a);
    const recorded = a.monitor.history(everything());
    const rows = (m: Monitor): number => m.health().rowCounts.sys_raw ?? 0;
    expect(rows(a.monitor)).toBeGreaterThanOrEqual(4);
    expect(points(recorded)).toBeGreaterThan(0);
    expect(b.monitor.history(everything())).toEqual(recorded);
    expect(rows(b.monitor)).toBe(rows(a.monitor));

    // A backup asked for in the viewer is made by the recorder: its checkpoint empties the journal
    // and replaces the file under the viewer, which reloads.
    const journalBefore = statSync(journalPathFor(db)).size;
    const backup = await b.monitor.backupNow();
    expect(existsSync(backup.path)).toBe(true);
    expect(statSync(journalPathFor(db)).size).toBeLessThan(journalBefore);
    a.monitor.setRecording(true);
    const before = rows(a.monitor);
    await waitFor(() => rows(a.monitor) >= before + 3, 'more intervals');
    a.monitor.setRecording(false);
    await settled(a);
    expect(b.monitor.history(everything())).toEqual(a.monitor.history(everything()));
    expect(rows(b.monitor)).toBe(rows(a.monitor));
    expect(b.samplers.calls).toBe(0);
  });

  it('when the recording window closes, a viewer takes over within seconds and nothing is lost', async () => {
    const a = await window();
    const b = await window();
    await waitFor(() => a.sink.snapshots.length >= 3, 'recorded intervals');
    await a.monitor.close();
    const recordedByA = a.sink.snapshots.map((s) => s.t);

    await waitFor(() => b.sink.statuses.some((s) => s.role === 'recorder'), 'the viewer taking over', 5_000);
    expect(b.monitor.status().role).toBe('recorder');
    await waitFor(() => b.samplers.calls >= 3, 'the new recorder sampling');
    const c = await window();
    expect(c.monitor.status().role).toBe('viewer');
    // The new recorder serves the live feed too.
    await waitFor(() => c.sink.snapshots.length >= 2, 'live snapshots from the new recorder');
    expect(c.samplers.calls).toBe(0);
    await b.monitor.close();
    await waitFor(() => c.monitor.status().role === 'recorder', 'the third window taking over', 5_000);
    await c.monitor.close();

    const store = await Store.open({ path: db, mode: 'read', retention: config.retention });
    const times = (store.db.exec('SELECT t FROM sys_raw ORDER BY t')[0]?.values ?? []).map((r) => Number(r[0]));
    store.close();
    for (const t of recordedByA) expect(times).toContain(t);
    for (const s of b.sink.snapshots) if (b.samplers.calls > 0 && s.t > recordedByA.at(-1)!) expect(times).toContain(s.t);
  });

  it('a recorder whose lock was taken over steps down and never writes again', async () => {
    const a = await window();
    await waitFor(() => a.sink.snapshots.length >= 2, 'recording');
    // Another process judged the lock stale (as after a long freeze) and took it.
    let mono = 0;
    const other = new RecorderLock({ dbPath: db, staleMs: 10_000, monotonic: () => mono });
    expect(other.tryAcquire()).toBe(false);
    mono += 10_000;
    expect(other.tryAcquire()).toBe(true);
    try {
      await waitFor(() => a.monitor.status().role === 'viewer', 'the old recorder stepping down', 5_000);
      expect(a.sink.statuses.at(-1)?.role).toBe('viewer');
      const journal = statSync(journalPathFor(db)).size;
      const snapshots = a.sink.snapshots.length;
      await new Promise((r) => setTimeout(r, 600));
      expect(statSync(journalPathFor(db)).size).toBe(journal);
      expect(a.sink.snapshots.length).toBe(snapshots); // no sampling either: nobody feeds it
    } finally {
      other.release();
    }
    // With the lock free again, it records again.
    await waitFor(() => a.monitor.status().role === 'recorder', 'recording again', 5_000);
  });
});

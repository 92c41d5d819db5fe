// Rollups, retention and the size cap over simulated days, with time injected (no waiting).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultMonitorConfig } from '../../../src/backend/config';
import type { RetentionPolicy } from '../../../src/backend/types';
import { Store } from '../../../src/backend/storage/store';
import { forEachProcAgg, forEachSysAgg, OTHER_PROC_ID } from '../../../src/backend/storage/frames';
import { ExtrasReader } from '../../../src/backend/storage/procExtras';
import { history, summary } from '../../../src/backend/queries/history';
import { processHistory, topProcesses } from '../../../src/backend/queries/processes';
import { snapshotAt } from '../../support/synthetic';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 0, 5, 0, 0, 0);
// A faster clock than real sampling: 30 s intervals keep simulated days cheap in a unit test.
const STEP = 30_000;

const policy: RetentionPolicy = {
  ...defaultMonitorConfig().retention,
  rawSystemHours: 2,
  rawProcessMinutes: 30,
  minuteDays: 1,
  hourDays: 3,
  topNMinute: 5,
  topNHour: 5,
};

let dir: string;
let store: Store;
let end: number;

const rows = (table: string): number => Number(store.db.exec(`SELECT count(*) FROM ${table}`)[0]!.values[0]![0]);
const range = (table: string): [number, number] => {
  const v = store.db.exec(`SELECT min(t), max(t) FROM ${table}`)[0]!.values[0]!;
  return [Number(v[0]), Number(v[1])];
};

beforeAll(async () => {
  // ~14,000 intervals through the real record path: seconds on an idle machine, more on a busy one.
  dir = mkdtempSync(join(tmpdir(), 'vitals-tiers-'));
  store = await Store.open({ path: join(dir, 'v.sqlite'), retention: policy });
  // 5 simulated days with a 6-hour hole in the middle (the monitor was off).
  for (let t = T0; t < T0 + 5 * DAY; t += STEP) {
    if (t >= T0 + 2 * DAY && t < T0 + 2 * DAY + 6 * HOUR) continue;
    store.record(snapshotAt(t, STEP, { processes: 40, churn: 1 }));
    end = t;
  }
}, 180_000);

afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('tiers over simulated days', () => {
  it('keeps each tier only for its retention', () => {
    const [rawFrom] = range('sys_raw');
    expect(end - rawFrom).toBeLessThanOrEqual(policy.rawSystemHours * HOUR + 2 * MIN);
    expect(end - range('proc_raw')[0]).toBeLessThanOrEqual(policy.rawProcessMinutes * MIN + 2 * MIN);
    expect(end - range('sys_1m')[0]).toBeLessThanOrEqual(policy.minuteDays * DAY + HOUR + 2 * MIN);
    expect(end - range('sys_1h')[0]).toBeLessThanOrEqual(policy.hourDays * DAY + HOUR);
    expect(rows('sys_1h')).toBeGreaterThan(24 * 2);
  });

  it('rolls every finished minute and hour up with correct min/max/avg', () => {
    // The last finished hour: its 1-hour row agrees with its 60 minute rows.
    const hourStart = Math.floor(end / HOUR) * HOUR - HOUR;
    const hour = store.db.exec(`SELECT n, v FROM sys_1h WHERE t = ${hourStart}`)[0]!.values[0]!;
    const minutes = store.db.exec(`SELECT n, v FROM sys_1m WHERE t >= ${hourStart} AND t < ${hourStart + HOUR}`)[0]!.values;
    expect(minutes).toHaveLength(60);
    expect(Number(hour[0])).toBe(minutes.reduce((n, m) => n + Number(m[0]), 0));
    const idOf = Number(store.db.exec("SELECT id FROM metric WHERE name = 'cpu.total'")[0]!.values[0]![0]);
    let hourAgg = { avg: 0, min: 0, max: 0 };
    forEachSysAgg(hour[1] as Uint8Array, (id, avg, min, max) => {
      if (id === idOf) hourAgg = { avg, min, max };
    });
    let sum = 0;
    let n = 0;
    let lo = Infinity;
    let hi = -Infinity;
    for (const m of minutes)
      forEachSysAgg(m[1] as Uint8Array, (id, avg, min, max) => {
        if (id !== idOf) return;
        sum += avg * Number(m[0]);
        n += Number(m[0]);
        lo = Math.min(lo, min);
        hi = Math.max(hi, max);
      });
    expect(hourAgg.avg).toBeCloseTo(sum / n, 3);
    expect(hourAgg.min).toBeCloseTo(lo, 4);
    expect(hourAgg.max).toBeCloseTo(hi, 4);
  });

  it('keeps the top N processes per rollup (by CPU, memory and ⌈N/3⌉ by disk I/O) and sums the rest into "other"', () => {
    const [v, x] = store.db.exec('SELECT v, x FROM proc_1m ORDER BY t DESC LIMIT 1')[0]!.values[0]! as [Uint8Array, Uint8Array];
    const ids: number[] = [];
    forEachProcAgg(v, (id) => ids.push(id));
    expect(ids).toContain(OTHER_PROC_ID);
    expect(ids.length).toBeLessThanOrEqual(2 * policy.topNMinute + Math.ceil(policy.topNMinute / 3) + 1);
    // The synthetic disk writer (pid 1007) uses little CPU and memory: kept for its writes alone,
    // with its bytes and peak rate (4–8 MB per interval, whose length here is STEP).
    const writer = Number(store.db.exec('SELECT id FROM process WHERE pid = 1007 ORDER BY id DESC LIMIT 1')[0]!.values[0]![0]);
    const i = ids.indexOf(writer);
    expect(i).toBeGreaterThanOrEqual(0);
    const e = new ExtrasReader(x, true);
    expect(e.writeBytes(i)).toBeGreaterThanOrEqual(4e6 * (MIN / STEP));
    expect(e.writePeakBps(i)).toBeGreaterThan((4e6 / (STEP / 1000)) * 0.99);
    expect(e.writePeakBps(i)).toBeLessThan((8e6 / (STEP / 1000)) * 1.01);
    expect(e.state(i)).toBe('S');
  });

  it('prunes processes that no retained frame refers to', () => {
    // ~1 short-lived process per interval over 5 days would be ~14,000 rows without pruning.
    expect(rows('process')).toBeLessThan(2000);
  });

  it('answers history for every range from the right tier, with the hole as a gap', () => {
    const q = (from: number, to: number) => history(store, { metrics: ['cpu.total', 'mem.used'], from, to, maxPoints: 400 }, STEP);
    // Buckets are at least two sampling intervals (60 s here), so even recent ranges read minute
    // rollups rather than two raw rows per bucket; raw serves the minute not rolled up yet.
    const recent = q(end - 20 * MIN, end + STEP);
    expect(recent.tier).toBe('1m');
    expect(recent.series['cpu.total']!.avg.at(-1)).not.toBeNull();
    expect(recent.t.length).toBeLessThanOrEqual(400);
    const day = q(end - DAY, end);
    expect(day.tier).toBe('1m');
    const all = q(T0, end);
    expect(all.tier).toBe('1h');
    expect(all.t.length).toBeLessThanOrEqual(400);
    // The 6-hour hole on day 3 reads as nulls, not as zeros or a line across.
    const holeBucket = all.t.findIndex((t) => t >= T0 + 2 * DAY + 2 * HOUR);
    expect(all.series['cpu.total']!.avg[holeBucket]).toBeNull();
    const filled = all.series['cpu.total']!.avg.filter((v) => v !== null).length;
    expect(filled).toBeGreaterThan(all.t.length / 4);
    for (const v of all.series['cpu.total']!.avg) if (v !== null) expect(v).toBeGreaterThan(0);
  });

  it('the most recent part of a long range comes from finer tiers (no missing last hour)', () => {
    const r = history(store, { metrics: ['cpu.total'], from: end - 3 * DAY, to: end + STEP, maxPoints: 100 }, STEP);
    const last = r.series['cpu.total']!.avg.at(-1);
    expect(last).not.toBeNull();
  });

  it('summarises a range', () => {
    const s = summary(store, end - HOUR, end + 1, ['cpu.total', 'load.1'], STEP);
    expect(s.metrics['cpu.total']!.min).toBeLessThanOrEqual(s.metrics['cpu.total']!.avg);
    expect(s.metrics['cpu.total']!.avg).toBeLessThanOrEqual(s.metrics['cpu.total']!.max);
  });

  it('ranks top processes and follows one process and a name over time', () => {
    const top = topProcesses(store, { from: end - DAY, to: end + 1, by: 'cpu', limit: 5 }, STEP);
    expect(top).toHaveLength(5);
    // The synthetic busy processes are pids 1000–1004.
    expect(top.map((r) => r.pid).sort()).toEqual([1000, 1001, 1002, 1003, 1004]);
    expect(top[0]!.cpuAvg).toBeGreaterThan(10);
    expect(top[0]!.cpuMax).toBeGreaterThanOrEqual(top[0]!.cpuAvg);
    const p = top[0]!;
    const h = processHistory(
      store,
      { select: { kind: 'process', pid: p.pid, startTime: p.startTime }, from: end - 3 * DAY, to: end + 1, maxPoints: 200 },
      STEP,
    );
    expect(h.processes).toHaveLength(1);
    expect(h.cpu.avg.filter((v) => v !== null).length).toBeGreaterThan(50);
    const byName = processHistory(store, { select: { kind: 'name', name: 'sh' }, from: end - HOUR, to: end + 1, maxPoints: 100 }, STEP);
    expect(byName.processes.length).toBeGreaterThan(1);
    expect(byName.cpu.avg.some((v) => v !== null && v > 0)).toBe(true);
  });
});

describe('size cap', () => {
  it('evicts the oldest data to stay under the cap', async () => {
    const d = mkdtempSync(join(tmpdir(), 'vitals-cap-'));
    try {
      const capped: RetentionPolicy = { ...defaultMonitorConfig().retention, maxDatabaseMB: 8, rawProcessMinutes: 24 * 60 };
      const s = await Store.open({ path: join(d, 'v.sqlite'), retention: capped });
      let t = T0;
      // 300 processes × 14 bytes per 2 s interval ≈ 7.5 MB per hour of raw process frames alone.
      for (let i = 0; i < 3 * 1800; i++, t += 2000) s.record(snapshotAt(t, 2000, { processes: 300, churn: 0 }));
      expect(s.liveSizeBytes).toBeLessThanOrEqual(8 * 1024 * 1024);
      // The newest data survived; the oldest went.
      const newest = Number(s.db.exec('SELECT max(t) FROM proc_raw')[0]!.values[0]![0]);
      const oldest = Number(s.db.exec('SELECT min(t) FROM proc_raw')[0]!.values[0]![0]);
      expect(newest).toBe(t - 2000);
      expect(oldest).toBeGreaterThan(T0);
      s.checkpoint(t);
      expect(s.fileSizeBytes).toBeLessThanOrEqual(8 * 1024 * 1024);
      s.close();
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
});

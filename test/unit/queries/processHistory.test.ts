// A process's disk I/O history: rates from the bytes each raw interval or rollup bucket holds,
// peaks of per-interval rates in rollups, and unknown (null) where the io file was not readable,
// never a fake 0.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultMonitorConfig } from '../../../src/backend/config';
import { processHistory } from '../../../src/backend/queries/processes';
import { Store } from '../../../src/backend/storage/store';
import type { ProcessHistoryResult } from '../../../src/backend/types';
import { processesAt, snapshotAt } from '../../support/synthetic';

const STEP = 2000;
const T0 = Date.UTC(2026, 0, 5);
const MIN = 60_000;
let dir: string;
let store: Store;
let end: number;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vitals-prochist-'));
  store = await Store.open({
    path: join(dir, 'v.sqlite'),
    retention: { ...defaultMonitorConfig().retention, rawProcessMinutes: 10, topNMinute: 5 },
  });
  let t = T0;
  for (; t < T0 + 40 * MIN; t += STEP) store.record(snapshotAt(t, STEP, { processes: 20, churn: 0 }));
  end = t;
});

afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const of = (pid: number, from: number, maxPoints: number): ProcessHistoryResult => {
  const p = processesAt(T0, STEP, { processes: 20 }).find((x) => x.pid === pid)!;
  return processHistory(store, { select: { kind: 'process', pid, startTime: p.startTime }, from, to: end, maxPoints }, STEP);
};
const known = (xs: (number | null)[]): number[] => xs.filter((v): v is number => v !== null);

describe('processHistory disk I/O', () => {
  it('gives the raw rate of each interval: bytes over the interval', () => {
    // pid 1007 writes 4–8 MB per interval and reads nothing (a known 0, not unknown).
    const h = of(1007, end - 2 * MIN, 1000);
    expect(h.tier).toBe('raw');
    const write = known(h.writeBps.avg);
    expect(write.length).toBeGreaterThanOrEqual(20);
    for (const w of write) expect(w).toBeGreaterThanOrEqual(4e6 / 2 - 1);
    for (const w of write) expect(w).toBeLessThanOrEqual(8e6 / 2 + 1);
    expect(known(h.readBps.avg).every((r) => r === 0)).toBe(true);
    expect(known(h.readBps.avg).length).toBe(write.length);
  });

  it('says unknown where the io file was not readable, while CPU and memory are known', () => {
    // pid 1009: another user's process in the synthetic machine (readBytes null).
    const h = of(1009, end - 2 * MIN, 1000);
    expect(known(h.rssBytes.avg).length).toBeGreaterThanOrEqual(20);
    expect(known(h.readBps.avg)).toEqual([]);
    expect(known(h.writeBps.avg)).toEqual([]);
  });

  it('reads rollups as the bucket’s bytes over its length, with the peak per-interval rate', () => {
    // pid 1000 is busy (in every minute's top 5) and reads up to 100 KB per 2 s interval.
    const h = of(1000, T0, 20);
    expect(h.tier).toBe('1m');
    const avg = known(h.readBps.avg);
    const max = known(h.readBps.max);
    expect(avg.length).toBeGreaterThan(5);
    for (const a of avg) expect(a).toBeGreaterThan(1e3);
    for (const m of max) expect(m).toBeLessThanOrEqual((1e5 / 2) * 1.01);
    h.readBps.avg.forEach((a, i) => {
      if (a !== null) expect(h.readBps.max[i]!).toBeGreaterThanOrEqual(a);
    });
  });
});

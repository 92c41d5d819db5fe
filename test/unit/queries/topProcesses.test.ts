// Which data a ranking reads: a short range every raw frame (exact for every process), a longer one
// the minute rollups where they exist (a quiet process folded into "other" there only counts in the
// minute not rolled up yet), and both rank the busy processes first.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultMonitorConfig } from '../../../src/backend/config';
import { topProcesses } from '../../../src/backend/queries/processes';
import { Store } from '../../../src/backend/storage/store';
import { snapshotAt } from '../../support/synthetic';

const STEP = 2000;
const T0 = Date.UTC(2026, 0, 5);
const MIN = 60_000;
let dir: string;
let store: Store;
let end: number;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vitals-top-'));
  store = await Store.open({ path: join(dir, 'v.sqlite'), retention: { ...defaultMonitorConfig().retention, topNMinute: 5 } });
  let t = T0;
  // 40 minutes, ending 20 s into a minute that is not rolled up yet.
  for (; t < T0 + 40 * MIN + 20_000; t += STEP) store.record(snapshotAt(t, STEP, { processes: 60, churn: 0 }));
  end = t;
});

afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('topProcesses', () => {
  // pid 1020: no CPU to speak of and the smallest RSS, so never in a minute's top 5.
  const quiet = (rows: ReturnType<typeof topProcesses>) => rows.find((r) => r.pid === 1020);

  it('ranks a short range from raw frames: every process with every sample', () => {
    const rows = topProcesses(store, { from: end - 10 * MIN, to: end, by: 'cpu', limit: 1000 }, STEP);
    expect(rows).toHaveLength(60);
    expect(quiet(rows)?.samples).toBe(300);
    expect(
      rows
        .slice(0, 5)
        .map((r) => r.pid)
        .sort(),
    ).toEqual([1000, 1001, 1002, 1003, 1004]);
  });

  it('ranks a longer range from minute rollups plus the raw minute not rolled up yet', () => {
    const rows = topProcesses(store, { from: T0, to: end, by: 'cpu', limit: 1000 }, STEP);
    expect(
      rows
        .slice(0, 5)
        .map((r) => r.pid)
        .sort(),
    ).toEqual([1000, 1001, 1002, 1003, 1004]);
    // Only the raw tail (10 intervals of the current minute) holds the quiet process.
    expect(quiet(rows)?.samples).toBe(10);
    const busy = rows.find((r) => r.pid === 1000)!;
    expect(busy.samples).toBe((end - T0) / STEP);
  });
});

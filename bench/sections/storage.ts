// Durability cost against database size. A database grows through the real Store.record() path
// (synthetic snapshots of 300 processes at 2 s, simulated clock, retention opened up so nothing is
// dropped); as it passes each target size the benchmark measures:
//   - record(): one interval into the in-memory database;
//   - flush(): appending one interval to the journal and fdatasync-ing it (the per-interval cost);
//   - the naive alternative: db.export() of the whole database + write + fsync, per interval;
// A copy of the database at each size is kept for ./checkpointMemory.ts and the host benchmark.
import { closeSync, copyFileSync, fsyncSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultMonitorConfig } from '../../src/backend/config';
import { Store } from '../../src/backend/storage/store';
import { snapshotAt } from '../../test/support/synthetic';

export interface StorageParams {
  sizesMB: number[];
  flushRuns: number;
  exportRuns: number;
  /** Where to keep a copy of the database at each size (for the host benchmark's seed). */
  keepDir: string;
}

export interface SizePoint {
  targetMB: number;
  liveBytes: number;
  fileBytes: number;
  intervals: number;
  recordMs: number[];
  flushMs: number[];
  journalBytesPerInterval: number;
  exportWriteMs: number[];
  keptAt: string;
}

/** Retention opened up so a growing database drops nothing. */
export const GROWTH_RETENTION = {
  ...defaultMonitorConfig().retention,
  rawProcessMinutes: 1440,
  rawSystemHours: 168,
  minuteDays: 90,
  hourDays: 3650,
  maxDatabaseMB: 4096,
};

export interface StorageResult {
  points: SizePoint[];
  /** Bytes the database grows by per interval of raw data (300 processes), measured between the first and last size. */
  bytesPerRawInterval: number;
  processesPerInterval: number;
}

const STEP = 2000;

function writeAndSync(path: string, data: Uint8Array): void {
  const fd = openSync(path, 'w', 0o600);
  try {
    let o = 0;
    while (o < data.byteLength) o += writeSync(fd, data, o, data.byteLength - o);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export async function storageBySize(p: StorageParams): Promise<StorageResult> {
  const dir = mkdtempSync(join(tmpdir(), 'vitals-bench-storage-'));
  mkdirSync(p.keepDir, { recursive: true });
  const path = join(dir, 'vitals.sqlite');
  const store = await Store.open({ path, retention: GROWTH_RETENTION, writeQueueLimit: 100_000 });
  // Start so the data ends shortly before the real now (~4 KB per interval, an underestimate): the
  // copies kept make a sensible seed for a live recorder afterwards.
  const estimate = (Math.max(...p.sizesMB) * 1024 * 1024) / 4000;
  let t = Math.floor(Date.now() / STEP) * STEP - Math.ceil(estimate) * STEP;
  let intervals = 0;
  const processesPerInterval = snapshotAt(t).processes.length;
  const points: SizePoint[] = [];
  const next = (): void => {
    store.record(snapshotAt(t));
    t += STEP;
    intervals++;
  };
  try {
    for (const target of [...p.sizesMB].sort((a, b) => a - b)) {
      while (store.liveSizeBytes < target * 1024 * 1024) {
        for (let i = 0; i < 100; i++) next();
        // The journal is not what is being grown here: write it away (and the file) now and then.
        if (store.pendingRecords >= 3000) store.checkpoint(t);
      }
      store.checkpoint(t);
      const recordMs: number[] = [];
      const flushMs: number[] = [];
      let journalBytes = 0;
      for (let i = 0; i < p.flushRuns; i++) {
        const snap = snapshotAt(t);
        const r0 = performance.now();
        store.record(snap);
        recordMs.push(performance.now() - r0);
        t += STEP;
        intervals++;
        const before = store.journal.size();
        const f0 = performance.now();
        store.flush(t);
        flushMs.push(performance.now() - f0);
        journalBytes += store.journal.size() - before;
      }
      const exportWriteMs: number[] = [];
      const naive = join(dir, 'naive.sqlite');
      for (let i = 0; i < p.exportRuns; i++) {
        const e0 = performance.now();
        writeAndSync(naive, store.db.export());
        exportWriteMs.push(performance.now() - e0);
      }
      rmSync(naive, { force: true });
      next();
      store.checkpoint(t);
      const keptAt = join(p.keepDir, `db-${target}mb.sqlite`);
      copyFileSync(path, keptAt);
      points.push({
        targetMB: target,
        liveBytes: store.liveSizeBytes,
        fileBytes: statSync(path).size,
        intervals,
        recordMs,
        flushMs,
        journalBytesPerInterval: journalBytes / p.flushRuns,
        exportWriteMs,
        keptAt,
      });
      console.error(`  storage: ${target} MB reached after ${intervals} simulated intervals`);
    }
    const first = points[0]!;
    const last = points[points.length - 1]!;
    return {
      points,
      bytesPerRawInterval: (last.liveBytes - first.liveBytes) / Math.max(1, last.intervals - first.intervals),
      processesPerInterval,
    };
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

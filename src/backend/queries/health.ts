// The storage health report: sizes, rows per tier, the time span held, the policy in force, and
// what the recorder has been doing (flushes, checkpoints, drops, its own cost).
import type { MonitorConfig } from '../config';
import { tableRowCounts } from '../storage/maintenance';
import type { Store } from '../storage/store';
import { statSync } from 'node:fs';
import type { HealthReport, Millis, OwnCost, RecorderRole, SamplingState, WriteEvent } from '../types';
import { noCost } from '../cost/ownCost';

export interface RecorderFigures {
  role: RecorderRole;
  recording: boolean;
  /** The recorder's own cost (cost/ownCost.ts); none for a file nobody records. */
  self?: OwnCost;
  sampling?: SamplingState;
}

const atOnly = (at: Millis | null): WriteEvent | null => (at === null ? null : { at, durationMs: null });

/**
 * The last flush of a file this process did not write: the journal's modification time while it
 * holds records (every flush appends to it), else what the last checkpoint wrote into the file.
 */
function fileFlush(store: Store): WriteEvent | null {
  let at = store.fileWrites.lastFlushAt;
  if (store.journal.size() > 0) {
    try {
      at = Math.max(at ?? 0, statSync(store.journal.path).mtimeMs);
    } catch {
      // No journal after all: the file's word stands.
    }
  }
  return atOnly(at);
}

export function healthReport(store: Store | undefined, dbPath: string, config: MonitorConfig, recorder: RecorderFigures): HealthReport {
  const span = store?.db.exec(
    'SELECT (SELECT min(t) FROM sys_raw), (SELECT max(t) FROM sys_raw), (SELECT min(t) FROM sys_1m), (SELECT min(t) FROM sys_1h)',
  )[0]?.values[0];
  const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
  const raw = num(span?.[0]);
  // A rollup row is stamped with its bucket's start; when the raw samples of that bucket are still
  // there, the first of them is the true oldest sample (a recording begun at 09:54 is not "09:00").
  const bucketOldest = (start: number | null, size: number): number | null =>
    start !== null && raw !== null && raw >= start && raw < start + size ? raw : start;
  const oldest = [raw, bucketOldest(num(span?.[2]), 60_000), bucketOldest(num(span?.[3]), 3_600_000)].filter(
    (v): v is number => v !== null,
  );
  return {
    databasePath: dbPath,
    databaseSizeBytes: store?.fileSizeBytes ?? 0,
    liveSizeBytes: store?.liveSizeBytes ?? 0,
    capBytes: config.retention.maxDatabaseMB * 1024 * 1024,
    rowCounts: store ? tableRowCounts(store.db) : {},
    oldestSample: oldest.length > 0 ? Math.min(...oldest) : null,
    newestSample: num(span?.[1]),
    retention: config.retention,
    lastFlush: store ? (store.lastFlush ?? fileFlush(store)) : null,
    lastCheckpoint: store ? (store.lastCheckpoint ?? atOnly(store.fileWrites.lastCheckpointAt)) : null,
    journalBytes: store?.journal.size() ?? 0,
    samplesDropped: store?.samplesDropped ?? 0,
    journalDamage: store?.journalDamage ?? null,
    role: recorder.role,
    recording: recorder.recording,
    self: recorder.self ?? noCost(),
    sampling: recorder.sampling ?? null,
  };
}

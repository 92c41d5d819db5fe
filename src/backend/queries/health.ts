// The storage health report: sizes, rows per tier, the time span held, the policy in force, and
// what the recorder has been doing (flushes, checkpoints, drops, its own cost).
import type { MonitorConfig } from '../config';
import { tableRowCounts } from '../storage/maintenance';
import type { Store } from '../storage/store';
import type { HealthReport, RecorderRole } from '../types';

export interface RecorderFigures {
  role: RecorderRole;
  recording: boolean;
  /** Share of one core spent sampling and recording, averaged since start. */
  cpuPercent: number;
}

export function healthReport(store: Store | undefined, dbPath: string, config: MonitorConfig, recorder: RecorderFigures): HealthReport {
  const mem = process.memoryUsage();
  const span = store?.db.exec(
    'SELECT min(t), max(t) FROM (SELECT min(t) AS t FROM sys_raw UNION ALL SELECT max(t) FROM sys_raw UNION ALL SELECT min(t) FROM sys_1m UNION ALL SELECT min(t) FROM sys_1h)',
  )[0]?.values[0];
  const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
  return {
    databasePath: dbPath,
    databaseSizeBytes: store?.fileSizeBytes ?? 0,
    liveSizeBytes: store?.liveSizeBytes ?? 0,
    capBytes: config.retention.maxDatabaseMB * 1024 * 1024,
    rowCounts: store ? tableRowCounts(store.db) : {},
    oldestSample: num(span?.[0]),
    newestSample: num(span?.[1]),
    retention: config.retention,
    lastFlush: store?.lastFlush ?? null,
    lastCheckpoint: store?.lastCheckpoint ?? null,
    journalBytes: store?.journal.size() ?? 0,
    samplesDropped: store?.samplesDropped ?? 0,
    role: recorder.role,
    recording: recorder.recording,
    self: { cpuPercent: recorder.cpuPercent, rssBytes: mem.rss, heapBytes: mem.heapUsed },
  };
}

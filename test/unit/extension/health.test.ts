import { describe, expect, it } from 'vitest';
import type { HealthReport } from '../../../src/backend/types';
import { formatHealthReport } from '../../../src/extension/health/format';

describe('formatHealthReport', () => {
  it('renders every figure of the report as readable lines', () => {
    const r: HealthReport = {
      databasePath: '/data/vitals.sqlite',
      databaseSizeBytes: 20 * 1024 * 1024,
      liveSizeBytes: 22 * 1024 * 1024,
      capBytes: 64 * 1024 * 1024,
      rowCounts: { raw_process: 120000, raw_system: 1800 },
      oldestSample: null,
      newestSample: null,
      retention: { rawSystemHours: 24, rawProcessMinutes: 60, minuteDays: 7, hourDays: 90, topNMinute: 30, topNHour: 50, maxDatabaseMB: 64 },
      lastFlush: { at: 0, durationMs: 4 },
      lastCheckpoint: null,
      journalBytes: 2048,
      samplesDropped: 3,
      role: 'recorder',
      recording: true,
      self: { cpuPercent: 0.42, rssBytes: 80 * 1024 * 1024, heapBytes: 30 * 1024 * 1024 },
    };
    const text = formatHealthReport(r);
    for (const s of [
      '/data/vitals.sqlite',
      '20.0 MB (in memory 22.0 MB, cap 64.0 MB)',
      'Journal         2.0 KB',
      'recorder, recording',
      'Oldest sample   none',
      '(took 4 ms)',
      'Last checkpoint not yet',
      'Dropped samples 3',
      'cap 64 MB',
      'CPU 0.4% of one core, RSS 80.0 MB',
      '    raw_process: 120,000',
    ])
      expect(text).toContain(s);
  });
});

import { describe, expect, it } from 'vitest';
import type { HealthReport } from '../../../src/backend/types';
import { formatDateTime } from '../../../src/shared/format';
import { healthText } from '../../../src/shared/healthText';

describe('healthText (Show Storage Health and `vitals health`)', () => {
  const report = (): HealthReport => ({
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
    self: {
      cpuPercent: 0.42,
      cpuScope: 'worker-thread',
      rssBytes: 180 * 1024 * 1024,
      heapBytes: 30 * 1024 * 1024,
      wasmBytes: 12 * 1024 * 1024,
    },
    sampling: { intervalMs: 2000, systemIntervalMs: 2000, processIntervalMs: 2000, costPercent: 0.2, budgetPercent: 1, governed: false },
  });

  it('renders every figure of the report as readable lines', () => {
    const text = healthText(report());
    for (const s of [
      '/data/vitals.sqlite',
      '20.0 MB (in memory 22.0 MB, cap 64.0 MB)',
      'Journal         2.0 KB',
      'State           Recording',
      'Oldest sample   none',
      '(took 4 ms)',
      'Last checkpoint not yet',
      'Dropped samples 3',
      'cap 64 MB',
      "CPU             0.4% of one core, the backend's worker thread (average since start)",
      'Memory          42.0 MB (JavaScript heap 30.0 MB + SQLite 12.0 MB)',
      'Process RSS     180 MB, the whole extension host, every extension in it',
      'Sampling        System and processes every 2 s (sampling cost 0.2% of one core, budget 1.0%)',
      '    raw_process: 120,000',
    ])
      expect(text).toContain(s);
  });

  it('labels each cost figure with what it measures, and says when the governor stretched the process interval', () => {
    const r = report();
    const cli = healthText({
      ...r,
      self: { ...r.self, cpuScope: 'main-thread' },
      sampling: { intervalMs: 2000, systemIntervalMs: 2000, processIntervalMs: 6000, costPercent: 1.4, budgetPercent: 1, governed: true },
    });
    expect(cli).toContain("The monitor's own cost");
    expect(cli).toContain("CPU             0.4% of one core, the recorder's thread");
    expect(cli).toContain('Process RSS     180 MB, the whole process');
    expect(cli).toContain(
      'Sampling        System every 2 s, processes every 6 s to stay under 1.0% of one core (governor: sampling every 2 s costs 1.4%)',
    );
    const elsewhere = healthText({ ...r, self: { ...r.self, cpuScope: 'process' } });
    expect(elsewhere).toContain('of one core, the whole process (no per-thread figure on this platform)');
    // A file nobody records has no monitor whose cost it could name.
    expect(healthText({ ...r, role: 'stopped', recording: false })).not.toContain('own cost');
  });

  it("uses the Storage tab's labels and its share of the cap", () => {
    const r = report();
    const text = healthText({ ...r, rowCounts: { process: 1500, sys_raw: 12 }, oldestSample: 0, newestSample: 30 * 3_600_000 });
    for (const s of [
      ', 31% of the cap',
      '    Known processes: 1,500',
      '    System samples, raw: 12',
      'Span on record  1 d 6 h',
      'Oldest sample   ' + formatDateTime(0),
    ])
      expect(text).toContain(s);
    const fresh = healthText({ ...r, databaseSizeBytes: 0, role: 'viewer', recording: false });
    expect(fresh).toContain('Size on disk    not written yet (in memory 22.0 MB, cap 64.0 MB), 34% of the cap');
    expect(fresh).toContain('State           Another VS Code window records; this one reads');
  });

  it('names its limits when it has any, and says nothing otherwise', () => {
    const GB = 1024 ** 3;
    const text = healthText({
      ...report(),
      container: { version: 2, memoryLimitBytes: 4 * GB, memoryUsedBytes: GB, cpuLimitCores: 2, cpuUsedCores: null },
    });
    expect(text).toContain('  Container       memory limit 4.0 GB (1.0 GB used), CPU limit 2 cores (cgroup v2)');
    expect(healthText(report())).not.toContain('Container');
  });
});

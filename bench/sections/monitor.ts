// The whole monitor as it runs for real: Monitor with the real /proc samplers and the real Store,
// default settings (2 s interval, journal flush every interval), on a database seeded with history
// so retention and rollups have work to do. CPU is this process's user + system time over windows
// of wall time, one figure per window, after a warm-up reported on its own: for the first minute or
// so V8 keeps compiling (sql.js's WebAssembly tiers up on background threads), which costs about
// as much again as the steady state.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultMonitorConfig } from '../../src/backend/config';
import { Monitor } from '../../src/backend/monitor';
import { peakRssBytes, rssBytes } from '../lib/cpu';

export interface MonitorParams {
  warmupMs: number;
  windows: number;
  windowMs: number;
  seedDb?: string;
}

export interface MonitorResult {
  /** CPU % of one core per window. */
  cpuPercent: number[];
  /** CPU % of one core from opening the database to the end of the warm-up. */
  warmupCpuPercent: number;
  warmupMs: number;
  ticks: number;
  processes: number;
  rssBytes: number;
  peakRssBytes: number;
  dbBytes: number;
  seeded: boolean;
  problems: string[];
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function wholeMonitor(p: MonitorParams): Promise<MonitorResult> {
  const dir = mkdtempSync(join(tmpdir(), 'vitals-bench-monitor-'));
  const dbPath = join(dir, 'vitals.sqlite');
  if (p.seedDb) copyFileSync(p.seedDb, dbPath);
  let ticks = 0;
  let processes = 0;
  const problems: string[] = [];
  const c00 = process.cpuUsage();
  const w00 = performance.now();
  const monitor = await Monitor.open({
    dbPath,
    config: defaultMonitorConfig(),
    sink: {
      snapshot: (s) => {
        ticks++;
        processes = s.processes.length;
      },
      status: () => undefined,
      log: (level, message) => {
        if (level === 'error' || level === 'warn') problems.push(message);
      },
      problem: (_key, message) => problems.push(message),
    },
  });
  try {
    // Warm-up: the first samples open every stat file and read every command line once, and V8
    // compiles what runs hot.
    while (ticks < 3) await sleep(100);
    await sleep(p.warmupMs);
    const warm = process.cpuUsage(c00);
    const warmupMs = performance.now() - w00;
    const cpuPercent: number[] = [];
    for (let w = 0; w < p.windows; w++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await sleep(p.windowMs);
      const c = process.cpuUsage(c0);
      cpuPercent.push(((c.user + c.system) / 1000 / (performance.now() - t0)) * 100);
    }
    const result: MonitorResult = {
      cpuPercent,
      warmupCpuPercent: ((warm.user + warm.system) / 1000 / warmupMs) * 100,
      warmupMs,
      ticks,
      processes,
      rssBytes: rssBytes(),
      peakRssBytes: peakRssBytes(),
      dbBytes: 0,
      seeded: p.seedDb !== undefined,
      problems,
    };
    await monitor.close();
    result.dbBytes = monitor.status().databaseSizeBytes;
    return result;
  } finally {
    await monitor.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

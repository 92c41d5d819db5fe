// The extension host's main thread while the backend works: a host-like Node process runs the
// extension's real WorkerClient, which starts the real production bundle of the backend worker
// (out/bench/ext/dist/backend-worker.js) in a worker thread and speaks the protocol with it: init,
// a snapshot event every interval, a history query every few seconds. The main thread's event-loop
// delay is recorded with perf_hooks.monitorEventLoopDelay. A short checkpoint interval forces
// checkpoints of the seeded database during the run.
import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { defaultMonitorConfig, type MonitorConfig } from '../../src/backend/config';
import type { RetentionPolicy } from '../../src/backend/types';
import { WorkerClient } from '../../src/extension/worker/client';
import type { Logger } from '../../src/extension/log';
import { peakRssBytes, rssBytes, threadCpuUs } from '../lib/cpu';

export interface HostParams {
  /** 'on' records, 'off' only samples, 'none' runs no backend at all (the machine's own noise). */
  mode: 'on' | 'off' | 'none';
  durationMs: number;
  workerPath: string;
  seedDb?: string;
  retention?: RetentionPolicy;
  checkpointIntervalMs: number;
  queryEveryMs: number;
}

export interface HostResult {
  mode: HostParams['mode'];
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
  samples: number;
  snapshots: number;
  queries: number;
  queryMs: number[];
  checkpoints: number[];
  /** When each checkpoint ended, ms since the measurement began (the log line arrives then). */
  checkpointEndsAt: number[];
  /** Main-thread stalls over 15 ms: when (ms since the start) and how long. */
  stalls: { atMs: number; ms: number }[];
  /** Process CPU (main thread + worker + V8's and libuv's helper threads) as % of one core over the run. */
  cpuPercent: number;
  /**
   * CPU of the backend's worker thread alone (/proc/self/task/<tid>/stat) as % of one core over the
   * run: what the extension's backend costs, without the host around it. NaN without a worker.
   */
  workerCpuPercent: number;
  /** RSS at the end of the run (the 'none' run's is the bare host's). */
  rssBytes: number;
  /** Size of the database the worker recorded into, at the start. */
  dbBytes: number;
  /** Main-thread event-loop utilization over the run (0..1). */
  elu: number;
  peakRssBytes: number;
  errors: string[];
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function hostStall(p: HostParams): Promise<HostResult> {
  const dir = mkdtempSync(join(tmpdir(), 'vitals-bench-host-'));
  const dbPath = join(dir, 'vitals.sqlite');
  if (p.seedDb) copyFileSync(p.seedDb, dbPath);
  const errors: string[] = [];
  const checkpoints: number[] = [];
  const checkpointEndsAt: number[] = [];
  let t0 = performance.now();
  let workerTid: number | undefined;
  const log: Logger = {
    trace: () => undefined,
    debug: (m: string) => {
      // The worker names its own thread when it lowers its priority.
      const tid = /Backend thread (\d+) runs at nice/.exec(String(m));
      if (tid) workerTid = Number(tid[1]);
      const c = /Checkpoint written in ([\d.]+) ms/.exec(String(m));
      if (c) {
        checkpoints.push(Number(c[1]));
        checkpointEndsAt.push(performance.now() - t0);
      }
    },
    info: () => undefined,
    warn: (m: string, ...rest: unknown[]) => void errors.push([m, ...rest].map(String).join(' ')),
    error: (m: string | Error, ...rest: unknown[]) => void errors.push([m, ...rest].map(String).join(' ')),
  };
  const config: MonitorConfig = {
    ...defaultMonitorConfig(),
    recording: p.mode === 'on',
    checkpointIntervalMs: p.checkpointIntervalMs,
    ...(p.retention ? { retention: p.retention } : {}),
  };
  const client =
    p.mode === 'none'
      ? undefined
      : new WorkerClient({ workerPath: p.workerPath, dbPath, config, log, notify: (_s, m) => void errors.push(m) });
  let snapshots = 0;
  const queryMs: number[] = [];
  try {
    if (client) {
      client.onSnapshot(() => snapshots++);
      client.start();
      const deadline = Date.now() + 60_000;
      while (snapshots < 2 && Date.now() < deadline) await sleep(50);
      if (snapshots < 2) throw new Error(`the backend sent no snapshots within 60 s: ${errors.join('; ')}`);
      if (workerTid === undefined) errors.push('the worker did not say which thread it runs on');
    }
    const h = monitorEventLoopDelay({ resolution: 1 });
    const elu0 = performance.eventLoopUtilization();
    const c0 = process.cpuUsage();
    const w0 = workerTid === undefined ? NaN : threadCpuUs(workerTid);
    t0 = performance.now();
    checkpoints.length = 0;
    checkpointEndsAt.length = 0;
    const s0 = snapshots;
    h.enable();
    // A timeline of the long stalls, to see what they coincide with.
    const stalls: { atMs: number; ms: number }[] = [];
    let last = performance.now();
    const ticker = setInterval(() => {
      const now = performance.now();
      if (now - last - 5 > 15) stalls.push({ atMs: last - t0, ms: now - last - 5 });
      last = now;
    }, 5);
    let nextQuery = t0 + p.queryEveryMs;
    while (performance.now() - t0 < p.durationMs) {
      await sleep(100);
      if (client && performance.now() >= nextQuery) {
        nextQuery += p.queryEveryMs;
        const now = Date.now();
        const q0 = performance.now();
        await client.request('history', {
          metrics: ['cpu.total', 'mem.used', 'net.rx', 'net.tx'],
          from: now - 3_600_000,
          to: now,
          maxPoints: 400,
        });
        queryMs.push(performance.now() - q0);
      }
    }
    h.disable();
    clearInterval(ticker);
    const wall = performance.now() - t0;
    const c = process.cpuUsage(c0);
    const workerUs = workerTid === undefined ? NaN : threadCpuUs(workerTid) - w0;
    const elu = performance.eventLoopUtilization(elu0);
    return {
      mode: p.mode,
      p50Ms: h.percentile(50) / 1e6,
      p99Ms: h.percentile(99) / 1e6,
      maxMs: h.max / 1e6,
      meanMs: h.mean / 1e6,
      samples: h.count,
      snapshots: snapshots - s0,
      queries: queryMs.length,
      queryMs,
      checkpoints,
      checkpointEndsAt,
      stalls,
      cpuPercent: ((c.user + c.system) / 1000 / wall) * 100,
      workerCpuPercent: (workerUs / 1000 / wall) * 100,
      rssBytes: rssBytes(),
      dbBytes: p.seedDb ? statSync(p.seedDb).size : 0,
      elu: elu.utilization,
      peakRssBytes: peakRssBytes(),
      errors,
    };
  } finally {
    await client?.shutdown();
    rmSync(dir, { recursive: true, force: true });
  }
}

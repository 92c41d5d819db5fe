// Deterministic synthetic snapshots for storage tests and benchmarks: a machine with a stable set of
// long-running processes plus some churn, at any simulated time (no waiting).
import type { ProcessRole, ProcessSample, Snapshot, SystemSample } from '../../src/backend/types';

export interface SyntheticOptions {
  processes?: number;
  cores?: number;
  /** New short-lived processes per interval. */
  churn?: number;
  /** Give processes 5..12 VS Code roles (an extension host, three extensions' processes, a pty host, a terminal). */
  vscode?: boolean;
}

const HOST_PID = 1005;
/** The roles `vscode: true` gives, by process index. */
export const SYNTHETIC_ROLES: Record<number, ProcessRole> = {
  5: { kind: 'extension-host', detail: 'my-app', hostPid: HOST_PID },
  6: { kind: 'extension', detail: 'language server', extensionId: 'a.alpha', extensionName: 'Alpha', hostPid: HOST_PID },
  7: { kind: 'extension', detail: 'alpha-worker', extensionId: 'a.alpha', extensionName: 'Alpha', hostPid: HOST_PID },
  8: { kind: 'extension', detail: 'language server', extensionId: 'b.beta', extensionName: 'Beta', hostPid: HOST_PID },
  9: { kind: 'extension', detail: '', extensionId: 'b.beta', extensionName: 'Beta', hostPid: HOST_PID },
  10: { kind: 'extension', detail: 'language server', extensionId: 'c.gamma', extensionName: 'Gamma', hostPid: HOST_PID },
  11: { kind: 'pty-host', detail: '' },
  12: { kind: 'terminal', detail: 'bash', hostPid: HOST_PID },
};

function rand(seed: number): number {
  const x = Math.sin(seed) * 10000;
  return x - Math.floor(x);
}

export function systemAt(t: number, cores = 2): SystemSample {
  const phase = (t / 60_000) % 60;
  const cpu = 20 + 15 * Math.sin(phase / 10) + 5 * rand(t);
  const share = { total: cpu, user: cpu * 0.7, system: cpu * 0.25, iowait: cpu * 0.05, idle: 100 - cpu };
  return {
    t,
    cpu: share,
    cores: Array.from({ length: cores }, (_, i) => ({ ...share, total: Math.min(100, cpu + i) })),
    load: [cpu / 50, cpu / 55, cpu / 60],
    mem: { totalBytes: 16e9, usedBytes: 8e9 + 1e9 * Math.sin(phase), availableBytes: 8e9 - 1e9 * Math.sin(phase), cachedBytes: 2e9 },
    swap: { totalBytes: 2e9, usedBytes: 1e8 },
    disk: { readBps: 1e5 * rand(t + 1), writeBps: 2e5 * rand(t + 2) },
    net: {
      rxBps: 3e4 * rand(t + 3),
      txBps: 1e4 * rand(t + 4),
      interfaces: [{ name: 'eth0', rxBps: 3e4 * rand(t + 3), txBps: 1e4 * rand(t + 4) }],
    },
    filesystems: [{ mount: '/', fstype: 'ext4', sizeBytes: 250e9, usedBytes: 100e9 }],
  };
}

export function processesAt(t: number, intervalMs: number, opts: SyntheticOptions = {}): ProcessSample[] {
  const n = opts.processes ?? 300;
  const out: ProcessSample[] = [];
  for (let i = 0; i < n; i++) {
    const pid = 1000 + i;
    out.push({
      pid,
      ppid: i === 0 ? 1 : 1000 + Math.floor((i - 1) / 10),
      startTime: 1_600_000_000_000 + i * 1000,
      name: `proc${i % 50}`,
      command: `/usr/bin/proc${i % 50} --worker ${i}`,
      user: i % 3 === 0 ? 'root' : 'dev',
      state: 'S',
      cpu: i < 5 ? 20 + 10 * rand(t + i) : rand(t * 7 + i) < 0.1 ? 2 * rand(t + i) : 0,
      rssBytes: (10 + (i % 40) * 5) * 1024 * 1024,
      threads: 1 + (i % 8),
      // Most processes do no disk I/O in an interval; the busy ones some, one steady writer (i = 7,
      // little CPU) much; a tenth are another user's, unreadable (null).
      readBytes: i % 10 === 9 ? null : i < 5 ? Math.round(1e5 * rand(t + i + 11)) : 0,
      writeBytes: i % 10 === 9 ? null : i === 7 ? Math.round(4e6 * (1 + rand(t + 13))) : i < 5 ? Math.round(5e4 * rand(t + i + 12)) : 0,
      // The parent of the churn (i = 0) reaps its children: their CPU shows here.
      childrenCpu: i === 0 ? 5 : 0,
      ...(opts.vscode && SYNTHETIC_ROLES[i] ? { role: SYNTHETIC_ROLES[i] } : {}),
    });
  }
  const churn = opts.churn ?? 1;
  const k = Math.floor(t / intervalMs);
  for (let j = 0; j < churn; j++) {
    // Each short-lived process lives about 5 intervals.
    const gen = Math.floor((k - j) / 5) * churn + j;
    out.push({
      pid: 100_000 + (gen % 200_000),
      ppid: 1000,
      startTime: Math.floor((k - j) / 5) * 5 * intervalMs + j,
      name: 'sh',
      command: `sh -c job-${gen}`,
      user: 'dev',
      state: 'R',
      cpu: 5,
      rssBytes: 2 * 1024 * 1024,
      threads: 1,
      readBytes: 4096,
      writeBytes: 0,
      childrenCpu: 0,
    });
  }
  return out;
}

export function snapshotAt(t: number, intervalMs = 2000, opts: SyntheticOptions = {}): Snapshot {
  return { t, system: systemAt(t, opts.cores), processes: processesAt(t, intervalMs, opts) };
}

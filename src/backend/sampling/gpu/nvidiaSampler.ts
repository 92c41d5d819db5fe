// NVIDIA GPUs through `nvidia-smi`, only where it is on PATH (looked for once, without spawning
// anything: no NVIDIA tool, no process spawned, nothing shown). Each reading spawns it twice (the
// GPUs, then the compute processes), with execFile (never a shell) and a timeout, every
// `intervalMs` (`vitals.gpu.intervalSeconds`, 10 s by default): a spawn costs tens of milliseconds of
// CPU, far more than a /proc read, so it does not follow the sampling interval. Readings are taken in
// the background and attached to the samples in between as last read; what the spawns cost is
// counted (`spentMs`) into the recorder's own cost.

import { execFile } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { GpuSample, Millis } from '../../types';
import { sysconf } from '../linux/procfs';
import { APPS_QUERY, GPU_QUERY, parseComputeApps, parseGpuQuery } from './nvidiaSmi';

export const DEFAULT_GPU_INTERVAL_MS = 10_000;
const TIMEOUT_MS = 5_000;
/** After this many failed readings in a row the GPUs are taken to be gone (driver unloaded). */
const GIVE_UP_AFTER = 5;

export interface GpuReading {
  t: Millis;
  gpus: GpuSample[];
  /** pid → bytes of GPU memory. */
  processes: Map<number, number>;
}

export interface NvidiaSamplerOptions {
  /** The executable, or null when there is none; found on PATH when not given. */
  executable?: string | null;
  intervalMs?: number;
}

export class NvidiaSampler {
  private readonly executable: string | null;
  private intervalMs: number;
  private last: GpuReading | undefined;
  private startedAt = Number.NEGATIVE_INFINITY;
  private pending: Promise<void> | undefined;
  private failures = 0;
  /** CPU (or, where it cannot be measured, wall) milliseconds spent in nvidia-smi. */
  spentMs = 0;
  /** Wall milliseconds from spawn to exit (what a reading takes, not what it costs). */
  wallMs = 0;
  spawns = 0;

  constructor(opts: NvidiaSamplerOptions = {}) {
    this.executable = opts.executable === undefined ? findOnPath('nvidia-smi') : opts.executable;
    this.intervalMs = opts.intervalMs ?? DEFAULT_GPU_INTERVAL_MS;
  }

  get available(): boolean {
    return this.executable !== null && this.failures < GIVE_UP_AFTER;
  }

  setIntervalMs(ms: number): void {
    this.intervalMs = ms;
  }

  /** The latest reading (undefined until the first arrives), and a new one started when due. */
  latest(now: Millis): GpuReading | undefined {
    if (!this.available) return undefined;
    if (!this.pending && (now - this.startedAt >= this.intervalMs || now < this.startedAt)) {
      this.startedAt = now;
      this.pending = this.read(now).finally(() => (this.pending = undefined));
    }
    return this.last;
  }

  /** Resolves when the reading in progress is done: tests wait for it. */
  settled(): Promise<void> {
    return this.pending ?? Promise.resolve();
  }

  private async read(now: Millis): Promise<void> {
    const exe = this.executable!;
    const gpuText = await this.run(exe, GPU_QUERY);
    const gpus = gpuText === null ? [] : parseGpuQuery(gpuText);
    if (gpus.length === 0) {
      this.failures++;
      this.last = undefined;
      return;
    }
    this.failures = 0;
    const appsText = await this.run(exe, APPS_QUERY);
    this.last = { t: now, gpus, processes: appsText === null ? new Map() : parseComputeApps(appsText) };
  }

  private run(exe: string, args: string[]): Promise<string | null> {
    const before = childCpuMs();
    const started = performance.now();
    this.spawns++;
    return new Promise((resolve) => {
      execFile(exe, args, { timeout: TIMEOUT_MS, maxBuffer: 1024 * 1024, windowsHide: true, encoding: 'utf8' }, (err, stdout) => {
        const after = childCpuMs();
        this.wallMs += performance.now() - started;
        // The child's CPU is added to ours when it is reaped (in clock ticks: a cheap run can count 0);
        // where that cannot be read, wall time.
        this.spentMs += before !== null && after !== null && after >= before ? after - before : performance.now() - started;
        resolve(err ? null : stdout);
      });
    });
  }
}

/** The first executable `name` on PATH, or null. */
export function findOnPath(
  name: string,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string | null {
  const names = platform === 'win32' ? [`${name}.exe`] : [name];
  for (const dir of (env.PATH ?? env.Path ?? '').split(delimiter)) {
    if (!dir) continue;
    for (const n of names) {
      const full = join(dir, n);
      try {
        accessSync(full, constants.X_OK);
        return full;
      } catch {
        // not here
      }
    }
  }
  return null;
}

/** cutime + cstime of this process (its reaped children), in ms; null off Linux. */
function childCpuMs(): number | null {
  if (process.platform !== 'linux') return null;
  try {
    const stat = readFileSync('/proc/self/stat', 'latin1');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields after the comm: state is index 0, so cutime (16) and cstime (17) are 13 and 14.
    const ticks = Number(rest[13]) + Number(rest[14]);
    return Number.isFinite(ticks) ? (ticks * 1000) / sysconf().clkTck : null;
  } catch {
    return null;
  }
}

// Picks the samplers for this platform: /proc on Linux (20–100x cheaper than systeminformation, see
// docs/ARCHITECTURE.md), systeminformation elsewhere; both wrapped with the extras (extras.ts):
// cgroup limits and container names (Linux), sensors, NVIDIA GPUs. VITALS_SAMPLER=fallback forces
// the systeminformation samplers on Linux too: what macOS and Windows users run, and what the cost
// governor (recorder/governor.ts) is there for, can then be measured and tested here.

import { cpus, totalmem } from 'node:os';
import type { CommandLineMode, ProcessSampler, SystemSampler } from '../types';
import { ContainerNames } from './containerNames';
import { ExtendedProcessSampler, ExtendedSystemSampler, type SamplerExtras } from './extras';
import { FallbackProcessSampler } from './fallback/processSampler';
import { FallbackSystemSampler } from './fallback/systemSampler';
import { NvidiaSampler } from './gpu/nvidiaSampler';
import { CgroupLimitsReader } from './linux/cgroupLimits';
import { LinuxProcessSampler } from './linux/processSampler';
import { LinuxSystemSampler } from './linux/systemSampler';
import { SensorSource } from './sensors';
import { existsSync } from 'node:fs';

export { readStaticInfo } from './staticInfo';

export type SamplerKind = 'procfs' | 'systeminformation';

export interface SamplerOptions {
  /** Defaults to process.platform; anything but 'linux' selects systeminformation (tests force it so). */
  platform?: NodeJS.Platform;
  commandLine: CommandLineMode;
  procRoot?: string;
  /** VITALS_SAMPLER: 'fallback' forces systeminformation. Defaults to process.env.VITALS_SAMPLER. */
  force?: string;
  /** How often nvidia-smi is asked (`vitals.gpu.intervalSeconds`). */
  gpuIntervalMs?: number;
  /**
   * Replace the extras (tests: fixture roots, no GPU). Default: the real ones for this platform.
   * `{}` samples none of them.
   */
  extras?: SamplerExtras;
}

export interface Samplers {
  system: SystemSampler;
  processes: ProcessSampler;
  kind: SamplerKind;
  /** What runs beside the platform's samplers; the monitor sets the GPU interval and counts their cost. */
  extras?: SamplerExtras;
  /** The procfs the process sampler reads, where the VS Code role tracker may read too (src/backend/vscode/). */
  procRoot?: string | undefined;
}

export function createSamplers(opts: SamplerOptions): Samplers {
  const platform = opts.platform ?? process.platform;
  const procRoot = opts.procRoot ?? '/proc';
  const linux = platform === 'linux' && existsSync(`${procRoot}/stat`);
  const extras = opts.extras ?? defaultExtras(linux, platform, opts.gpuIntervalMs);
  const forced = (opts.force ?? process.env.VITALS_SAMPLER) === 'fallback';
  const base =
    linux && !forced
      ? {
          system: new LinuxSystemSampler({ procRoot }),
          processes: new LinuxProcessSampler({ procRoot, commandLine: opts.commandLine }),
          kind: 'procfs' as const,
        }
      : {
          system: new FallbackSystemSampler(),
          processes: new FallbackProcessSampler({ commandLine: opts.commandLine }),
          kind: 'systeminformation' as const,
        };
  return {
    system: new ExtendedSystemSampler(base.system, extras),
    processes: new ExtendedProcessSampler(base.processes, extras),
    kind: base.kind,
    extras,
    ...(linux ? { procRoot } : {}),
  };
}

function defaultExtras(linux: boolean, platform: NodeJS.Platform, gpuIntervalMs: number | undefined): SamplerExtras {
  const gpu = new NvidiaSampler(gpuIntervalMs === undefined ? {} : { intervalMs: gpuIntervalMs });
  return {
    ...(linux
      ? {
          cgroup: new CgroupLimitsReader({ hostMemoryBytes: totalmem(), hostCores: cpus().length || 1 }),
          containerNames: new ContainerNames(),
        }
      : {}),
    sensors: new SensorSource({ platform }),
    ...(gpu.available ? { gpu } : {}),
  };
}

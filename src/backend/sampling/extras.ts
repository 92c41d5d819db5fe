// What the samplers add to a sample beyond /proc's per-interval figures: the limits of our own cgroup,
// sensors, NVIDIA GPUs, container names and GPU memory per process. Each has its own pace (sensors
// every 30 s, GPUs every `vitals.gpu.intervalSeconds`, names when an unknown container appears) and
// is attached to every sample as last read; none makes a sample wait. Wrapping the platform's samplers
// keeps them about /proc (or systeminformation) alone.

import type { Millis, ProcessSample, ProcessSampler, CommandLineMode, SystemSample, SystemSampler } from '../types';
import type { ContainerNames } from './containerNames';
import type { NvidiaSampler } from './gpu/nvidiaSampler';
import type { CgroupLimitsReader } from './linux/cgroupLimits';
import type { SensorSource } from './sensors';

export interface SamplerExtras {
  cgroup?: CgroupLimitsReader | undefined;
  sensors?: SensorSource | undefined;
  gpu?: NvidiaSampler | undefined;
  containerNames?: ContainerNames | undefined;
}

export class ExtendedSystemSampler implements SystemSampler {
  constructor(
    private readonly inner: SystemSampler,
    private readonly extras: SamplerExtras,
  ) {}

  async sample(now: Millis): Promise<SystemSample> {
    const s = await this.inner.sample(now);
    const cgroup = this.extras.cgroup?.read(now);
    if (cgroup) s.cgroup = cgroup;
    const sensors = this.extras.sensors?.latest(now);
    if (sensors) s.sensors = sensors;
    const gpu = this.extras.gpu?.latest(now);
    if (gpu) s.gpus = gpu.gpus;
    return s;
  }

  dispose(): void {
    this.inner.dispose();
  }
}

export class ExtendedProcessSampler implements ProcessSampler {
  constructor(
    private readonly inner: ProcessSampler,
    private readonly extras: SamplerExtras,
  ) {}

  async sample(now: Millis): Promise<ProcessSample[]> {
    const list = await this.inner.sample(now);
    const names = this.extras.containerNames;
    // The GPU reading the system sampler started (it samples alongside): not a second spawn.
    const gpuProcesses = this.extras.gpu?.latest(now)?.processes;
    if (!names && !gpuProcesses?.size) return list;
    for (let i = 0; i < list.length; i++) {
      const p = list[i]!;
      const c = p.container;
      const name = c && names ? names.nameOf(c, now) : undefined;
      const gpu = gpuProcesses?.get(p.pid);
      if (name === undefined && gpu === undefined) continue;
      // A copy: the sampler keeps its container object per process identity, without the name.
      list[i] = {
        ...p,
        ...(name !== undefined && c ? { container: { ...c, name } } : {}),
        ...(gpu !== undefined ? { gpuMemoryBytes: gpu } : {}),
      };
    }
    return list;
  }

  setCommandLineMode(mode: CommandLineMode): void {
    this.inner.setCommandLineMode(mode);
  }

  dispose(): void {
    this.inner.dispose();
  }
}

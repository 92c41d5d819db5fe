// The extras attached to real samples: a stand-in nvidia-smi's GPU memory on our own pid, a Docker
// name from a stand-in socket, sensors from the fixture tree; and how they flatten to metrics.

import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { flattenSystem, metricUnit } from '../../../src/backend/metrics';
import { createSamplers } from '../../../src/backend/sampling';
import { NvidiaSampler } from '../../../src/backend/sampling/gpu/nvidiaSampler';
import { SensorSource } from '../../../src/backend/sampling/sensors';
import type { SystemSample } from '../../../src/backend/types';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('createSamplers with extras', () => {
  it('attaches GPUs, GPU memory per process and sensors to real samples', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vitals-smi-'));
    dirs.push(dir);
    const exe = join(dir, 'nvidia-smi');
    // This test process holds 512 MiB on GPU 0, as far as the stand-in says.
    writeFileSync(
      exe,
      `#!/bin/sh\ncase "$1" in --query-gpu=*) echo "0, Stand-in GPU, 7, 600, 8192, 50" ;; *) echo "${process.pid}, 512" ;; esac\n`,
    );
    chmodSync(exe, 0o755);
    const gpu = new NvidiaSampler({ executable: exe });
    const sensors = new SensorSource({ platform: 'linux', sysRoot: join(__dirname, '../../fixtures/sysfs-laptop') });
    const s = createSamplers({ commandLine: 'off', extras: { gpu, sensors } });
    try {
      await Promise.all([s.system.sample(1000), s.processes.sample(1000)]);
      await gpu.settled();
      const [sys, procs] = await Promise.all([s.system.sample(2000), s.processes.sample(2000)]);
      expect(sys.gpus?.[0]).toMatchObject({ name: 'Stand-in GPU', utilization: 7 });
      expect(sys.sensors?.batteries[0]?.name).toBe('BAT0');
      expect(procs.find((p) => p.pid === process.pid)?.gpuMemoryBytes).toBe(512 * 1024 * 1024);
      expect(procs.filter((p) => p.gpuMemoryBytes !== undefined)).toHaveLength(1);
      // One reading per interval, however many samples ask for it.
      expect(gpu.spawns).toBe(2);
    } finally {
      s.system.dispose();
      s.processes.dispose();
    }
  });

  it('with no extras, samples carry none of their fields', async () => {
    const s = createSamplers({ commandLine: 'off', extras: {} });
    try {
      const sys = await s.system.sample(1000);
      expect(sys.cgroup ?? sys.sensors ?? sys.gpus).toBeUndefined();
    } finally {
      s.system.dispose();
      s.processes.dispose();
    }
  });
});

describe('flattenSystem: extras as named metrics', () => {
  const base: SystemSample = {
    t: 0,
    cpu: { total: 0, user: 0, system: 0, iowait: 0, idle: 100 },
    cores: [],
    load: [0, 0, 0],
    mem: { totalBytes: 1, usedBytes: 0, availableBytes: 1, cachedBytes: 0 },
    swap: { totalBytes: 0, usedBytes: 0 },
    disk: { readBps: 0, writeBps: 0 },
    net: { rxBps: 0, txBps: 0, interfaces: [] },
    filesystems: [],
  };

  it('names each, leaves unknown values out, and knows their units', () => {
    const m = flattenSystem({
      ...base,
      cgroup: { version: 2, memoryLimitBytes: 4e9, memoryUsedBytes: 1e9, cpuLimitCores: 2, cpuUsedCores: 1 },
      sensors: {
        t: 0,
        temperatures: [{ key: 'coretemp/Core 0', label: 'x', celsius: 51 }],
        batteries: [{ name: 'BAT0', percent: 76, status: 'Full', watts: null }],
      },
      gpus: [{ index: 0, name: 'g', utilization: null, memoryUsedBytes: 5, memoryTotalBytes: 10, celsius: 40 }],
    });
    expect(Object.fromEntries([...m].filter(([k]) => /^(cgroup|temp|battery|gpu)\./.test(k)))).toEqual({
      'cgroup.mem.used': 1e9,
      'cgroup.mem.limit': 4e9,
      'cgroup.cpu': 50,
      'temp.coretemp/Core 0': 51,
      'battery.BAT0': 76,
      'gpu.0.mem.used': 5,
      'gpu.0.mem.total': 10,
      'gpu.0.temp': 40,
    });
    expect(metricUnit('temp.coretemp/Core 0')).toBe('celsius');
    expect(metricUnit('gpu.0.temp')).toBe('celsius');
    expect(metricUnit('gpu.0.util')).toBe('percent');
    expect(metricUnit('gpu.0.mem.used')).toBe('bytes');
    expect(metricUnit('cgroup.cpu')).toBe('percent');
    expect(metricUnit('battery.BAT0')).toBe('percent');
    expect(metricUnit('battery.BAT0.watts')).toBe('watts');
  });

  it('a machine without them adds nothing', () => {
    expect([...flattenSystem(base).keys()].some((k) => /^(cgroup|temp|battery|gpu)\./.test(k))).toBe(false);
  });
});

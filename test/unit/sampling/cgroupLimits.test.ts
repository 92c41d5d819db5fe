// Vitals' own cgroup limits over cgroupfs trees built in a temp directory standing in for
// /sys/fs/cgroup (v2 with and without a cgroup namespace, v1 Docker, unlimited), and live here.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CgroupLimitsReader, parseCpuMax, parseMemoryMax } from '../../../src/backend/sampling/linux/cgroupLimits';

const GB = 1024 ** 3;
const HOST = { hostMemoryBytes: 64 * GB, hostCores: 32 };
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A tree of files: path → content. */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'vitals-cgroup-'));
  dirs.push(root);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

describe('cgroup v2', () => {
  it('inside a container with its own namespace: the root directory is the container', () => {
    const root = tree({
      'fs/cgroup.controllers': 'cpuset cpu io memory pids\n',
      'fs/memory.max': '4294967296\n',
      'fs/memory.current': '1073741824\n',
      'fs/cpu.max': '200000 100000\n',
      'fs/cpu.stat': 'usage_usec 5000000\nuser_usec 4000000\nsystem_usec 1000000\n',
      self: '0::/\n',
    });
    const r = new CgroupLimitsReader({ ...HOST, root: join(root, 'fs'), selfCgroup: join(root, 'self') });
    expect(r.read(1000)).toEqual({ version: 2, memoryLimitBytes: 4 * GB, memoryUsedBytes: GB, cpuLimitCores: 2, cpuUsedCores: null });
    // One and a half cores' worth over the next second.
    writeFileSync(join(root, 'fs/cpu.stat'), 'usage_usec 6500000\n');
    expect(r.read(2000)?.cpuUsedCores).toBe(1.5);
  });

  it('from the host side: the tightest limit along the path applies', () => {
    const scope = 'system.slice/docker-abc.scope';
    const root = tree({
      'fs/cgroup.controllers': 'cpu memory\n',
      'fs/system.slice/memory.max': '8589934592\n',
      'fs/system.slice/cpu.max': 'max 100000\n',
      [`fs/${scope}/memory.max`]: 'max\n',
      [`fs/${scope}/memory.current`]: '123456\n',
      [`fs/${scope}/cpu.max`]: '50000 100000\n',
      [`fs/${scope}/cpu.stat`]: 'usage_usec 1\n',
      self: `0::/${scope}\n`,
    });
    const got = new CgroupLimitsReader({ ...HOST, root: join(root, 'fs'), selfCgroup: join(root, 'self') }).read(0);
    expect(got).toMatchObject({ version: 2, memoryLimitBytes: 8 * GB, memoryUsedBytes: 123456, cpuLimitCores: 0.5 });
  });

  it('no limit anywhere, or limits above the host: nothing', () => {
    const root = tree({
      'fs/cgroup.controllers': 'cpu memory\n',
      'fs/user.slice/memory.max': 'max\n',
      'fs/user.slice/cpu.max': `${64 * 100000} 100000\n`,
      self: '0::/user.slice\n',
    });
    expect(new CgroupLimitsReader({ ...HOST, root: join(root, 'fs'), selfCgroup: join(root, 'self') }).read(0)).toBeUndefined();
  });
});

describe('cgroup v1', () => {
  it('a Docker container without a cgroup namespace: its own levels are the mount roots', () => {
    const root = tree({
      'fs/memory/memory.limit_in_bytes': '2147483648\n',
      'fs/memory/memory.usage_in_bytes': '536870912\n',
      'fs/cpu,cpuacct/cpu.cfs_quota_us': '150000\n',
      'fs/cpu,cpuacct/cpu.cfs_period_us': '100000\n',
      'fs/cpu,cpuacct/cpuacct.usage': '1000000000\n',
      self: '5:memory:/docker/3f6c\n3:cpu,cpuacct:/docker/3f6c\n1:name=systemd:/docker/3f6c\n',
    });
    const r = new CgroupLimitsReader({ ...HOST, root: join(root, 'fs'), selfCgroup: join(root, 'self') });
    expect(r.read(0)).toEqual({
      version: 1,
      memoryLimitBytes: 2 * GB,
      memoryUsedBytes: 512 * 1024 ** 2,
      cpuLimitCores: 1.5,
      cpuUsedCores: null,
    });
    writeFileSync(join(root, 'fs/cpu,cpuacct/cpuacct.usage'), '3000000000\n');
    expect(r.read(4000)?.cpuUsedCores).toBe(0.5);
  });

  it('"unlimited" is a huge page-aligned number and a quota of -1', () => {
    const root = tree({
      'fs/memory/memory.limit_in_bytes': '9223372036854771712\n',
      'fs/cpu/cpu.cfs_quota_us': '-1\n',
      'fs/cpu/cpu.cfs_period_us': '100000\n',
      self: '4:memory:/\n1:cpu:/\n',
    });
    expect(new CgroupLimitsReader({ ...HOST, root: join(root, 'fs'), selfCgroup: join(root, 'self') }).read(0)).toBeUndefined();
  });
});

describe('parsers', () => {
  it('memory.max and cpu.max', () => {
    expect(parseMemoryMax('max\n')).toBeNull();
    expect(parseMemoryMax('1024\n')).toBe(1024);
    expect(parseMemoryMax(null)).toBeNull();
    expect(parseCpuMax('max 100000')).toBeNull();
    expect(parseCpuMax('250000 100000\n')).toBe(2.5);
    expect(parseCpuMax('garbage')).toBeNull();
  });
});

describe('live on this machine', () => {
  it('reads its own cgroup: limits, when any, are below the host and usage is sane', () => {
    const r = new CgroupLimitsReader({ hostMemoryBytes: totalmem(), hostCores: cpus().length });
    r.read(Date.now() - 1000);
    const got = r.read(Date.now());
    if (got === undefined) return; // no limits here: nothing is shown, which is the point
    if (got.memoryLimitBytes !== null) expect(got.memoryLimitBytes).toBeLessThan(totalmem());
    if (got.cpuLimitCores !== null) expect(got.cpuLimitCores).toBeLessThan(cpus().length);
    if (got.memoryUsedBytes !== null) expect(got.memoryUsedBytes).toBeGreaterThan(0);
  });
});

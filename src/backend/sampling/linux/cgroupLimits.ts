// The limits of the cgroup Vitals itself runs in. Inside a dev container, a Codespace or a pod the
// host's totals (64 GB, 32 cores) say little when the container may use 4 GB and 2 cores: the
// System view and the dashboard show these beside them, and say which a percentage is of.
//
// cgroup v2 (`<root>/cgroup.controllers` exists): `memory.max` ("max" or bytes), `cpu.max`
// ("max 100000" or "<quota> <period>"), usage from `memory.current` and `cpu.stat` usage_usec.
// cgroup v1: `memory/…/memory.limit_in_bytes` (a huge page-aligned number when unlimited),
// `cpu/…/cpu.cfs_quota_us` (-1 when unlimited) and `cpu.cfs_period_us`, usage from
// `memory.usage_in_bytes` and `cpuacct.usage` (ns).
//
// A limit anywhere on the path to the root applies, so the tightest one from our own cgroup up is
// taken. Inside a container with its own cgroup namespace our path is `/` and the root directory is
// the container's own cgroup: its files are read there. Without one (v1 Docker) our path names a
// directory that this mount does not have: the missing levels are skipped.
//
// The root is injected so tests stand a temp directory in for /sys/fs/cgroup.

import { readFileSync } from 'node:fs';
import type { CgroupLimits, Millis } from '../../types';
import { parseCgroupFile } from './cgroup';

export interface CgroupLimitsOptions {
  /** Default /sys/fs/cgroup. */
  root?: string;
  /** Default /proc/self/cgroup. */
  selfCgroup?: string;
  /** Limits at or above these are no limits (v1 writes "unlimited" as a huge number). */
  hostMemoryBytes: number;
  hostCores: number;
}

/** Where the limits live: found once, re-read every sample (a few small files). */
interface Found {
  version: 1 | 2;
  memoryLimitBytes: number | null;
  cpuLimitCores: number | null;
  /** Files for usage, '' when not readable. */
  memoryUsageFile: string;
  cpuUsageFile: string;
}

/** How often the limits themselves are looked for again (`docker update` can change them). */
const REDISCOVER_MS = 60_000;

export class CgroupLimitsReader {
  private readonly root: string;
  private readonly selfCgroup: string;
  private found: Found | null | undefined;
  private foundAt = 0;
  private lastCpu: { t: Millis; usedSec: number } | undefined;

  constructor(private readonly opts: CgroupLimitsOptions) {
    this.root = opts.root ?? '/sys/fs/cgroup';
    this.selfCgroup = opts.selfCgroup ?? '/proc/self/cgroup';
  }

  /** The limits and what the cgroup uses now; undefined when nothing is limited. */
  read(now: Millis): CgroupLimits | undefined {
    if (this.found === undefined || now - this.foundAt >= REDISCOVER_MS) {
      this.found = this.discover();
      this.foundAt = now;
    }
    const f = this.found;
    if (!f) return undefined;
    const memoryUsedBytes = f.memoryUsageFile ? readNumber(f.memoryUsageFile) : null;
    let cpuUsedCores: number | null = null;
    const usedSec = f.cpuUsageFile ? readCpuSeconds(f.cpuUsageFile, f.version) : null;
    if (usedSec !== null) {
      if (this.lastCpu && now > this.lastCpu.t && usedSec >= this.lastCpu.usedSec)
        cpuUsedCores = Math.round(((usedSec - this.lastCpu.usedSec) / ((now - this.lastCpu.t) / 1000)) * 1000) / 1000;
      this.lastCpu = { t: now, usedSec };
    }
    return { version: f.version, memoryLimitBytes: f.memoryLimitBytes, memoryUsedBytes, cpuLimitCores: f.cpuLimitCores, cpuUsedCores };
  }

  private discover(): Found | null {
    let text: string;
    try {
      text = readFileSync(this.selfCgroup, 'latin1');
    } catch {
      return null;
    }
    const v2 = exists(`${this.root}/cgroup.controllers`);
    return v2 ? this.discoverV2(text) : this.discoverV1(text);
  }

  private discoverV2(cgroupText: string): Found | null {
    const path = v2Path(cgroupText);
    let memory: { limit: number; dir: string } | null = null;
    let cpu: { cores: number; dir: string } | null = null;
    for (const dir of ancestors(this.root, path)) {
      const mem = parseMemoryMax(readText(`${dir}/memory.max`));
      if (mem !== null && mem < this.opts.hostMemoryBytes && (memory === null || mem < memory.limit)) memory = { limit: mem, dir };
      const cores = parseCpuMax(readText(`${dir}/cpu.max`));
      if (cores !== null && cores < this.opts.hostCores && (cpu === null || cores < cpu.cores)) cpu = { cores, dir };
    }
    if (!memory && !cpu) return null;
    // Usage of our own cgroup's nearest level that reports it (the container's, normally).
    const own = ancestors(this.root, path);
    return {
      version: 2,
      memoryLimitBytes: memory?.limit ?? null,
      cpuLimitCores: cpu?.cores ?? null,
      memoryUsageFile: own.map((d) => `${d}/memory.current`).find(exists) ?? '',
      cpuUsageFile: own.map((d) => `${d}/cpu.stat`).find(exists) ?? '',
    };
  }

  private discoverV1(cgroupText: string): Found | null {
    const memPath = v1Path(cgroupText, 'memory');
    const cpuPath = v1Path(cgroupText, 'cpu');
    const memRoot = `${this.root}/memory`;
    const cpuRoot = [`${this.root}/cpu,cpuacct`, `${this.root}/cpu`].find((d) => exists(`${d}/cpu.cfs_quota_us`)) ?? `${this.root}/cpu`;
    const acctRoot =
      [`${this.root}/cpu,cpuacct`, `${this.root}/cpuacct`].find((d) => exists(`${d}/cpuacct.usage`)) ?? `${this.root}/cpuacct`;
    let memory: number | null = null;
    const memDirs = ancestors(memRoot, memPath);
    for (const dir of memDirs) {
      const v = readNumber(`${dir}/memory.limit_in_bytes`);
      if (v !== null && v < this.opts.hostMemoryBytes && (memory === null || v < memory)) memory = v;
    }
    let cores: number | null = null;
    const cpuDirs = ancestors(cpuRoot, cpuPath);
    for (const dir of cpuDirs) {
      const quota = readNumber(`${dir}/cpu.cfs_quota_us`);
      const period = readNumber(`${dir}/cpu.cfs_period_us`);
      if (quota === null || period === null || quota <= 0 || period <= 0) continue;
      const c = quota / period;
      if (c < this.opts.hostCores && (cores === null || c < cores)) cores = c;
    }
    if (memory === null && cores === null) return null;
    return {
      version: 1,
      memoryLimitBytes: memory,
      cpuLimitCores: cores,
      memoryUsageFile: memDirs.map((d) => `${d}/memory.usage_in_bytes`).find(exists) ?? '',
      cpuUsageFile:
        ancestors(acctRoot, cpuPath)
          .map((d) => `${d}/cpuacct.usage`)
          .find(exists) ?? '',
    };
  }
}

/** `max` → null (no limit), else bytes. */
export function parseMemoryMax(text: string | null): number | null {
  if (text === null) return null;
  const t = text.trim();
  if (t === '' || t === 'max') return null;
  const v = Number(t);
  return Number.isFinite(v) && v > 0 ? v : null;
}

/** `max 100000` → null, `200000 100000` → 2 cores. */
export function parseCpuMax(text: string | null): number | null {
  if (text === null) return null;
  const [quota, period] = text.trim().split(/\s+/);
  if (!quota || quota === 'max') return null;
  const q = Number(quota);
  const p = Number(period ?? '100000');
  return Number.isFinite(q) && Number.isFinite(p) && q > 0 && p > 0 ? q / p : null;
}

/** Our own directory first, then each parent up to the root. */
function ancestors(root: string, path: string): string[] {
  const segments = path.split('/').filter((s) => s !== '' && s !== '.');
  // A path outside our namespace's view (`/../..`) says nothing we can read: the root is ours.
  if (segments.includes('..')) return [root];
  const dirs: string[] = [];
  for (let i = segments.length; i >= 0; i--) dirs.push([root, ...segments.slice(0, i)].join('/'));
  return dirs;
}

function v2Path(text: string): string {
  const line = text.split('\n').find((l) => l.startsWith('0::'));
  return line ? line.slice(3).trim() : (parseCgroupFile(text)[0] ?? '/');
}

function v1Path(text: string, controller: string): string {
  for (const line of text.split('\n')) {
    const parts = line.split(':');
    if (parts.length < 3) continue;
    if (parts[1]!.split(',').includes(controller)) return parts.slice(2).join(':').trim();
  }
  return '/';
}

function readCpuSeconds(file: string, version: 1 | 2): number | null {
  if (version === 1) {
    const ns = readNumber(file);
    return ns === null ? null : ns / 1e9;
  }
  const m = /^usage_usec\s+(\d+)/m.exec(readText(file) ?? '');
  return m ? Number(m[1]) / 1e6 : null;
}

function readText(file: string): string | null {
  try {
    return readFileSync(file, 'latin1');
  } catch {
    return null;
  }
}

function readNumber(file: string): number | null {
  const t = readText(file);
  if (t === null) return null;
  const v = Number(t.trim());
  return Number.isFinite(v) ? v : null;
}

function exists(file: string): boolean {
  return readText(file) !== null;
}

// System-wide sampling from /proc: CPU from /proc/stat, load from /proc/loadavg, memory and swap from
// /proc/meminfo, disk throughput from /proc/diskstats, network from /proc/net/dev, filesystems via
// statfs, pressure (PSI) from /proc/pressure/{cpu,memory,io}, runnable and blocked tasks from the
// procs_ lines of /proc/stat (read anyway for CPU). Each file stays open and is re-read at offset 0.
//
// The first sample has no previous one to subtract: CPU shares are then averages since boot (the
// counters' own baseline), and every rate (disk, network) is 0.

import { readdirSync, readlinkSync } from 'node:fs';
import type { CpuShare, InterfaceRate, Millis, PressureShare, SystemSample, SystemSampler } from '../../types';
import { FilesystemReader } from './filesystems';
import { ProcFile } from './procfs';

export interface LinuxSystemSamplerOptions {
  procRoot?: string;
  /** Where sysfs is mounted; used to tell whole disks from partitions and virtual devices. */
  sysRoot?: string;
}

/** user nice system idle iowait irq softirq steal — guest time is already inside user. */
const CPU_FIELDS = 8;
const SECTOR_BYTES = 512;

export class LinuxSystemSampler implements SystemSampler {
  private readonly stat: ProcFile;
  private readonly loadavg: ProcFile;
  private readonly meminfo: ProcFile;
  private readonly diskstats: ProcFile;
  private readonly netdev: ProcFile;
  private readonly filesystems: FilesystemReader;
  private readonly pressure: [ProcFile, ProcFile, ProcFile];
  /** false once a pressure file could not be read: the kernel has no PSI, stop asking. */
  private hasPressure = true;
  private readonly sysRoot: string;

  private prevT: Millis | undefined;
  /** Key -1 is the all-CPU line, n is cpu<n>. */
  private prevCpu = new Map<number, number[]>();
  private prevDisk = new Map<string, [number, number]>();
  private prevNet = new Map<string, [number, number]>();
  private wholeDisk = new Map<string, boolean>();
  private hasSysBlock: boolean | undefined;

  constructor(opts: LinuxSystemSamplerOptions = {}) {
    const proc = opts.procRoot ?? '/proc';
    this.sysRoot = opts.sysRoot ?? '/sys';
    this.stat = new ProcFile(`${proc}/stat`, 8192);
    this.loadavg = new ProcFile(`${proc}/loadavg`, 256);
    this.meminfo = new ProcFile(`${proc}/meminfo`, 8192);
    this.diskstats = new ProcFile(`${proc}/diskstats`, 8192);
    this.netdev = new ProcFile(`${proc}/net/dev`, 4096);
    this.filesystems = new FilesystemReader(`${proc}/self/mounts`);
    this.pressure = [
      new ProcFile(`${proc}/pressure/cpu`, 256),
      new ProcFile(`${proc}/pressure/memory`, 256),
      new ProcFile(`${proc}/pressure/io`, 256),
    ];
  }

  sample(now: Millis): Promise<SystemSample> {
    try {
      return Promise.resolve(this.sampleSync(now));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  sampleSync(now: Millis): SystemSample {
    const dt = this.prevT === undefined ? 0 : now - this.prevT;
    this.prevT = now;
    const { cpu, cores } = this.readCpu();
    const sample: SystemSample = {
      t: now,
      cpu,
      cores,
      load: this.readLoad(),
      ...this.readMemory(),
      disk: this.readDisk(dt),
      net: this.readNet(dt),
      filesystems: this.filesystems.read(now),
    };
    const tasks = this.readTasks();
    if (tasks) sample.tasks = tasks;
    const pressure = this.readPressure();
    if (pressure) sample.pressure = pressure;
    return sample;
  }

  dispose(): void {
    for (const f of [this.stat, this.loadavg, this.meminfo, this.diskstats, this.netdev, ...this.pressure]) f.close();
  }

  private readCpu(): { cpu: CpuShare; cores: CpuShare[] } {
    let cpu = idleShare();
    const cores: CpuShare[] = [];
    if (this.stat.read() <= 0) return { cpu, cores };
    for (const line of this.stat.text().split('\n')) {
      if (!line.startsWith('cpu')) {
        // The cpu lines come first; nothing after them is ours.
        if (cores.length > 0 || line.length === 0) break;
        continue;
      }
      const parts = line.split(/\s+/);
      const label = parts[0]!;
      const index = label === 'cpu' ? -1 : Number(label.slice(3));
      if (!Number.isInteger(index)) continue;
      const cur = new Array<number>(CPU_FIELDS);
      for (let i = 0; i < CPU_FIELDS; i++) cur[i] = Number(parts[i + 1] ?? 0) || 0;
      const share = cpuShare(cur, this.prevCpu.get(index));
      this.prevCpu.set(index, cur);
      if (index < 0) cpu = share;
      else {
        // An offline CPU has no line: keep core indexes aligned with CPU numbers.
        while (cores.length < index) cores.push(idleShare());
        cores[index] = share;
      }
    }
    return { cpu, cores };
  }

  /** From the /proc/stat text readCpu just read (no second read). */
  private readTasks(): SystemSample['tasks'] {
    const text = this.stat.text();
    const r = /\nprocs_running (\d+)/.exec(text);
    const b = /\nprocs_blocked (\d+)/.exec(text);
    return r && b ? { running: Number(r[1]), blocked: Number(b[1]) } : undefined;
  }

  private readPressure(): SystemSample['pressure'] {
    if (!this.hasPressure) return undefined;
    const shares: PressureShare[] = [];
    for (const f of this.pressure) {
      const share = f.read() > 0 ? parsePressure(f.text()) : undefined;
      if (!share) {
        this.hasPressure = false;
        for (const p of this.pressure) p.close();
        return undefined;
      }
      shares.push(share);
    }
    return { cpu: shares[0]!, memory: shares[1]!, io: shares[2]! };
  }

  private readLoad(): [number, number, number] {
    if (this.loadavg.read() <= 0) return [0, 0, 0];
    const p = this.loadavg.text().split(' ');
    return [Number(p[0]) || 0, Number(p[1]) || 0, Number(p[2]) || 0];
  }

  private readMemory(): Pick<SystemSample, 'mem' | 'swap'> {
    const kb = new Map<string, number>();
    if (this.meminfo.read() > 0) {
      for (const line of this.meminfo.text().split('\n')) {
        const colon = line.indexOf(':');
        if (colon > 0) kb.set(line.slice(0, colon), parseInt(line.slice(colon + 1), 10) || 0);
      }
    }
    const get = (k: string): number => (kb.get(k) ?? 0) * 1024;
    const total = get('MemTotal');
    // MemAvailable exists since Linux 3.14; before it, free + page cache is the usual estimate.
    const available = kb.has('MemAvailable') ? get('MemAvailable') : get('MemFree') + get('Buffers') + get('Cached');
    const swapTotal = get('SwapTotal');
    return {
      mem: {
        totalBytes: total,
        usedBytes: Math.max(0, total - available),
        availableBytes: available,
        // What `free` calls buff/cache.
        cachedBytes: get('Buffers') + get('Cached') + get('SReclaimable'),
      },
      swap: { totalBytes: swapTotal, usedBytes: Math.max(0, swapTotal - get('SwapFree')) },
    };
  }

  private readDisk(dt: number): SystemSample['disk'] {
    let read = 0;
    let written = 0;
    const next = new Map<string, [number, number]>();
    if (this.diskstats.read() > 0) {
      for (const line of this.diskstats.text().split('\n')) {
        const p = line.trim().split(/\s+/);
        if (p.length < 10 || !this.isWholeDisk(p[2]!)) continue;
        const cur: [number, number] = [Number(p[5]) * SECTOR_BYTES, Number(p[9]) * SECTOR_BYTES];
        const prev = this.prevDisk.get(p[2]!);
        // A counter going back means the device was replaced: no rate for it this time.
        if (prev && cur[0] >= prev[0] && cur[1] >= prev[1]) {
          read += cur[0] - prev[0];
          written += cur[1] - prev[1];
        }
        next.set(p[2]!, cur);
      }
    }
    this.prevDisk = next;
    return dt > 0 ? { readBps: Math.round((read * 1000) / dt), writeBps: Math.round((written * 1000) / dt) } : { readBps: 0, writeBps: 0 };
  }

  /** A disk, not a partition, loop, ram, zram, device-mapper or md device (those would count twice). */
  private isWholeDisk(name: string): boolean {
    let known = this.wholeDisk.get(name);
    if (known !== undefined) return known;
    if (this.hasSysBlock === undefined) {
      try {
        readdirSync(`${this.sysRoot}/block`);
        this.hasSysBlock = true;
      } catch {
        this.hasSysBlock = false;
      }
    }
    if (this.hasSysBlock) {
      try {
        known = !readlinkSync(`${this.sysRoot}/block/${name.replaceAll('/', '!')}`).includes('/virtual/');
      } catch (err) {
        // EINVAL: a directory rather than a link (old sysfs layouts) — still a whole disk.
        known = (err as NodeJS.ErrnoException).code === 'EINVAL';
      }
    } else {
      known = !/^(loop|ram|zram|dm-|md|sr|fd|nbd)/.test(name) && !/^(sd[a-z]+|hd[a-z]+|vd[a-z]+|xvd[a-z]+)\d+$|p\d+$/.test(name);
    }
    this.wholeDisk.set(name, known);
    return known;
  }

  private readNet(dt: number): SystemSample['net'] {
    const interfaces: InterfaceRate[] = [];
    let rxTotal = 0;
    let txTotal = 0;
    const next = new Map<string, [number, number]>();
    if (this.netdev.read() > 0) {
      for (const line of this.netdev.text().split('\n')) {
        const colon = line.indexOf(':');
        if (colon < 0) continue;
        const name = line.slice(0, colon).trim();
        if (name === 'lo' || name === '') continue;
        const p = line
          .slice(colon + 1)
          .trim()
          .split(/\s+/);
        if (p.length < 9) continue;
        const cur: [number, number] = [Number(p[0]), Number(p[8])];
        const prev = this.prevNet.get(name);
        next.set(name, cur);
        let rxBps = 0;
        let txBps = 0;
        if (prev && dt > 0) {
          rxBps = cur[0] >= prev[0] ? Math.round(((cur[0] - prev[0]) * 1000) / dt) : 0;
          txBps = cur[1] >= prev[1] ? Math.round(((cur[1] - prev[1]) * 1000) / dt) : 0;
        }
        rxTotal += rxBps;
        txTotal += txBps;
        interfaces.push({ name, rxBps, txBps });
      }
    }
    this.prevNet = next;
    return { rxBps: rxTotal, txBps: txTotal, interfaces };
  }
}

function idleShare(): CpuShare {
  return { total: 0, user: 0, system: 0, iowait: 0, steal: 0, idle: 100 };
}

/** Shares of the time that passed between two readings of one cpu line (since boot without `prev`). */
function cpuShare(cur: number[], prev: number[] | undefined): CpuShare {
  const d = new Array<number>(CPU_FIELDS);
  let sum = 0;
  for (let i = 0; i < CPU_FIELDS; i++) {
    // Counters can step back when a CPU goes offline and on again.
    d[i] = Math.max(0, cur[i]! - (prev?.[i] ?? 0));
    sum += d[i]!;
  }
  if (sum === 0) return idleShare();
  const pct = (v: number): number => Math.round((v * 10_000) / sum) / 100;
  const idle = pct(d[3]!);
  return {
    // Everything not idle: includes iowait and steal, which is why user + system may be less.
    total: Math.round((100 - idle) * 100) / 100,
    user: pct(d[0]! + d[1]!),
    system: pct(d[2]! + d[5]! + d[6]!),
    iowait: pct(d[4]!),
    steal: pct(d[7]!),
    idle,
  };
}

/** `some avg10=1.23 avg60=… total=…` and, since Linux 5.13 for cpu, a `full …` line. */
export function parsePressure(text: string): PressureShare | undefined {
  const some = /^some avg10=([\d.]+)/m.exec(text);
  if (!some) return undefined;
  const full = /^full avg10=([\d.]+)/m.exec(text);
  return full ? { some: Number(some[1]), full: Number(full[1]) } : { some: Number(some[1]) };
}

// System-wide sampling through systeminformation, for macOS and Windows. Rates come from
// systeminformation's own previous-call bookkeeping, so the first sample reports 0 for them; it has no
// iowait share (reported as 0) and no load average on Windows (os.loadavg gives zeros there).
//
// CPU shares come from os.cpus() (the per-core times systeminformation's currentLoad() reads on macOS
// and Windows too), in-process on every platform: on Linux currentLoad() spawns `cat /proc/stat`.
// Network and disk throughput spawn helpers everywhere (`netstat`, `ioreg`, `lsblk`, a `cat` per
// interface): they are read every IO_REFRESH_MS, and their rates, averaged over that span by
// systeminformation, are reported until the next read.

import { cpus, loadavg, type CpuInfo } from 'node:os';
import { systeminformation } from './systeminformation';
import type { CpuShare, FilesystemUsage, Millis, SystemSample, SystemSampler } from '../../types';
import { FILESYSTEM_REFRESH_MS } from '../linux/filesystems';

const PSEUDO_FS = /^(tmpfs|devtmpfs|overlay|squashfs|proc|sysfs|devfs|autofs|nullfs)$/i;

/** How often the network and disk rates (which spawn helpers) are read again. */
export const IO_REFRESH_MS = 30_000;

type Io = Pick<SystemSample, 'disk' | 'net'>;

export class FallbackSystemSampler implements SystemSampler {
  private filesystems: FilesystemUsage[] = [];
  private filesystemsAt = Number.NEGATIVE_INFINITY;
  private io: Io = { disk: { readBps: 0, writeBps: 0 }, net: { rxBps: 0, txBps: 0, interfaces: [] } };
  private ioAt = Number.NEGATIVE_INFINITY;
  private lastCpus: CpuInfo[] | undefined;

  async sample(now: Millis): Promise<SystemSample> {
    const si = await systeminformation();
    const [mem, io, fs] = await Promise.all([si.mem(), this.readIo(now), this.readFilesystems(now)]);
    const [cpu, cores] = this.cpuShares();
    const total = mem.total;
    const available = mem.available;
    return {
      t: now,
      cpu,
      cores,
      load: loadavg().slice(0, 3) as [number, number, number],
      mem: { totalBytes: total, usedBytes: Math.max(0, total - available), availableBytes: available, cachedBytes: mem.buffcache },
      swap: { totalBytes: mem.swaptotal, usedBytes: mem.swapused },
      ...io,
      filesystems: fs,
    };
  }

  dispose(): void {
    this.filesystems = [];
  }

  /** Machine and per-core shares since the previous sample (since boot at the first). */
  private cpuShares(): [CpuShare, CpuShare[]] {
    const now = cpus();
    const before = this.lastCpus;
    this.lastCpus = now;
    const cores = now.map((c, i) => {
      const b = before?.[i]?.times;
      const d = (k: keyof CpuInfo['times']): number => Math.max(0, c.times[k] - (b?.[k] ?? 0));
      return { user: d('user') + d('nice'), system: d('sys') + d('irq'), idle: d('idle') };
    });
    const sum = cores.reduce((a, c) => ({ user: a.user + c.user, system: a.system + c.system, idle: a.idle + c.idle }), {
      user: 0,
      system: 0,
      idle: 0,
    });
    return [fromTimes(sum), cores.map(fromTimes)];
  }

  private async readIo(now: Millis): Promise<Io> {
    if (now - this.ioAt < IO_REFRESH_MS && now >= this.ioAt) return this.io;
    this.ioAt = now;
    const si = await systeminformation();
    const [net, disk] = await Promise.all([
      si.networkStats('*').catch(() => []),
      // fsStats gives bytes (disksIO only counts operations); it is null where unsupported (Windows).
      si.fsStats().catch(() => null),
    ]);
    const interfaces = net
      .filter((n) => !/^lo\d*$/i.test(n.iface) && !/loopback/i.test(n.iface))
      .map((n) => ({ name: n.iface, rxBps: rate(n.rx_sec), txBps: rate(n.tx_sec) }));
    this.io = {
      disk: { readBps: rate(disk?.rx_sec), writeBps: rate(disk?.wx_sec) },
      net: {
        rxBps: interfaces.reduce((s, i) => s + i.rxBps, 0),
        txBps: interfaces.reduce((s, i) => s + i.txBps, 0),
        interfaces,
      },
    };
    return this.io;
  }

  private async readFilesystems(now: Millis): Promise<FilesystemUsage[]> {
    if (now - this.filesystemsAt < FILESYSTEM_REFRESH_MS && now >= this.filesystemsAt) return this.filesystems;
    this.filesystemsAt = now;
    try {
      const si = await systeminformation();
      const list = await si.fsSize();
      const seen = new Set<string>();
      this.filesystems = list
        .filter((f) => f.size > 0 && (f.mount === '/' || !PSEUDO_FS.test(f.type)))
        .filter((f) => (seen.has(f.fs) ? false : (seen.add(f.fs), true)))
        .map((f) => ({ mount: f.mount, fstype: f.type, sizeBytes: f.size, usedBytes: f.used }));
    } catch {
      // keep the last list
    }
    return this.filesystems;
  }
}

function fromTimes(t: { user: number; system: number; idle: number }): CpuShare {
  const all = t.user + t.system + t.idle;
  return all > 0 ? share((t.user / all) * 100, (t.system / all) * 100, (t.idle / all) * 100) : share(0, 0, 100);
}

function share(user: number, system: number, idle: number): CpuShare {
  const r = (v: number): number => Math.round((Number(v) || 0) * 100) / 100;
  const id = r(idle);
  return { total: r(100 - id), user: r(user), system: r(system), iowait: 0, idle: id };
}

function rate(v: number | null | undefined): number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.round(v) : 0;
}

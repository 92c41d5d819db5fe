// System-wide sampling through systeminformation, for macOS and Windows. Rates come from
// systeminformation's own previous-call bookkeeping, so the first sample reports 0 for them; it has no
// iowait share (reported as 0) and no load average on Windows (os.loadavg gives zeros there).

import { loadavg } from 'node:os';
import { systeminformation } from './systeminformation';
import type { CpuShare, FilesystemUsage, Millis, SystemSample, SystemSampler } from '../../types';
import { FILESYSTEM_REFRESH_MS } from '../linux/filesystems';

const PSEUDO_FS = /^(tmpfs|devtmpfs|overlay|squashfs|proc|sysfs|devfs|autofs|nullfs)$/i;

export class FallbackSystemSampler implements SystemSampler {
  private filesystems: FilesystemUsage[] = [];
  private filesystemsAt = Number.NEGATIVE_INFINITY;

  async sample(now: Millis): Promise<SystemSample> {
    const si = await systeminformation();
    const [load, mem, net, disk, fs] = await Promise.all([
      si.currentLoad(),
      si.mem(),
      si.networkStats('*').catch(() => []),
      // fsStats gives bytes (disksIO only counts operations); it is null where unsupported (Windows).
      si.fsStats().catch(() => null),
      this.readFilesystems(now),
    ]);
    const interfaces = net
      .filter((n) => !/^lo\d*$/i.test(n.iface) && !/loopback/i.test(n.iface))
      .map((n) => ({ name: n.iface, rxBps: rate(n.rx_sec), txBps: rate(n.tx_sec) }));
    const total = mem.total;
    const available = mem.available;
    return {
      t: now,
      cpu: share(load.currentLoadUser + load.currentLoadNice, load.currentLoadSystem + load.currentLoadIrq, load.currentLoadIdle),
      cores: load.cpus.map((c) => share(c.loadUser + c.loadNice, c.loadSystem + c.loadIrq, c.loadIdle)),
      load: loadavg().slice(0, 3) as [number, number, number],
      mem: { totalBytes: total, usedBytes: Math.max(0, total - available), availableBytes: available, cachedBytes: mem.buffcache },
      swap: { totalBytes: mem.swaptotal, usedBytes: mem.swapused },
      disk: { readBps: rate(disk?.rx_sec), writeBps: rate(disk?.wx_sec) },
      net: {
        rxBps: interfaces.reduce((s, i) => s + i.rxBps, 0),
        txBps: interfaces.reduce((s, i) => s + i.txBps, 0),
        interfaces,
      },
      filesystems: fs,
    };
  }

  dispose(): void {
    this.filesystems = [];
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

function share(user: number, system: number, idle: number): CpuShare {
  const r = (v: number): number => Math.round((Number(v) || 0) * 100) / 100;
  const id = r(idle);
  return { total: r(100 - id), user: r(user), system: r(system), iowait: 0, idle: id };
}

function rate(v: number | null | undefined): number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.round(v) : 0;
}

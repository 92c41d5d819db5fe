// Turns the stream of snapshots into what a Prometheus scrape needs: running totals (counters) where
// a snapshot only holds shares or rates of its interval, and processes grouped by name with a cap.
//
// Why running totals: the samplers already subtract /proc's cumulative counters (CPU ticks, disk
// sectors, network bytes) and hand over shares and rates of the last interval. Summing share × Δt
// here gives counters that only ever grow from the recorder's start (a restart is a counter reset,
// which rate() handles), without a second reader of /proc or a change to the snapshot's shape.
//
// Why a group's CPU counter starts when it is shown: the top N changes over time. Each interval's
// CPU goes either to a shown group's counter or to `other`'s, never both, so every counter is
// monotonic — `other` included — and a group that drops out of the top N simply goes stale.
import type { ProcessSample, Snapshot } from '../types';

/** CPU modes exposed per cpu; user includes nice, system includes irq and softirq, steal is the rest of busy time. */
export const CPU_MODES = ['user', 'system', 'iowait', 'idle', 'steal'] as const;

export const OTHER_GROUP = 'other';

export interface GroupRow {
  name: string;
  cpuSecondsTotal: number;
  rssBytes: number;
  processes: number;
}

export interface Counters {
  /** Per cpu label ('0', '1', …): seconds per mode, in CPU_MODES order. */
  cpuSeconds: Map<string, number[]>;
  diskReadBytes: number;
  diskWrittenBytes: number;
  /** Per device: [received, sent] bytes. */
  network: Map<string, [number, number]>;
}

export class MetricsAccumulator {
  private prevT: number | undefined;
  readonly counters: Counters = { cpuSeconds: new Map(), diskReadBytes: 0, diskWrittenBytes: 0, network: new Map() };
  private groupCpu = new Map<string, number>();
  private otherCpu = 0;

  /** topGroups: groups kept by CPU and by memory each; the rest are summed into `other`. */
  constructor(private readonly topGroups: number) {}

  /** Adds one snapshot's interval and returns the groups to expose, busiest CPU first, `other` last. */
  add(snapshot: Snapshot): GroupRow[] {
    const dtSeconds = this.prevT === undefined || snapshot.t <= this.prevT ? 0 : (snapshot.t - this.prevT) / 1000;
    this.prevT = snapshot.t;
    const s = snapshot.system;
    const c = this.counters;
    s.cores.forEach((core, i) => {
      const key = String(i);
      const totals = c.cpuSeconds.get(key) ?? CPU_MODES.map(() => 0);
      // Shares come rounded to 0.01: so is their remainder, or float noise would show as steal.
      const steal = Math.max(0, Math.round((core.total - core.user - core.system - core.iowait) * 100) / 100);
      const shares = [core.user, core.system, core.iowait, core.idle, steal];
      for (let m = 0; m < shares.length; m++) totals[m]! += (shares[m]! / 100) * dtSeconds;
      c.cpuSeconds.set(key, totals);
    });
    c.diskReadBytes += s.disk.readBps * dtSeconds;
    c.diskWrittenBytes += s.disk.writeBps * dtSeconds;
    for (const i of s.net.interfaces) {
      const totals = c.network.get(i.name) ?? [0, 0];
      totals[0] += i.rxBps * dtSeconds;
      totals[1] += i.txBps * dtSeconds;
      c.network.set(i.name, totals);
    }
    return this.groups(snapshot.processes, dtSeconds);
  }

  private groups(processes: ProcessSample[], dtSeconds: number): GroupRow[] {
    const byName = new Map<string, { cpu: number; rss: number; n: number }>();
    for (const p of processes) {
      // A process really named "other" is counted in the `other` group rather than beside it.
      const g = byName.get(p.name) ?? { cpu: 0, rss: 0, n: 0 };
      g.cpu += p.cpu;
      g.rss += p.rssBytes;
      g.n++;
      byName.set(p.name, g);
    }
    const all = [...byName].filter(([name]) => name !== OTHER_GROUP);
    const byCpu = [...all].sort((a, b) => b[1].cpu - a[1].cpu || (a[0] < b[0] ? -1 : 1));
    const byRss = [...all].sort((a, b) => b[1].rss - a[1].rss || (a[0] < b[0] ? -1 : 1));
    const shown = new Set([...byCpu.slice(0, this.topGroups), ...byRss.slice(0, this.topGroups)].map(([name]) => name));

    const rows: GroupRow[] = [];
    const other = { name: OTHER_GROUP, cpuSecondsTotal: 0, rssBytes: 0, processes: 0 };
    const nextCpu = new Map<string, number>();
    for (const [name, g] of byCpu.concat(byName.has(OTHER_GROUP) ? [[OTHER_GROUP, byName.get(OTHER_GROUP)!]] : [])) {
      const seconds = (g.cpu / 100) * dtSeconds;
      if (shown.has(name)) {
        const total = (this.groupCpu.get(name) ?? 0) + seconds;
        nextCpu.set(name, total);
        rows.push({ name, cpuSecondsTotal: total, rssBytes: g.rss, processes: g.n });
      } else {
        this.otherCpu += seconds;
        other.rssBytes += g.rss;
        other.processes += g.n;
      }
    }
    // Groups no longer shown lose their counter: shown again later, they start from 0 (a reset).
    this.groupCpu = nextCpu;
    other.cpuSecondsTotal = this.otherCpu;
    rows.push(other);
    return rows;
  }
}

// Rollups: a finished minute of raw frames becomes one 1-minute frame, a finished hour of minute
// frames one 1-hour frame. System metrics keep min/max/avg. Processes keep the top N by average CPU
// and the top N by peak memory; the rest are summed into the "other" entry (procId 0), so a
// rollup's size does not grow with the number of processes. VS Code's own processes (those with a
// role) keep up to N/2 more places beside those, busiest first, so what an extension cost survives
// into the rollups even when other programs were busier (queries/loadByGroup.ts reads it there).
//
// Averages are over the bucket's intervals (a process present half the minute at 50 % averages
// 25 %), so the processes of a bucket add up to the machine's total.
import {
  encodeProcAgg,
  encodeSysAgg,
  forEachProcAgg,
  forEachProcRaw,
  forEachSysAgg,
  forEachSysRaw,
  OTHER_PROC_ID,
  type ProcAgg,
  type SysAgg,
} from './frames';
import type { Database } from './sqljs';
import { eachFrame } from './frameRows';
import type { FrameTable } from './schema';

export const MINUTE = 60_000;
export const HOUR = 3_600_000;

interface ProcAcc {
  cpuSum: number;
  cpuMax: number;
  rssSum: number;
  rssMax: number;
  samples: number;
  lastT: number;
}

export interface RollupResult {
  /** Every process seen in the bucket with the last time it was seen (to refresh `last_seen`). */
  seen: Map<number, number>;
  /** Processes kept by name in the rollup (the rest went into "other"). */
  kept: number[];
}

function rows(db: Database, table: FrameTable, from: number, to: number): { t: number; n: number; v: Uint8Array }[] {
  const out: { t: number; n: number; v: Uint8Array }[] = [];
  eachFrame(db, { table, from, to }, (t, n, v) => out.push({ t, n, v: v.slice() }));
  return out;
}

function sysAggregate(frames: { n: number; v: Uint8Array }[], raw: boolean): SysAgg[] {
  const acc = new Map<number, { sum: number; weight: number; min: number; max: number }>();
  const add = (id: number, avg: number, min: number, max: number, w: number): void => {
    const a = acc.get(id);
    if (!a) acc.set(id, { sum: avg * w, weight: w, min, max });
    else {
      a.sum += avg * w;
      a.weight += w;
      if (min < a.min) a.min = min;
      if (max > a.max) a.max = max;
    }
  };
  for (const f of frames) {
    if (raw) forEachSysRaw(f.v, (id, value) => add(id, value, value, value, 1));
    else forEachSysAgg(f.v, (id, avg, min, max) => add(id, avg, min, max, f.n));
  }
  return [...acc].map(([id, a]) => ({ id, avg: a.sum / a.weight, min: a.min, max: a.max }));
}

function topIds(acc: Map<number, ProcAcc>, n: number, vscode: ReadonlySet<number>): Set<number> {
  const ids = [...acc.keys()].filter((id) => id !== OTHER_PROC_ID);
  const byCpu = [...ids].sort((a, b) => acc.get(b)!.cpuSum - acc.get(a)!.cpuSum || a - b).slice(0, n);
  const byMem = [...ids].sort((a, b) => acc.get(b)!.rssMax - acc.get(a)!.rssMax || a - b).slice(0, n);
  const keep = new Set([...byCpu, ...byMem]);
  const extra = ids
    .filter((id) => vscode.has(id) && !keep.has(id))
    .sort((a, b) => acc.get(b)!.cpuSum - acc.get(a)!.cpuSum || acc.get(b)!.rssMax - acc.get(a)!.rssMax || a - b)
    .slice(0, Math.floor(n / 2));
  for (const id of extra) keep.add(id);
  return keep;
}

const NONE: ReadonlySet<number> = new Set();

function toAgg(id: number, a: ProcAcc, intervals: number): ProcAgg {
  return { id, cpuAvg: a.cpuSum / intervals, cpuMax: a.cpuMax, rssAvgKiB: a.rssSum / intervals, rssMaxKiB: a.rssMax, samples: a.samples };
}

/** Rolls raw frames of [start, start + MINUTE) into sys_1m / proc_1m. Returns undefined if there were none. */
export function rollupMinute(db: Database, start: number, topN: number, vscode: ReadonlySet<number> = NONE): RollupResult | undefined {
  const end = start + MINUTE;
  const sys = rows(db, 'sys_raw', start, end);
  const proc = rows(db, 'proc_raw', start, end);
  if (sys.length === 0 && proc.length === 0) return undefined;
  const seen = new Map<number, number>();
  const acc = new Map<number, ProcAcc>();
  for (const f of proc) {
    forEachProcRaw(f.v, (id, cpu, rss) => {
      seen.set(id, f.t);
      const a = acc.get(id);
      if (!a) acc.set(id, { cpuSum: cpu, cpuMax: cpu, rssSum: rss, rssMax: rss, samples: 1, lastT: f.t });
      else {
        a.cpuSum += cpu;
        a.rssSum += rss;
        if (cpu > a.cpuMax) a.cpuMax = cpu;
        if (rss > a.rssMax) a.rssMax = rss;
        a.samples++;
        a.lastT = f.t;
      }
    });
  }
  const keep = topIds(acc, topN, vscode);
  // "other" is summed per interval first, so its max is the true peak of everything else together.
  const other: ProcAcc = { cpuSum: 0, cpuMax: 0, rssSum: 0, rssMax: 0, samples: 0, lastT: start };
  for (const f of proc) {
    let cpu = 0;
    let rss = 0;
    forEachProcRaw(f.v, (id, c, r) => {
      if (!keep.has(id)) {
        cpu += c;
        rss += r;
      }
    });
    other.cpuSum += cpu;
    other.rssSum += rss;
    if (cpu > other.cpuMax) other.cpuMax = cpu;
    if (rss > other.rssMax) other.rssMax = rss;
  }
  other.samples = Math.max(0, acc.size - keep.size);
  const intervals = Math.max(1, proc.length);
  const aggs = [...keep].map((id) => toAgg(id, acc.get(id)!, intervals));
  if (other.samples > 0) aggs.push(toAgg(OTHER_PROC_ID, other, intervals));

  if (sys.length > 0)
    db.run('INSERT OR REPLACE INTO sys_1m(t, n, v) VALUES (?, ?, ?)', [start, sys.length, encodeSysAgg(sysAggregate(sys, true))]);
  if (proc.length > 0) db.run('INSERT OR REPLACE INTO proc_1m(t, n, v) VALUES (?, ?, ?)', [start, proc.length, encodeProcAgg(aggs)]);
  return { seen, kept: [...keep] };
}

/** Rolls minute frames of [start, start + HOUR) into sys_1h / proc_1h. */
export function rollupHour(db: Database, start: number, topN: number, vscode: ReadonlySet<number> = NONE): RollupResult | undefined {
  const end = start + HOUR;
  const sys = rows(db, 'sys_1m', start, end);
  const proc = rows(db, 'proc_1m', start, end);
  if (sys.length === 0 && proc.length === 0) return undefined;
  const intervals = proc.reduce((n, f) => n + f.n, 0) || 1;
  const acc = new Map<number, ProcAcc>();
  const seen = new Map<number, number>();
  for (const f of proc) {
    forEachProcAgg(f.v, (id, cpuAvg, cpuMax, rssAvg, rssMax, samples) => {
      if (id !== OTHER_PROC_ID) seen.set(id, f.t);
      const a = acc.get(id);
      if (!a) acc.set(id, { cpuSum: cpuAvg * f.n, cpuMax, rssSum: rssAvg * f.n, rssMax, samples, lastT: f.t });
      else {
        a.cpuSum += cpuAvg * f.n;
        a.rssSum += rssAvg * f.n;
        if (cpuMax > a.cpuMax) a.cpuMax = cpuMax;
        if (rssMax > a.rssMax) a.rssMax = rssMax;
        a.samples += samples;
        a.lastT = f.t;
      }
    });
  }
  const keep = topIds(acc, topN, vscode);
  const other: ProcAcc = acc.get(OTHER_PROC_ID) ?? { cpuSum: 0, cpuMax: 0, rssSum: 0, rssMax: 0, samples: 0, lastT: start };
  // Folded processes add to "other"'s sums; its max stays a lower bound (the minute peaks are not
  // simultaneous in general), which the docs say.
  for (const [id, a] of acc) {
    if (id === OTHER_PROC_ID || keep.has(id)) continue;
    other.cpuSum += a.cpuSum;
    other.rssSum += a.rssSum;
    other.cpuMax = Math.max(other.cpuMax, a.cpuMax);
    other.rssMax = Math.max(other.rssMax, a.rssMax);
    other.samples += 1;
  }
  const aggs = [...keep].map((id) => toAgg(id, acc.get(id)!, intervals));
  if (other.samples > 0 || acc.has(OTHER_PROC_ID)) aggs.push(toAgg(OTHER_PROC_ID, other, intervals));
  const sysN = sys.reduce((n, f) => n + f.n, 0);
  if (sys.length > 0)
    db.run('INSERT OR REPLACE INTO sys_1h(t, n, v) VALUES (?, ?, ?)', [start, sysN, encodeSysAgg(sysAggregate(sys, false))]);
  if (proc.length > 0) db.run('INSERT OR REPLACE INTO proc_1h(t, n, v) VALUES (?, ?, ?)', [start, intervals, encodeProcAgg(aggs)]);
  return { seen, kept: [...keep] };
}

// Rollups: a finished minute of raw frames becomes one 1-minute frame, a finished hour of minute
// frames one 1-hour frame. System metrics keep min/max/avg. Processes keep the top N by average CPU,
// the top N by peak memory and the top ⌈N/3⌉ by disk I/O (so the process behind a disk spike
// survives rollup even when it used little CPU); the rest are summed into the "other" entry
// (procId 0), so a rollup's size does not grow with the number of processes. VS Code's own
// processes (those with a role) keep up to N/2 more places beside those, busiest first, so what an
// extension cost survives into the rollups even when other programs were busier
// (queries/loadByGroup.ts reads it there). The extras column (procExtras.ts) keeps bytes read and
// written over the bucket, peak per-interval rates, the average CPU of finished children and the
// last state seen.
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
import { encodeExtrasAgg, ExtrasReader, type ProcExtraAgg } from './procExtras';
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
  /** Extras: NaN while nothing known was added (unknown stays unknown, never 0). */
  readSum: number;
  writeSum: number;
  readPeak: number;
  writePeak: number;
  childSum: number;
  state: number;
}

function newAcc(lastT: number): ProcAcc {
  return {
    cpuSum: 0,
    cpuMax: 0,
    rssSum: 0,
    rssMax: 0,
    samples: 0,
    lastT,
    readSum: NaN,
    writeSum: NaN,
    readPeak: NaN,
    writePeak: NaN,
    childSum: NaN,
    state: 0,
  };
}

/** a + b where NaN means "nothing known": unknown only while both are. */
const addKnown = (a: number, b: number): number => (Number.isNaN(a) ? b : Number.isNaN(b) ? a : a + b);
const maxKnown = (a: number, b: number): number => (Number.isNaN(a) ? b : Number.isNaN(b) ? a : Math.max(a, b));

/** Adds one entry's extras (raw: one interval of `seconds`; rollup: a bucket of `weight` intervals). */
function addExtras(a: ProcAcc, e: ProcExtraAgg, weight: number, seconds: number): void {
  a.readSum = addKnown(a.readSum, e.readBytes);
  a.writeSum = addKnown(a.writeSum, e.writeBytes);
  const readRate = Number.isNaN(e.readPeakBps) ? e.readBytes / seconds : e.readPeakBps;
  const writeRate = Number.isNaN(e.writePeakBps) ? e.writeBytes / seconds : e.writePeakBps;
  a.readPeak = maxKnown(a.readPeak, readRate);
  a.writePeak = maxKnown(a.writePeak, writeRate);
  a.childSum = addKnown(a.childSum, e.childCpu * weight);
  if (e.state !== 0) a.state = e.state;
}

const ioBytes = (a: ProcAcc): number => (Number.isNaN(a.readSum) ? 0 : a.readSum) + (Number.isNaN(a.writeSum) ? 0 : a.writeSum);

export interface RollupResult {
  /** Every process seen in the bucket with the last time it was seen (to refresh `last_seen`). */
  seen: Map<number, number>;
  /** Processes kept by name in the rollup (the rest went into "other"). */
  kept: number[];
}

interface Row {
  t: number;
  n: number;
  v: Uint8Array;
  x: Uint8Array | null;
}

function rows(db: Database, table: FrameTable, from: number, to: number): Row[] {
  const out: Row[] = [];
  const extras = table.startsWith('proc_');
  eachFrame(db, { table, from, to, extras }, (t, n, v, x) => out.push({ t, n, v: v.slice(), x: x ? x.slice() : null }));
  return out;
}

/**
 * Seconds each raw frame covers (its gap to the frame before, which may be in the previous bucket):
 * a raw entry's peak rate is its bytes over that. The first frame ever gets its successor's gap.
 */
function rawSeconds(db: Database, frames: Row[], start: number): number[] {
  const before = db.exec('SELECT max(t) FROM proc_raw WHERE t < ?', [start])[0]?.values[0]?.[0];
  let prev = typeof before === 'number' ? before : NaN;
  const out = frames.map((f) => {
    const s = (f.t - prev) / 1000;
    prev = f.t;
    return s;
  });
  const fill = out.find((s) => Number.isFinite(s) && s > 0) ?? 2;
  return out.map((s) => (Number.isFinite(s) && s > 0 ? s : fill));
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
  const byIo = ids
    .filter((id) => ioBytes(acc.get(id)!) > 0)
    .sort((a, b) => ioBytes(acc.get(b)!) - ioBytes(acc.get(a)!) || a - b)
    .slice(0, Math.ceil(n / 3));
  const keep = new Set([...byCpu, ...byMem, ...byIo]);
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

function toExtra(a: ProcAcc, intervals: number): ProcExtraAgg {
  return {
    state: a.state,
    readBytes: a.readSum,
    writeBytes: a.writeSum,
    readPeakBps: a.readPeak,
    writePeakBps: a.writePeak,
    childCpu: a.childSum / intervals,
  };
}

/** v and x of a rollup frame, x's entries in v's (sorted) order. */
function encodeBucket(entries: [id: number, a: ProcAcc][], intervals: number): [Uint8Array, Uint8Array] {
  entries.sort((p, q) => p[0] - q[0]);
  return [encodeProcAgg(entries.map(([id, a]) => toAgg(id, a, intervals))), encodeExtrasAgg(entries.map(([, a]) => toExtra(a, intervals)))];
}

/** Rolls raw frames of [start, start + MINUTE) into sys_1m / proc_1m. Returns undefined if there were none. */
export function rollupMinute(db: Database, start: number, topN: number, vscode: ReadonlySet<number> = NONE): RollupResult | undefined {
  const end = start + MINUTE;
  const sys = rows(db, 'sys_raw', start, end);
  const proc = rows(db, 'proc_raw', start, end);
  if (sys.length === 0 && proc.length === 0) return undefined;
  const seen = new Map<number, number>();
  const acc = new Map<number, ProcAcc>();
  const seconds = rawSeconds(db, proc, start);
  proc.forEach((f, fi) => {
    const x = new ExtrasReader(f.x, false);
    let i = 0;
    forEachProcRaw(f.v, (id, cpu, rss) => {
      seen.set(id, f.t);
      let a = acc.get(id);
      if (!a) acc.set(id, (a = newAcc(f.t)));
      a.cpuSum += cpu;
      a.rssSum += rss;
      if (cpu > a.cpuMax) a.cpuMax = cpu;
      if (rss > a.rssMax) a.rssMax = rss;
      a.samples++;
      a.lastT = f.t;
      addExtras(a, x.entry(i++), 1, seconds[fi]!);
    });
  });
  const keep = topIds(acc, topN, vscode);
  // "other" is summed per interval first, so its max is the true peak of everything else together.
  const other = newAcc(start);
  proc.forEach((f, fi) => {
    const x = new ExtrasReader(f.x, false);
    const sum = newAcc(f.t);
    let i = 0;
    forEachProcRaw(f.v, (id, c, r) => {
      if (!keep.has(id)) {
        sum.cpuSum += c;
        sum.rssSum += r;
        addExtras(sum, x.entry(i), 1, seconds[fi]!);
      }
      i++;
    });
    other.cpuSum += sum.cpuSum;
    other.rssSum += sum.rssSum;
    if (sum.cpuSum > other.cpuMax) other.cpuMax = sum.cpuSum;
    if (sum.rssSum > other.rssMax) other.rssMax = sum.rssSum;
    other.readSum = addKnown(other.readSum, sum.readSum);
    other.writeSum = addKnown(other.writeSum, sum.writeSum);
    other.readPeak = maxKnown(other.readPeak, sum.readSum / seconds[fi]!);
    other.writePeak = maxKnown(other.writePeak, sum.writeSum / seconds[fi]!);
    other.childSum = addKnown(other.childSum, sum.childSum);
  });
  other.samples = Math.max(0, acc.size - keep.size);
  const intervals = Math.max(1, proc.length);
  const entries: [number, ProcAcc][] = [...keep].map((id) => [id, acc.get(id)!]);
  if (other.samples > 0) entries.push([OTHER_PROC_ID, other]);

  if (sys.length > 0)
    db.run('INSERT OR REPLACE INTO sys_1m(t, n, v) VALUES (?, ?, ?)', [start, sys.length, encodeSysAgg(sysAggregate(sys, true))]);
  if (proc.length > 0)
    db.run('INSERT OR REPLACE INTO proc_1m(t, n, v, x) VALUES (?, ?, ?, ?)', [start, proc.length, ...encodeBucket(entries, intervals)]);
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
    const x = new ExtrasReader(f.x, true);
    let i = 0;
    forEachProcAgg(f.v, (id, cpuAvg, cpuMax, rssAvg, rssMax, samples) => {
      if (id !== OTHER_PROC_ID) seen.set(id, f.t);
      let a = acc.get(id);
      if (!a) acc.set(id, (a = newAcc(f.t)));
      a.cpuSum += cpuAvg * f.n;
      a.rssSum += rssAvg * f.n;
      if (cpuMax > a.cpuMax) a.cpuMax = cpuMax;
      if (rssMax > a.rssMax) a.rssMax = rssMax;
      a.samples += samples;
      a.lastT = f.t;
      addExtras(a, x.entry(i++), f.n, MINUTE / 1000);
    });
  }
  const keep = topIds(acc, topN, vscode);
  const other: ProcAcc = acc.get(OTHER_PROC_ID) ?? newAcc(start);
  // Folded processes add to "other"'s sums; its max stays a lower bound (the minute peaks are not
  // simultaneous in general), which the docs say.
  for (const [id, a] of acc) {
    if (id === OTHER_PROC_ID || keep.has(id)) continue;
    other.cpuSum += a.cpuSum;
    other.rssSum += a.rssSum;
    other.cpuMax = Math.max(other.cpuMax, a.cpuMax);
    other.rssMax = Math.max(other.rssMax, a.rssMax);
    other.samples += 1;
    other.readSum = addKnown(other.readSum, a.readSum);
    other.writeSum = addKnown(other.writeSum, a.writeSum);
    other.readPeak = maxKnown(other.readPeak, a.readPeak);
    other.writePeak = maxKnown(other.writePeak, a.writePeak);
    other.childSum = addKnown(other.childSum, a.childSum);
  }
  const entries: [number, ProcAcc][] = [...keep].map((id) => [id, acc.get(id)!]);
  if (other.samples > 0 || acc.has(OTHER_PROC_ID)) entries.push([OTHER_PROC_ID, other]);
  const sysN = sys.reduce((n, f) => n + f.n, 0);
  if (sys.length > 0)
    db.run('INSERT OR REPLACE INTO sys_1h(t, n, v) VALUES (?, ?, ?)', [start, sysN, encodeSysAgg(sysAggregate(sys, false))]);
  if (proc.length > 0)
    db.run('INSERT OR REPLACE INTO proc_1h(t, n, v, x) VALUES (?, ?, ?, ?)', [start, intervals, ...encodeBucket(entries, intervals)]);
  return { seen, kept: [...keep] };
}

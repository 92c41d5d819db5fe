// Binary frames: one row per interval (or rollup bucket) per table, holding every metric or every
// process of that moment. One INSERT per interval instead of ~300 keeps the per-interval cost flat
// and the file small (~14 bytes per process sample instead of ~40–80 as rows with indexes); see
// docs/ARCHITECTURE.md for the measurements behind this choice.
//
// All little-endian. Entries are sorted by id so a reader can binary-search one process.
//   system raw      [u16 metricId][f32 value]                                  6 bytes each
//   system rollup   [u16 metricId][f32 avg][f32 min][f32 max]                 14 bytes each
//   process raw     [u32 procId][f32 cpu%][u32 rssKiB][u16 threads]           14 bytes each
//   process rollup  [u32 procId][f32 cpuAvg][f32 cpuMax][u32 rssAvgKiB][u32 rssMaxKiB][u16 samples]
//                                                                             22 bytes each
// procId 0 in a rollup is "other": the sum of every process not in that bucket's top N.
// Since schema 4 process frames have a second blob, x, with per-process extras (state, disk I/O,
// CPU of finished children) parallel to these entries: procExtras.ts.

export const OTHER_PROC_ID = 0;

export interface SysValue {
  id: number;
  value: number;
}
export interface SysAgg {
  id: number;
  avg: number;
  min: number;
  max: number;
}
export interface ProcValue {
  id: number;
  cpu: number;
  rssKiB: number;
  threads: number;
}
export interface ProcAgg {
  id: number;
  cpuAvg: number;
  cpuMax: number;
  rssAvgKiB: number;
  rssMaxKiB: number;
  samples: number;
}

export const SYS_RAW_SIZE = 6;
export const SYS_AGG_SIZE = 14;
export const PROC_RAW_SIZE = 14;
export const PROC_AGG_SIZE = 22;

const u32 = (n: number): number => Math.max(0, Math.min(0xffffffff, Math.round(n)));
const u16 = (n: number): number => Math.max(0, Math.min(0xffff, Math.round(n)));

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

export function encodeSysRaw(values: SysValue[]): Uint8Array {
  const sorted = [...values].sort((a, b) => a.id - b.id);
  const out = new Uint8Array(sorted.length * SYS_RAW_SIZE);
  const v = view(out);
  sorted.forEach((e, i) => {
    const o = i * SYS_RAW_SIZE;
    v.setUint16(o, e.id, true);
    v.setFloat32(o + 2, e.value, true);
  });
  return out;
}

export function encodeSysAgg(values: SysAgg[]): Uint8Array {
  const sorted = [...values].sort((a, b) => a.id - b.id);
  const out = new Uint8Array(sorted.length * SYS_AGG_SIZE);
  const v = view(out);
  sorted.forEach((e, i) => {
    const o = i * SYS_AGG_SIZE;
    v.setUint16(o, e.id, true);
    v.setFloat32(o + 2, e.avg, true);
    v.setFloat32(o + 6, e.min, true);
    v.setFloat32(o + 10, e.max, true);
  });
  return out;
}

export function encodeProcRaw(values: ProcValue[]): Uint8Array {
  const sorted = [...values].sort((a, b) => a.id - b.id);
  const out = new Uint8Array(sorted.length * PROC_RAW_SIZE);
  const v = view(out);
  sorted.forEach((e, i) => {
    const o = i * PROC_RAW_SIZE;
    v.setUint32(o, e.id, true);
    v.setFloat32(o + 4, e.cpu, true);
    v.setUint32(o + 8, u32(e.rssKiB), true);
    v.setUint16(o + 12, u16(e.threads), true);
  });
  return out;
}

export function encodeProcAgg(values: ProcAgg[]): Uint8Array {
  const sorted = [...values].sort((a, b) => a.id - b.id);
  const out = new Uint8Array(sorted.length * PROC_AGG_SIZE);
  const v = view(out);
  sorted.forEach((e, i) => {
    const o = i * PROC_AGG_SIZE;
    v.setUint32(o, e.id, true);
    v.setFloat32(o + 4, e.cpuAvg, true);
    v.setFloat32(o + 8, e.cpuMax, true);
    v.setUint32(o + 12, u32(e.rssAvgKiB), true);
    v.setUint32(o + 16, u32(e.rssMaxKiB), true);
    v.setUint16(o + 20, u16(e.samples), true);
  });
  return out;
}

/** Visits every entry without allocating objects (the hot path of every query). */
export function forEachSysRaw(b: Uint8Array, fn: (id: number, value: number) => void): void {
  const v = view(b);
  for (let o = 0; o + SYS_RAW_SIZE <= b.byteLength; o += SYS_RAW_SIZE) fn(v.getUint16(o, true), v.getFloat32(o + 2, true));
}

export function forEachSysAgg(b: Uint8Array, fn: (id: number, avg: number, min: number, max: number) => void): void {
  const v = view(b);
  for (let o = 0; o + SYS_AGG_SIZE <= b.byteLength; o += SYS_AGG_SIZE)
    fn(v.getUint16(o, true), v.getFloat32(o + 2, true), v.getFloat32(o + 6, true), v.getFloat32(o + 10, true));
}

export function forEachProcRaw(b: Uint8Array, fn: (id: number, cpu: number, rssKiB: number, threads: number) => void): void {
  const v = view(b);
  for (let o = 0; o + PROC_RAW_SIZE <= b.byteLength; o += PROC_RAW_SIZE)
    fn(v.getUint32(o, true), v.getFloat32(o + 4, true), v.getUint32(o + 8, true), v.getUint16(o + 12, true));
}

export function forEachProcAgg(
  b: Uint8Array,
  fn: (id: number, cpuAvg: number, cpuMax: number, rssAvgKiB: number, rssMaxKiB: number, samples: number) => void,
): void {
  const v = view(b);
  for (let o = 0; o + PROC_AGG_SIZE <= b.byteLength; o += PROC_AGG_SIZE)
    fn(
      v.getUint32(o, true),
      v.getFloat32(o + 4, true),
      v.getFloat32(o + 8, true),
      v.getUint32(o + 12, true),
      v.getUint32(o + 16, true),
      v.getUint16(o + 20, true),
    );
}

/**
 * Index of the entry with this id in a frame of fixed-size entries sorted by id (u16 for system
 * frames, u32 for process frames), or -1: a query that wants a few entries of each frame reads
 * those instead of visiting all of them.
 */
export function findEntry(v: DataView, entrySize: number, idBytes: 2 | 4, id: number): number {
  let lo = 0;
  let hi = Math.floor(v.byteLength / entrySize) - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const x = idBytes === 4 ? v.getUint32(mid * entrySize, true) : v.getUint16(mid * entrySize, true);
    if (x === id) return mid;
    if (x < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** A DataView over a frame's bytes (a view of SQLite's memory or a copy). */
export function frameView(b: Uint8Array): DataView {
  return view(b);
}

/** The largest metric id a raw system frame uses (entries are sorted by id: the last one's), 0 if none. */
export function maxSysRawId(frame: Uint8Array): number {
  return frame.byteLength >= SYS_RAW_SIZE ? view(frame).getUint16(frame.byteLength - SYS_RAW_SIZE, true) : 0;
}

/** The largest process id a raw process frame uses, 0 if none. */
export function maxProcRawId(frame: Uint8Array): number {
  return frame.byteLength >= PROC_RAW_SIZE ? view(frame).getUint32(frame.byteLength - PROC_RAW_SIZE, true) : 0;
}

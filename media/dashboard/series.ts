// Shaping time series for the charts: gaps where the monitor was not running, live points bucketed
// onto a sliding window, derived series (filesystem percent, per-process sums). Pure.

import type { LiveProcess } from '../../src/shared/dashboardProtocol';

export type Column = (number | null)[];

/** Rows of timestamps with one aligned column per series. */
export interface Table {
  t: number[];
  cols: Column[];
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

const rowIsEmpty = (cols: readonly Column[], i: number): boolean => cols.every((c) => c[i] === null || c[i] === undefined);

/**
 * Makes gaps explicit and only gaps: rows where every series is empty are dropped, and one null row
 * is put between two samples further apart than the usual step (2.5× the lower quartile of the
 * steps, and at least 1.5 buckets). A chart drawing nulls as breaks then shows "not recording" as a gap, and a bucket
 * grid finer than the sampling interval does not turn every line into dots.
 */
export function shapeGaps(t: readonly number[], cols: readonly Column[], bucketMs: number): Table {
  const keep: number[] = [];
  for (let i = 0; i < t.length; i++) if (!rowIsEmpty(cols, i)) keep.push(i);
  const out: Table = { t: [], cols: cols.map(() => []) };
  if (keep.length === 0) return out;
  const steps: number[] = [];
  for (let k = 1; k < keep.length; k++) steps.push((t[keep[k] as number] as number) - (t[keep[k - 1] as number] as number));
  const threshold = gapThreshold(steps, bucketMs);
  let prevT: number | undefined;
  for (const i of keep) {
    const ti = t[i] as number;
    if (prevT !== undefined && ti - prevT > threshold) {
      out.t.push(prevT + (ti - prevT) / 2);
      for (const c of out.cols) c.push(null);
    }
    out.t.push(ti);
    cols.forEach((c, j) => (out.cols[j] as Column).push(c[i] ?? null));
    prevT = ti;
  }
  return out;
}

/** The step beyond which two neighbouring samples are not joined by a line. */
export function gapThreshold(steps: readonly number[], bucketMs: number): number {
  // The lower quartile, not the median: with few steps, or many gaps, the median is a gap itself.
  const q = lowerQuartile(steps.filter((s) => s > 0));
  return Math.max(Number.isFinite(q) ? 2.5 * q : 0, 1.5 * Math.max(0, bucketMs)) || Infinity;
}

export function lowerQuartile(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 4)] as number;
}

/**
 * The live window: seeded with recent history, then fed one sample at a time. Samples falling into
 * the same bucket as the previous live row are averaged into it, so the row count stays near
 * `windowMs / bucketMs` whatever the sampling interval; rows older than the window are dropped.
 */
export class LiveTable {
  private t: number[] = [];
  private cols: Column[];
  /** Samples averaged into each row; 0 for seeded rows (already aggregated, never merged into). */
  private counts: number[] = [];
  private recentSteps: number[] = [];
  private lastSampleT: number | undefined;

  constructor(
    readonly keys: readonly string[],
    private readonly bucketMs: number,
  ) {
    this.cols = keys.map(() => []);
  }

  seed(table: Table): void {
    this.t = [...table.t];
    this.cols = this.keys.map((_, j) => [...(table.cols[j] ?? table.t.map(() => null))]);
    this.counts = table.t.map(() => 0);
    this.recentSteps = [];
    const n = table.t.length;
    for (let i = Math.max(1, n - 10); i < n; i++) {
      const a = table.t[i - 1] as number;
      const b = table.t[i] as number;
      if (!rowIsEmpty(this.cols, i) && !rowIsEmpty(this.cols, i - 1)) this.recentSteps.push(b - a);
    }
    this.lastSampleT = n > 0 ? table.t[n - 1] : undefined;
  }

  get length(): number {
    return this.t.length;
  }

  get lastT(): number | undefined {
    return this.t[this.t.length - 1];
  }

  /** Adds one sample; returns false when it is not newer than what the table holds. */
  append(at: number, value: (key: string) => number | null | undefined): boolean {
    const last = this.lastSampleT;
    if (last !== undefined && at <= last) return false;
    if (last !== undefined) {
      const step = at - last;
      if (step > this.gapMs()) {
        if (!rowIsEmpty(this.cols, this.t.length - 1)) this.pushRow(last + step / 2, () => null, 0);
      } else {
        this.recentSteps.push(step);
        if (this.recentSteps.length > 10) this.recentSteps.shift();
      }
    }
    this.lastSampleT = at;
    const i = this.t.length - 1;
    const c = this.counts[i] ?? 0;
    const rowT = this.t[i];
    if (c > 0 && rowT !== undefined && this.bucketMs > 0 && Math.floor(at / this.bucketMs) === Math.floor(rowT / this.bucketMs)) {
      this.keys.forEach((k, j) => {
        const col = this.cols[j] as Column;
        const x = value(k);
        const old = col[i] ?? null;
        if (x === null || x === undefined || !Number.isFinite(x)) return;
        // Nulls in a merged row count as absent, not as zero.
        col[i] = old === null ? x : (old * c + x) / (c + 1);
      });
      this.counts[i] = c + 1;
      return true;
    }
    this.pushRow(at, value, 1);
    return true;
  }

  /** Until two samples have shown the interval there is no telling a gap from a step. */
  private gapMs(): number {
    const m = median(this.recentSteps);
    return Number.isFinite(m) ? Math.max(3 * m, 2 * this.bucketMs) : Infinity;
  }

  private pushRow(at: number, value: (key: string) => number | null | undefined, count: number): void {
    this.t.push(at);
    this.keys.forEach((k, j) => {
      const x = value(k);
      (this.cols[j] as Column).push(x === undefined || x === null || !Number.isFinite(x) ? null : x);
    });
    this.counts.push(count);
  }

  /** Drops rows before `from` (and a gap row left leading). */
  trim(from: number): void {
    let n = 0;
    while (n < this.t.length && ((this.t[n] as number) < from || rowIsEmpty(this.cols, n))) n++;
    if (n === 0) return;
    this.t.splice(0, n);
    this.counts.splice(0, n);
    for (const c of this.cols) c.splice(0, n);
  }

  table(): Table {
    return { t: [...this.t], cols: this.cols.map((c) => [...c]) };
  }

  column(key: string): Column {
    const j = this.keys.indexOf(key);
    return j < 0 ? this.t.map(() => null) : [...(this.cols[j] as Column)];
  }
}

/** used / size as percent, null where either is missing or the size is zero. */
export function percentOf(used: Column, size: Column): Column {
  return used.map((u, i) => {
    const s = size[i];
    return u === null || u === undefined || s === null || s === undefined || s <= 0 ? null : (100 * u) / s;
  });
}

/** Mount points that have both used and size metrics, in the order the names list them. */
export function filesystemMounts(metrics: readonly string[]): string[] {
  const names = new Set(metrics);
  const mounts: string[] = [];
  for (const m of metrics) {
    const hit = /^fs\.(.+)\.used$/.exec(m);
    if (hit && names.has(`fs.${hit[1]}.size`)) mounts.push(hit[1] as string);
  }
  return mounts;
}

/** Core indexes with a `core.<i>.total` metric, ascending. */
export function coreIndexes(metrics: readonly string[]): number[] {
  const out: number[] = [];
  for (const m of metrics) {
    const hit = /^core\.(\d+)\.total$/.exec(m);
    if (hit) out.push(Number(hit[1]));
  }
  return out.sort((a, b) => a - b);
}

export type ProcessChoice = { kind: 'process'; pid: number; startTime: number; name: string } | { kind: 'name'; name: string };

/** What the processes matching a choice use in one live sample; nulls when none is running. */
export function sumMatching(
  processes: readonly LiveProcess[],
  choice: ProcessChoice,
): { cpu: number | null; rssBytes: number | null; readBytes: number | null; writeBytes: number | null; count: number } {
  let cpu = 0;
  let rss = 0;
  let count = 0;
  // I/O sums only the processes whose io file is readable; none readable → unknown (null).
  let read: number | null = null;
  let write: number | null = null;
  for (const p of processes) {
    const hit = choice.kind === 'process' ? p.pid === choice.pid && p.startTime === choice.startTime : p.name === choice.name;
    if (!hit) continue;
    cpu += p.cpu;
    rss += p.rssBytes;
    if (typeof p.readBytes === 'number') read = (read ?? 0) + p.readBytes;
    if (typeof p.writeBytes === 'number') write = (write ?? 0) + p.writeBytes;
    count++;
  }
  return count === 0
    ? { cpu: null, rssBytes: null, readBytes: null, writeBytes: null, count }
    : { cpu, rssBytes: rss, readBytes: read, writeBytes: write, count };
}

export function sameChoice(a: ProcessChoice | null, b: ProcessChoice | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.kind === 'name' || b.kind === 'name') return a.kind === b.kind && a.name === b.name;
  return a.pid === b.pid && a.startTime === b.startTime;
}

/** The largest finite value of some columns (for y ranges), 0 when there is none. */
export function maxOf(...cols: Column[]): number {
  let m = 0;
  for (const c of cols) for (const v of c) if (v !== null && v !== undefined && Number.isFinite(v) && v > m) m = v;
  return m;
}

// Which tier answers which part of a time range. Each tier holds a span of time: raw rows from its
// retention cutoff to now, rollups from their cutoff up to the last finished minute/hour. A query
// wants, at each moment, the coarsest tier fine enough for its bucket size (fewest rows to read),
// and falls back to whatever tier has data there (finer first) where that one has none.
import type { Store } from '../storage/store';
import type { Database } from '../storage/sqljs';
import { eachFrame, type FrameVisitor } from '../storage/frameRows';
import type { FrameTable } from '../storage/schema';
import type { Tier } from '../types';
import { HOUR, MINUTE } from '../storage/rollup';

export type Kind = 'sys' | 'proc';

export interface Segment {
  tier: Tier;
  table: FrameTable;
  from: number;
  to: number;
}

interface TierSpan {
  tier: Tier;
  table: FrameTable;
  resolutionMs: number;
  oldest: number;
  until: number;
}

function minT(db: Database, table: string): number | null {
  const r = db.exec(`SELECT min(t) FROM ${table}`)[0]?.values[0]?.[0];
  return r === null || r === undefined ? null : Number(r);
}

export function tierSpans(store: Store, kind: Kind, sampleIntervalMs: number): TierSpan[] {
  const c = store.cursorsSnapshot;
  const spans: TierSpan[] = [];
  const add = (tier: Tier, resolutionMs: number, until: number): void => {
    const table: FrameTable = `${kind}_${tier}`;
    const oldest = minT(store.db, table);
    if (oldest !== null && oldest < until) spans.push({ tier, table, resolutionMs, oldest, until });
  };
  add('raw', sampleIntervalMs, Infinity);
  add('1m', MINUTE, c.minute ?? -Infinity);
  add('1h', HOUR, c.hour ?? -Infinity);
  return spans;
}

/**
 * Splits [from, to) into segments, each read from one tier. `bucketMs` = Infinity asks for the
 * finest data everywhere (top processes); otherwise the coarsest tier with resolution <= bucketMs.
 */
export function planSegments(spans: TierSpan[], from: number, to: number, bucketMs: number): Segment[] {
  const fineEnough = spans.filter((s) => s.resolutionMs <= bucketMs).sort((a, b) => b.resolutionMs - a.resolutionMs);
  const tooCoarse = spans.filter((s) => s.resolutionMs > bucketMs).sort((a, b) => a.resolutionMs - b.resolutionMs);
  const preference = bucketMs === Infinity ? [...spans].sort((a, b) => a.resolutionMs - b.resolutionMs) : [...fineEnough, ...tooCoarse];
  const cuts = new Set<number>([from, to]);
  for (const s of spans) for (const x of [s.oldest, s.until]) if (x > from && x < to) cuts.add(x);
  const points = [...cuts].sort((a, b) => a - b);
  const out: Segment[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i]!;
    const b = points[i + 1]!;
    // A tier serves [a, b) if its rows start by a and are complete up to b; failing that, any
    // tier with some data in it.
    const s = preference.find((p) => p.oldest <= a && b <= p.until) ?? preference.find((p) => p.oldest < b && a < p.until);
    if (!s) continue;
    const last = out[out.length - 1];
    if (last && last.tier === s.tier && last.to === a) last.to = b;
    else out.push({ tier: s.tier, table: s.table, from: a, to: b });
  }
  return out;
}

const NICE_STEPS = [
  1_000,
  2_000,
  5_000,
  10_000,
  15_000,
  30_000,
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  24 * HOUR,
  2 * 24 * HOUR,
  7 * 24 * HOUR,
  14 * 24 * HOUR,
  30 * 24 * HOUR,
];

/** A round bucket size giving at most maxPoints buckets, never finer than two sampling intervals. */
export function bucketFor(from: number, to: number, maxPoints: number, sampleIntervalMs: number): number {
  const floor = 2 * sampleIntervalMs;
  for (const step of NICE_STEPS) {
    if (step < floor) continue;
    const start = Math.floor(from / step) * step;
    if (Math.ceil((to - start) / step) <= maxPoints) return step;
  }
  return Math.max(floor, Math.ceil((to - from) / maxPoints / HOUR) * HOUR);
}

/** Streams `t, n, v` rows of one segment to a callback without building an array. */
/** `extras`: also hand each process frame's extras column (procExtras.ts) to `fn`. */
export function eachRow(db: Database, seg: Segment, fn: FrameVisitor, extras = false): void {
  eachFrame(db, { table: seg.table, from: seg.from, to: seg.to, extras }, fn);
}

/** The tier that served most of the range, for display. */
export function mainTier(segments: Segment[]): Tier {
  let best: Segment | undefined;
  for (const s of segments) if (!best || s.to - s.from > best.to - best.from) best = s;
  return best?.tier ?? 'raw';
}

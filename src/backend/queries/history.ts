// System metric history, downsampled to at most maxPoints buckets of min/max/avg, read from the
// coarsest tier fine enough for the bucket size. Empty buckets are null: a gap, not a zero.
import { findEntry, frameView, SYS_AGG_SIZE, SYS_RAW_SIZE } from '../storage/frames';
import type { Store } from '../storage/store';
import type { HistoryQuery, HistoryResult, MetricSummary, SeriesValues, SummaryResult } from '../types';
import { bucketFor, eachRow, mainTier, planSegments, tierSpans } from './plan';

export function metricIdsByName(store: Store, names: string[]): Map<number, string> {
  const out = new Map<number, string>();
  const stmt = store.db.prepare('SELECT id FROM metric WHERE name = ?');
  try {
    for (const name of names) {
      stmt.bind([name]);
      if (stmt.step()) out.set(Number(stmt.get()[0]), name);
      stmt.reset();
    }
  } finally {
    stmt.free();
  }
  return out;
}

export function history(store: Store, q: HistoryQuery, sampleIntervalMs: number): HistoryResult {
  const bucketMs = bucketFor(q.from, q.to, q.maxPoints, sampleIntervalMs);
  const t0 = Math.floor(q.from / bucketMs) * bucketMs;
  const count = Math.max(1, Math.ceil((q.to - t0) / bucketMs));
  return aggregate(store, q.metrics, q.from, q.to, t0, bucketMs, count, sampleIntervalMs);
}

function aggregate(
  store: Store,
  metrics: string[],
  from: number,
  to: number,
  t0: number,
  bucketMs: number,
  count: number,
  sampleIntervalMs: number,
): HistoryResult {
  const ids = metricIdsByName(store, metrics);
  const slot = new Map<number, number>();
  metrics.forEach((name, i) => {
    for (const [id, n] of ids) if (n === name) slot.set(id, i);
  });
  const m = metrics.length;
  const sum = new Float64Array(m * count);
  const weight = new Float64Array(m * count);
  const min = new Float64Array(m * count).fill(Infinity);
  const max = new Float64Array(m * count).fill(-Infinity);
  // Each frame holds every metric sorted by id; the few asked for are found by binary search.
  const wanted = [...slot.keys()].sort((a, b) => a - b);
  const segments = planSegments(tierSpans(store, 'sys', sampleIntervalMs), from, to, bucketMs);
  for (const seg of segments) {
    const raw = seg.tier === 'raw';
    const size = raw ? SYS_RAW_SIZE : SYS_AGG_SIZE;
    eachRow(store.db, seg, (t, n, frame) => {
      const b = Math.floor((t - t0) / bucketMs);
      if (b < 0 || b >= count) return;
      const v = frameView(frame);
      for (const id of wanted) {
        const i = findEntry(v, size, 2, id);
        if (i < 0) continue;
        const o = i * size;
        const avg = v.getFloat32(o + 2, true);
        const lo = raw ? avg : v.getFloat32(o + 6, true);
        const hi = raw ? avg : v.getFloat32(o + 10, true);
        const k = slot.get(id)! * count + b;
        sum[k]! += avg * n;
        weight[k]! += n;
        if (lo < min[k]!) min[k] = lo;
        if (hi > max[k]!) max[k] = hi;
      }
    });
  }
  const t = Array.from({ length: count }, (_, i) => t0 + i * bucketMs);
  const series: Record<string, SeriesValues> = {};
  metrics.forEach((name, s) => {
    const vals: SeriesValues = { avg: new Array(count), min: new Array(count), max: new Array(count) };
    for (let b = 0; b < count; b++) {
      const k = s * count + b;
      const w = weight[k]!;
      vals.avg[b] = w > 0 ? sum[k]! / w : null;
      vals.min[b] = w > 0 ? min[k]! : null;
      vals.max[b] = w > 0 ? max[k]! : null;
    }
    series[name] = vals;
  });
  return { from, to, tier: mainTier(segments), bucketMs, t, series };
}

/** min/max/avg of each metric over the whole range. */
export function summary(store: Store, from: number, to: number, metrics: string[], sampleIntervalMs: number): SummaryResult {
  // One bucket spanning the range, so the coarsest tier covering each part of it is read.
  const r = aggregate(store, metrics, from, to, from, Math.max(1, to - from), 1, sampleIntervalMs);
  const out: Record<string, MetricSummary> = {};
  for (const name of metrics) {
    const s = r.series[name]!;
    if (s.avg[0] !== null && s.avg[0] !== undefined) out[name] = { avg: s.avg[0], min: s.min[0]!, max: s.max[0]! };
  }
  return { from, to, metrics: out };
}

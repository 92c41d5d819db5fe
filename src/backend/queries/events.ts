// Alert events and "who did it" over the stored history.
import type { Store } from '../storage/store';
import { readEvents } from '../storage/events';
import { forEachProcAgg, forEachProcRaw, OTHER_PROC_ID } from '../storage/frames';
import { eachFrame } from '../storage/frameRows';
import { HOUR, MINUTE } from '../storage/rollup';
import type { FrameTable } from '../storage/schema';
import type { Millis, Tier } from '../types';
import type { AlertEvent, TopAtQuery, TopAtResult, TopAtRow } from '../alerts/types';
import { processRows } from './processes';

/** Stored events overlapping from..to (an active one has no end), oldest first. */
export function alertsBetween(store: Store, from: Millis, to: Millis): AlertEvent[] {
  return readEvents(store.db, from, to);
}

/** Events with no end yet. */
export function openAlerts(store: Store): AlertEvent[] {
  return readEvents(store.db, -Infinity, Infinity).filter((e) => e.end === null);
}

interface Entry {
  id: number;
  cpu: number;
  rssKiB: number;
  cpuMax: number;
  rssMaxKiB: number;
}

/**
 * The top processes at a moment. Exact when a raw sample lies within one and a half intervals of it
 * (the nearest one); otherwise the 1-minute, then the 1-hour rollup bucket holding the moment, whose
 * rows are that bucket's top N (averages, with maxima). `at` is the sample's time or the bucket's
 * start, never the asked moment: the answer says what it is about.
 */
export function topAt(store: Store, q: TopAtQuery, sampleIntervalMs: number): TopAtResult {
  const none: TopAtResult = { asked: q.t, at: null, exact: false, tier: 'raw', bucketMs: 0, by: q.by, processes: [] };
  const reach = 1.5 * sampleIntervalMs;
  let nearest: { t: number; frame: Uint8Array } | undefined;
  eachFrame(store.db, { table: 'proc_raw', from: q.t - reach, to: q.t + reach + 1 }, (t, _n, frame) => {
    if (!nearest || Math.abs(t - q.t) < Math.abs(nearest.t - q.t)) nearest = { t, frame: frame.slice() };
  });
  if (nearest) {
    const entries: Entry[] = [];
    forEachProcRaw(nearest.frame, (id, cpu, rssKiB) => entries.push({ id, cpu, rssKiB, cpuMax: cpu, rssMaxKiB: rssKiB }));
    return { ...none, at: nearest.t, exact: true, processes: rank(store, entries, q) };
  }
  for (const [tier, table, bucketMs] of [
    ['1m', 'proc_1m', MINUTE],
    ['1h', 'proc_1h', HOUR],
  ] as [Tier, FrameTable, number][]) {
    const start = Math.floor(q.t / bucketMs) * bucketMs;
    const entries: Entry[] = [];
    let found = false;
    eachFrame(store.db, { table, from: start, to: start + 1 }, (_t, _n, frame) => {
      found = true;
      forEachProcAgg(frame, (id, cpuAvg, cpuMax, rssAvgKiB, rssMaxKiB) =>
        entries.push({ id, cpu: cpuAvg, rssKiB: rssAvgKiB, cpuMax, rssMaxKiB }),
      );
    });
    if (found) return { ...none, at: start, exact: false, tier, bucketMs, processes: rank(store, entries, q) };
  }
  return none;
}

function rank(store: Store, entries: Entry[], q: TopAtQuery): TopAtRow[] {
  const key = (e: Entry): number => (q.by === 'cpu' ? e.cpu : e.rssKiB);
  const best = entries
    .filter((e) => e.id !== OTHER_PROC_ID)
    .sort((a, b) => key(b) - key(a) || a.id - b.id)
    .slice(0, q.n);
  if (best.length === 0) return [];
  const infos = processRows(store, `id IN (${best.map((e) => e.id).join(',')})`, []);
  return best.map((e) => {
    const info = infos.get(e.id);
    return {
      pid: info?.pid ?? 0,
      startTime: info?.startTime ?? 0,
      name: info?.name ?? '(unknown)',
      command: info?.command ?? '',
      cpu: e.cpu,
      rssBytes: e.rssKiB * 1024,
      cpuMax: e.cpuMax,
      rssMaxBytes: e.rssMaxKiB * 1024,
    };
  });
}

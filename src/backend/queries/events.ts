// Alert events and "who did it" over the stored history.
import type { Store } from '../storage/store';
import type { Millis } from '../types';
import type { AlertEvent, TopAtQuery, TopAtResult } from '../alerts/types';

/** Stored events overlapping from..to (an active one has no end), oldest first. */
export function alertsBetween(_store: Store, _from: Millis, _to: Millis): AlertEvent[] {
  return [];
}

/** The top processes at a moment: the raw sample nearest it, else the rollup bucket holding it. */
export function topAt(_store: Store, q: TopAtQuery, _sampleIntervalMs: number): TopAtResult {
  return { asked: q.t, at: null, exact: false, tier: 'raw', bucketMs: 0, by: q.by, processes: [] };
}

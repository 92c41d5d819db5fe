// Alert events as the dashboard shows them: the Events list's rows, the bands drawn on the charts
// of their range, the who-did-it answer's wording, and the keyboard cursor's steps. Pure.

import type { AlertEvent, TopAtResult } from '../../src/backend/index';
import { formatBytes, formatDateTime, formatDuration, formatPercent, formatWhen, formatWholePercent } from '../../src/shared/format';
import type { Band } from './chartTypes';
import type { TimeWindow } from './range';
import type { ProcessChoice } from './series';

export const RULE_LABELS: Record<AlertEvent['rule'], string> = {
  processCpu: 'Process CPU',
  machineCpu: 'Machine CPU',
  lowMemory: 'Low memory',
  leak: 'Memory leak',
  filesystem: 'Filesystem',
};

export interface EventRow {
  id: string;
  time: string;
  rule: string;
  culprit: string;
  peak: string;
  duration: string;
  active: boolean;
  message: string;
}

/** The culprit column: the backend's label, with the pid of a single process (pids tell two `node`s apart). */
export function culpritText(a: AlertEvent): string {
  const c = a.culprit;
  const [p] = c.processes;
  return c.kind === 'process' && p ? `${c.label} (${p.pid})` : c.label;
}

export function eventRows(events: readonly AlertEvent[], now: number): EventRow[] {
  return [...events]
    .sort((a, b) => b.start - a.start || b.id.localeCompare(a.id))
    .map((a) => ({
      id: a.id,
      time: formatWhen(a.start, now),
      rule: RULE_LABELS[a.rule] ?? a.rule,
      culprit: culpritText(a),
      peak: peakText(a),
      duration: a.end === null ? `${formatDuration(now - a.start)}, active` : formatDuration(a.end - a.start),
      active: a.end === null,
      message: a.text,
    }));
}

/** The peak in its unit, as the formatter writes that unit everywhere else. */
export function peakText(a: AlertEvent): string {
  const { value, unit } = a.peak;
  switch (unit) {
    case '%core':
      return formatPercent(value);
    case '%':
      return formatWholePercent(value);
    case 'bytes':
      return formatBytes(value);
    case 'bytes/h':
      return `${formatBytes(value)}/h`;
  }
}

/** The events that overlap the window, as bands clipped to it (an active one runs to `now`). */
export function eventBands(events: readonly AlertEvent[], w: TimeWindow, now: number): Band[] {
  const out: Band[] = [];
  for (const a of events) {
    const end = a.end ?? now;
    if (end < w.from || a.start > w.to) continue;
    out.push({ from: Math.max(a.start, w.from), to: Math.min(end, w.to), label: RULE_LABELS[a.rule] ?? a.rule, active: a.end === null });
  }
  return out.sort((x, y) => x.from - y.from);
}

/** The events that name the chosen process (or, for a name, any process of that name) among their culprits. */
export function eventsOf(events: readonly AlertEvent[], choice: ProcessChoice): AlertEvent[] {
  return events.filter((a) =>
    a.culprit.processes.some((c) =>
      choice.kind === 'process' ? c.pid === choice.pid && c.startTime === choice.startTime : c.name === choice.name,
    ),
  );
}

/** Where an answer came from, in words: exact samples, or a rollup bucket's top processes. */
export function topAtSource(r: TopAtResult): string {
  if (r.at === null || r.processes.length === 0) return 'Nothing was recorded near that moment.';
  if (r.exact) return `Exact: the processes of the sample at ${formatDateTime(r.at)}.`;
  const tier = r.tier === '1h' ? '1-hour' : '1-minute';
  return `From the ${tier} rollup bucket ${formatDateTime(r.at)} – ${formatDateTime(r.at + r.bucketMs)}: its top processes, averaged over the bucket (the raw samples of that time are no longer kept).`;
}

/**
 * The keyboard cursor: which data index a key moves to, or null for a key that is not ours.
 * ←/→ one point, with Shift ten, Home/End the ends; with no cursor yet, any of them starts at the
 * newest point.
 */
export function stepCursor(idx: number | null, key: string, shift: boolean, length: number): number | null {
  if (length <= 0) return null;
  const last = length - 1;
  const step = shift ? 10 : 1;
  const clamp = (i: number): number => Math.max(0, Math.min(last, i));
  switch (key) {
    case 'ArrowLeft':
      return idx === null ? last : clamp(idx - step);
    case 'ArrowRight':
      return idx === null ? last : clamp(idx + step);
    case 'Home':
      return 0;
    case 'End':
      return last;
    default:
      return null;
  }
}

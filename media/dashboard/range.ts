// Time ranges: what the picker offers, the window each choice covers at a given moment, zoom, and
// the conversions for the custom range's datetime inputs. Pure: `now` is always passed in.

export type Preset = '1h' | '24h' | '7d' | '30d';

export type RangeSpec = { kind: 'live' } | { kind: 'preset'; preset: Preset } | { kind: 'custom'; from: number; to: number };

export interface TimeWindow {
  from: number;
  to: number;
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Live mode shows this much of the recent past, streaming. */
export const LIVE_WINDOW_MS = 10 * MINUTE;

export const PRESETS: readonly { preset: Preset; label: string; ms: number }[] = [
  { preset: '1h', label: '1 h', ms: HOUR },
  { preset: '24h', label: '24 h', ms: DAY },
  { preset: '7d', label: '7 d', ms: 7 * DAY },
  { preset: '30d', label: '30 d', ms: 30 * DAY },
];

/** Nothing narrower than this can be zoomed into: below it there is at most a sample or two. */
export const MIN_ZOOM_MS = 10_000;

export function presetMs(p: Preset): number {
  const found = PRESETS.find((x) => x.preset === p);
  return found ? found.ms : HOUR;
}

export function resolveRange(spec: RangeSpec, now: number): TimeWindow {
  switch (spec.kind) {
    case 'live':
      return { from: now - LIVE_WINDOW_MS, to: now };
    case 'preset':
      return { from: now - presetMs(spec.preset), to: now };
    case 'custom':
      return spec.from <= spec.to ? { from: spec.from, to: spec.to } : { from: spec.to, to: spec.from };
  }
}

/** The window a drag selected, widened around its middle to at least MIN_ZOOM_MS; null if unusable. */
export function zoomWindow(a: number, b: number): TimeWindow | null {
  if (!Number.isFinite(a) || !Number.isFinite(b)) return null;
  let from = Math.min(a, b);
  let to = Math.max(a, b);
  if (to - from < MIN_ZOOM_MS) {
    const mid = (from + to) / 2;
    from = mid - MIN_ZOOM_MS / 2;
    to = mid + MIN_ZOOM_MS / 2;
  }
  return { from: Math.round(from), to: Math.round(to) };
}

/** How many points to ask for: about one per pixel of plot width, within sane bounds. */
export function maxPointsFor(plotWidthPx: number): number {
  if (!Number.isFinite(plotWidthPx) || plotWidthPx <= 0) return 300;
  return Math.max(60, Math.min(2000, Math.round(plotWidthPx)));
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** The value a `<input type="datetime-local">` shows for a moment, in local time. */
export function toDatetimeLocal(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Parses a datetime-local value ("YYYY-MM-DDTHH:MM[:SS]") as local time; null if it is not one. */
export function fromDatetimeLocal(s: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/.exec(s.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, se] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
  const date = new Date(y, mo - 1, d, h, mi, se);
  // Reject rollovers such as February 30th.
  if (date.getFullYear() !== y || date.getMonth() !== mo - 1 || date.getDate() !== d || date.getHours() !== h) return null;
  return date.getTime();
}

/** Checks a custom range typed by the user; returns the problem in words. */
export function customRangeProblem(from: number | null, to: number | null, now: number): string | undefined {
  if (from === null || to === null) return 'Enter both a start and an end.';
  if (from >= to) return 'The start must be before the end.';
  if (from > now) return 'The start is in the future: nothing is recorded there yet.';
  if (to - from < MIN_ZOOM_MS) return 'Pick a range of at least 10 seconds.';
  return undefined;
}

// Units as people read them: bytes (binary), rates, percent, load, durations, times. Pure.

// Binary values labelled as Task Manager, Activity Monitor and the Vitals sidebar label them (1 MB =
// 1024 KB), so one number reads the same everywhere in Vitals.
const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];

/** Three significant digits at most: "512 B", "1.5 KB", "12.3 MB", "123 GB". */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '—';
  let v = Math.abs(bytes);
  let i = 0;
  while (v >= 1024 && i < BYTE_UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  const render = (x: number, unit: number): string => (unit === 0 ? String(Math.round(x)) : trimZeros(x.toFixed(x < 10 ? 2 : x < 100 ? 1 : 0)));
  let digits = render(v, i);
  // Rounding can reach the next unit (1023.9 KB → "1024 KB"); carry it over.
  if (Number(digits) >= 1024 && i < BYTE_UNITS.length - 1) {
    v /= 1024;
    i++;
    digits = render(v, i);
  }
  const sign = bytes < 0 ? '-' : '';
  return `${sign}${digits} ${BYTE_UNITS[i]}`;
}

export function formatRate(bytesPerSecond: number | null | undefined): string {
  const b = formatBytes(bytesPerSecond);
  return b === '—' ? b : `${b}/s`;
}

export function formatPercent(p: number | null | undefined, digits = 1): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return '—';
  return `${trimZeros(p.toFixed(digits))}%`;
}

export function formatLoad(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return v.toFixed(2);
}

export function formatCount(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/** "0 ms", "350 ms", "1.2 s", "45 s", "3 min 20 s", "2 h 5 min", "3 d 4 h". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 0) return `-${formatDuration(-ms)}`;
  if (ms < 1000) return `${ms < 10 && ms % 1 !== 0 ? trimZeros(ms.toFixed(1)) : Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 10) return `${trimZeros(s.toFixed(1))} s`;
  if (s < 60) return `${Math.round(s)} s`;
  const totalS = Math.round(s);
  const min = Math.floor(totalS / 60);
  if (min < 60) {
    const rest = totalS % 60;
    return rest ? `${min} min ${rest} s` : `${min} min`;
  }
  const totalMin = Math.round(s / 60);
  const h = Math.floor(totalMin / 60);
  if (h < 24) {
    const rest = totalMin % 60;
    return rest ? `${h} h ${rest} min` : `${h} h`;
  }
  const totalH = Math.round(s / 3600);
  const d = Math.floor(totalH / 24);
  const rest = totalH % 24;
  return rest ? `${d} d ${rest} h` : `${d} d`;
}

/** "just now", "12 s ago", "5 min ago", "3 h ago", "2 d ago"; "in 5 s" for a clock ahead. */
export function formatAgo(at: number, now: number): string {
  const d = now - at;
  if (Math.abs(d) < 1000) return 'just now';
  const coarse = (ms: number): string => {
    const s = Math.round(ms / 1000);
    if (s < 60) return `${s} s`;
    const m = Math.round(s / 60);
    if (m < 60) return `${m} min`;
    const h = Math.round(m / 60);
    if (h < 48) return `${h} h`;
    return `${Math.round(h / 24)} d`;
  };
  return d > 0 ? `${coarse(d)} ago` : `in ${coarse(-d)}`;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** Local "HH:MM:SS". */
export function formatClock(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** Local "YYYY-MM-DD HH:MM:SS": unambiguous in every locale, sorts as text. */
export function formatDateTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${formatClock(ms)}`;
}

/** The shortest local time that is unambiguous next to `reference` (same day → time only). */
export function formatWhen(ms: number, reference: number): string {
  const a = new Date(ms);
  const b = new Date(reference);
  const sameDay = a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
  return sameDay ? formatClock(ms) : formatDateTime(ms);
}

export type ValueUnit = 'percent' | 'bytes' | 'rate' | 'load';

export function formatValue(unit: ValueUnit, v: number | null | undefined): string {
  switch (unit) {
    case 'percent':
      return formatPercent(v);
    case 'bytes':
      return formatBytes(v);
    case 'rate':
      return formatRate(v);
    case 'load':
      return formatLoad(v);
  }
}

/** Axis tick labels: shorter than the legend's (no decimals on large percents). */
export function formatAxis(unit: ValueUnit, v: number): string {
  switch (unit) {
    case 'percent':
      return `${trimZeros(v.toFixed(Math.abs(v) >= 10 || v === 0 ? 0 : 1))}%`;
    case 'bytes':
      return formatBytes(v);
    case 'rate':
      return formatRate(v);
    case 'load':
      return trimZeros(v.toFixed(2));
  }
}

const DAY_MS = 86_400_000;
const monthDay = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });

const sameLocalDay = (a: number, b: number): boolean => {
  const x = new Date(a);
  const y = new Date(b);
  return x.getFullYear() === y.getFullYear() && x.getMonth() === y.getMonth() && x.getDate() === y.getDate();
};

/**
 * Labels for time-axis ticks `incrMs` apart: seconds when ticks are seconds apart, hours and
 * minutes within a day, dates beyond; the date is added under a time where the day changes.
 */
export function timeTicks(splits: readonly number[], incrMs: number): string[] {
  return splits.map((t, i) => {
    const d = new Date(t);
    if (incrMs >= DAY_MS) return monthDay.format(d);
    const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
    const time = incrMs < 60_000 ? `${hm}:${pad(d.getSeconds())}` : hm;
    const prev = i > 0 ? splits[i - 1] : undefined;
    const last = splits[splits.length - 1];
    const dayChanges = prev !== undefined ? !sameLocalDay(prev, t) : last !== undefined && !sameLocalDay(t, last);
    return dayChanges ? `${time}\n${monthDay.format(d)}` : time;
  });
}

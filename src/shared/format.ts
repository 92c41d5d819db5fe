// Numbers and times as users read them, one rule per unit, for every place Vitals shows them: the
// sidebar views, the status bar, tooltips and messages, the CLI and the dashboard webview. One
// module so the same value in the same role reads the same everywhere (before, the sidebar said
// "4.7 GB" and the dashboard "4.66 GB" for the same memory). Pure, so the exact text is unit-tested.
// Only chart axis labels, which are deliberately shorter, live elsewhere (media/dashboard/axis.ts).

/**
 * What stands in for a value that is missing or is not a value of its unit (null, NaN, a negative
 * size). An em dash: it reads as "nothing" rather than as a minus sign, which an en dash next to
 * numbers can be mistaken for.
 */
export const MISSING = '—';

type Maybe = number | null | undefined;

const present = (v: Maybe): v is number => v !== null && v !== undefined && Number.isFinite(v);

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'] as const;

/**
 * Binary units labelled the way Task Manager and Activity Monitor label them (1 MB = 1024 KB). One
 * decimal below 100 so small values keep their precision, none above, so a figure is at most four
 * digits and fits a tree row's description and a narrow table column. The decimal is always
 * printed ("16.0 GB", not "16 GB"): a live figure then keeps its width as it changes and a column
 * of them stays aligned. Sizes and rates are never negative; a negative one is shown as missing.
 */
export function formatBytes(bytes: Maybe): string {
  if (!present(bytes) || bytes < 0) return MISSING;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${Math.round(value)} B`;
  // 1023.96 KB would round to "1024 KB"; promote it so the unit changes where the digits do.
  if (Number(value.toFixed(value < 100 ? 1 : 0)) >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 100 ? value.toFixed(1) : Math.round(value).toString()} ${UNITS[unit]}`;
}

export function formatRate(bytesPerSecond: Maybe): string {
  const b = formatBytes(bytesPerSecond);
  return b === MISSING ? b : `${b}/s`;
}

/**
 * A process's CPU in % of one core, with one decimal as `top` shows it: `0.0%`, `12.3%`, `150.0%`.
 * The decimal is always printed, so a list of processes lines up and an idle one ("0.0%") is told
 * apart from a system-wide figure. Also used for the monitor's own cost, which is a process's CPU.
 */
export function formatPercent(value: Maybe): string {
  if (!present(value)) return MISSING;
  return `${Math.max(0, value).toFixed(1)}%`;
}

/**
 * Whole percent for system-wide shares (total and per-core CPU, memory, file systems, the database
 * against its cap): the status bar has room for three digits, and a decimal of a machine-wide
 * figure sampled every few seconds is noise. `0%`, `63%`, `100%`.
 */
export function formatWholePercent(value: Maybe): string {
  if (!present(value)) return MISSING;
  return `${Math.round(Math.max(0, value))}%`;
}

export function percentOf(part: number, total: number): number {
  return total > 0 ? (part / total) * 100 : 0;
}

/** Load average with two decimals, as `uptime` and `top` print it. */
export function formatLoad(value: Maybe): string {
  if (!present(value)) return MISSING;
  return value.toFixed(2);
}

/** A count with thousands separated by commas ("1,234,567") whatever the locale, like the other units. */
export function formatCount(n: Maybe): string {
  if (!present(n)) return MISSING;
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/**
 * "0 ms", "2.5 ms", "850 ms", "1.2 s", "45 s", "3 min 20 s", "2 h 5 min", "1 d 6 h".
 * A duration shows at most two units. It is rounded to the smaller unit shown and then carried
 * (1 h 59 min 50 s reads "2 h", not "1 h 59 min"). Days start at 24 h: with the hours beside them
 * nothing is lost, and "1 d 6 h" is read faster than "30 h". Below 10 s one decimal, trimmed
 * when it is zero, because flushes and checkpoints take a few milliseconds and the decimal matters
 * there. Negative durations do not occur (clocks here are monotonic or one machine's), so one is
 * shown as missing.
 */
export function formatDuration(ms: Maybe): string {
  if (!present(ms) || ms < 0) return MISSING;
  if (ms < 999.5) return `${ms < 10 ? trimZeros(ms.toFixed(1)) : Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 10) return `${trimZeros(s.toFixed(1))} s`;
  const two = (big: number, bigUnit: string, small: number, smallUnit: string): string =>
    small ? `${big} ${bigUnit} ${small} ${smallUnit}` : `${big} ${bigUnit}`;
  const totalS = Math.round(s);
  if (totalS < 60) return `${totalS} s`;
  if (totalS < 3600) return two(Math.floor(totalS / 60), 'min', totalS % 60, 's');
  const totalMin = Math.round(s / 60);
  if (totalMin < 24 * 60) return two(Math.floor(totalMin / 60), 'h', totalMin % 60, 'min');
  const totalH = Math.round(s / 3600);
  return two(Math.floor(totalH / 24), 'd', totalH % 24, 'h');
}

/**
 * "just now", "42 s ago", "1 min ago", "3 h ago", "2 d ago"; "in 5 s" for a time ahead of the clock.
 * One unit, always rounded down, as elapsed time is counted: 90 s ago reads "1 min ago" (it has
 * been one minute, not two yet), and the text never runs ahead of the clock. Hours go up to 48, because
 * with one unit "1 d ago" would hide up to 23 hours.
 */
export function formatAgo(then: number, now: number): string {
  const d = now - then;
  if (Math.abs(d) < 1000) return 'just now';
  const s = Math.floor(Math.abs(d) / 1000);
  const m = Math.floor(s / 60);
  const h = Math.floor(m / 60);
  const span = s < 60 ? `${s} s` : m < 60 ? `${m} min` : h < 48 ? `${h} h` : `${Math.floor(h / 24)} d`;
  return d > 0 ? `${span} ago` : `in ${span}`;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** Local "HH:MM:SS", 24-hour in every locale. */
export function formatClock(t: number): string {
  const d = new Date(t);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** Local date and time as `2024-05-01 14:03:07`: the same in every locale, so logs and tooltips sort and compare. */
export function formatDateTime(t: Maybe): string {
  if (!present(t)) return MISSING;
  const d = new Date(t);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${formatClock(t)}`;
}

/** The shortest local time that is unambiguous next to `reference`: the time alone on the same day. */
export function formatWhen(t: number, reference: number): string {
  const a = new Date(t);
  const b = new Date(reference);
  const sameDay = a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
  return sameDay ? formatClock(t) : formatDateTime(t);
}

/**
 * The role a charted value plays, which picks its formatter: `percent` is a system-wide share
 * (whole percent), `processCpu` a process's CPU of one core (one decimal).
 */
export type ValueUnit = 'percent' | 'processCpu' | 'bytes' | 'rate' | 'load' | 'celsius' | 'watts';

export function formatValue(unit: ValueUnit, v: Maybe): string {
  switch (unit) {
    case 'percent':
      return formatWholePercent(v);
    case 'processCpu':
      return formatPercent(v);
    case 'bytes':
      return formatBytes(v);
    case 'rate':
      return formatRate(v);
    case 'load':
      return formatLoad(v);
    case 'celsius':
      return formatCelsius(v);
    case 'watts':
      return formatWatts(v);
  }
}

/** "54 °C": whole degrees, what a sensor is good to. */
export function formatCelsius(v: Maybe): string {
  return v === null || v === undefined || !Number.isFinite(v) ? MISSING : `${Math.round(v)} °C`;
}

/** "12.5 W". */
export function formatWatts(v: Maybe): string {
  return v === null || v === undefined || !Number.isFinite(v) ? MISSING : `${v >= 100 ? Math.round(v) : v.toFixed(1)} W`;
}

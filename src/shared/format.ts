// Number formatting shared by the views, the status bar and the messages. Pure, so the exact text a
// user sees is unit-tested.

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'] as const;

/**
 * Binary units labelled the way Task Manager and Activity Monitor label them (1 MB = 1024 KB). One
 * decimal below 100 so small values keep their precision, none above so columns stay short.
 */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '–';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${Math.round(value)} B`;
  // 1023.96 KB would round to "1024.0 KB"; promote it so the unit changes where the digits do.
  if (Number(value.toFixed(value < 100 ? 1 : 0)) >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 100 ? value.toFixed(1) : Math.round(value).toString()} ${UNITS[unit]}`;
}

export function formatRate(bytesPerSecond: number): string {
  return `${formatBytes(bytesPerSecond)}/s`;
}

/** One decimal, as `top` shows process CPU: `0.0%`, `12.3%`, `150.0%`. */
export function formatPercent(value: number): string {
  if (!Number.isFinite(value)) return '–';
  return `${Math.max(0, value).toFixed(1)}%`;
}

/** Whole percent for system-wide figures, where a decimal is noise. */
export function formatWholePercent(value: number): string {
  if (!Number.isFinite(value)) return '–';
  return `${Math.round(Math.max(0, value))}%`;
}

export function percentOf(part: number, total: number): number {
  return total > 0 ? (part / total) * 100 : 0;
}

/** "just now", "42 s ago", "5 min ago", "3 h ago", "2 d ago". */
export function formatAgo(then: number, now: number): string {
  const s = Math.max(0, Math.round((now - then) / 1000));
  if (s < 2) return 'just now';
  if (s < 60) return `${s} s ago`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.floor(h / 24)} d ago`;
}

/** "850 ms", "1.2 s", "3 min 20 s", "2 h 5 min". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
  const totalS = Math.round(s);
  const m = Math.floor(totalS / 60);
  if (m < 60) return totalS % 60 ? `${m} min ${totalS % 60} s` : `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

/** Local date and time as `2024-05-01 14:03:07`: the same in every locale, so logs and tooltips sort and compare. */
export function formatDateTime(t: number): string {
  const d = new Date(t);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** The health report's line on journal records that could not be replayed ('—' when none). */
export function formatJournalDamage(d: { records: number; reason: string; keptAs: string | null } | null | undefined): string {
  if (!d) return '—';
  return `${d.records} records dropped (${d.reason})${d.keptAs ? `; the journal was kept as ${d.keptAs}` : ''}`;
}

// Export History's choices as data: time ranges, formats, scopes, custom ISO dates, default file
// names. Pure.

import type { ExportFormat, ExportScope, Millis } from '../../backend';

export type RangeChoice = 'hour' | 'day' | 'week' | 'month' | 'all' | 'custom';

export const RANGE_CHOICES: readonly { choice: RangeChoice; label: string; ms?: number }[] = [
  { choice: 'hour', label: 'Last hour', ms: 3_600_000 },
  { choice: 'day', label: 'Last 24 hours', ms: 86_400_000 },
  { choice: 'week', label: 'Last 7 days', ms: 7 * 86_400_000 },
  { choice: 'month', label: 'Last 30 days', ms: 30 * 86_400_000 },
  { choice: 'all', label: 'All history' },
  { choice: 'custom', label: 'Custom range…' },
];

export function presetRange(choice: Exclude<RangeChoice, 'custom'>, now: Millis): { from: Millis; to: Millis } {
  if (choice === 'all') return { from: 0, to: now };
  const ms = RANGE_CHOICES.find((c) => c.choice === choice)!.ms!;
  return { from: now - ms, to: now };
}

/**
 * Accepts `2024-05-01`, `2024-05-01 14:00`, `2024-05-01T14:00:00Z` and the like. A date or date-time
 * without a zone is local time, as the user means it.
 */
export function parseIsoDate(text: string): Millis | undefined {
  const s = text.trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(s);
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', sec = '0', frac = '0', zone] = m;
  const parts = [Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec), Number(frac.padEnd(3, '0'))] as const;
  let t: number;
  if (zone) {
    t = Date.UTC(...parts);
    if (zone !== 'Z') {
      const sign = zone.startsWith('-') ? -1 : 1;
      const digits = zone.slice(1).replace(':', '');
      t -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
    }
  } else t = new Date(...parts).getTime();
  // Reject 2024-02-31 and friends, which Date silently rolls over.
  const check = zone ? new Date(Date.UTC(...parts)) : new Date(t);
  const get = zone
    ? [check.getUTCFullYear(), check.getUTCMonth(), check.getUTCDate(), check.getUTCHours(), check.getUTCMinutes()]
    : [check.getFullYear(), check.getMonth(), check.getDate(), check.getHours(), check.getMinutes()];
  if (get.some((v, i) => v !== parts[i])) return undefined;
  return Number.isFinite(t) ? t : undefined;
}

/** An input-box validation message, or undefined when the text is a usable date. */
export function validateDateInput(text: string, notBefore?: Millis): string | undefined {
  const t = parseIsoDate(text);
  if (t === undefined) return 'Enter a date as YYYY-MM-DD or YYYY-MM-DD HH:MM (local time), or an ISO date with a zone.';
  if (notBefore !== undefined && t <= notBefore) return 'The end must be after the start.';
  return undefined;
}

export const FORMAT_CHOICES: readonly { format: ExportFormat; label: string; description: string; filters: Record<string, string[]> }[] = [
  { format: 'csv', label: 'CSV', description: 'one row per sample, for spreadsheets', filters: { CSV: ['csv'] } },
  { format: 'json', label: 'JSON', description: 'for scripts', filters: { JSON: ['json'] } },
  {
    format: 'ndjson',
    label: 'NDJSON',
    description: 'one JSON object per line, for jq, DuckDB, pandas',
    filters: { NDJSON: ['ndjson', 'jsonl'] },
  },
  {
    format: 'sqlite',
    label: 'SQLite',
    description: 'system and process tables with indexes, for sqlite3, DuckDB, Datasette, pandas',
    filters: { SQLite: ['sqlite', 'db'] },
  },
];

/** What to export in `format`: an SQLite file can hold everything at once, so it offers that first. */
export function scopeChoices(format: ExportFormat): { label: string; description: string; scope: ExportScope }[] {
  const each = [
    { label: 'System', description: 'CPU, memory, load, disk, network', scope: { kind: 'system' } as const },
    { label: 'Processes', description: 'per-process CPU and memory', scope: { kind: 'processes' } as const },
    { label: 'Events', description: 'alerts: rule, culprit, peak figure, start and end', scope: { kind: 'events' } as const },
  ];
  return format === 'sqlite'
    ? [{ label: 'Everything', description: 'system, processes and events, one table each', scope: { kind: 'all' } }, ...each]
    : each;
}

/** `vitals-system-20240501-1403.csv` */
export function defaultExportName(scope: ExportScope, format: ExportFormat, now: Millis): string {
  const d = new Date(now);
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}`;
  const what = scope.kind === 'pid' ? `pid${scope.pid}` : scope.kind === 'all' ? 'history' : scope.kind;
  return `vitals-${what}-${stamp}.${format}`;
}

/** Local `YYYY-MM-DD HH:MM`, the format the custom range boxes are prefilled with. */
export function formatInputDate(t: Millis): string {
  const d = new Date(t);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

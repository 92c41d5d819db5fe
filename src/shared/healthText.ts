// The Storage Health report as plain text: what "Vitals: Show Storage Health" writes to the log and
// what `vitals health` prints. One layout for both, with the labels the dashboard's Storage tab uses
// for the same figures (that tab lays them out as HTML cards, with the same formatter).

import type { HealthReport } from '../backend/index';
import { formatBytes, formatCount, formatDateTime, formatDuration, formatPercent, formatWholePercent, MISSING, percentOf } from './format';

/** Readable names for the row-count keys the backend reports; unknown keys are shown as they are. */
const TABLE_NAMES: Readonly<Record<string, string>> = {
  sys_raw: 'System samples, raw',
  sys_1m: 'System, 1-minute rollups',
  sys_1h: 'System, 1-hour rollups',
  proc_raw: 'Process samples, raw',
  proc_1m: 'Processes, 1-minute rollups',
  proc_1h: 'Processes, 1-hour rollups',
  process: 'Known processes',
  metric: 'Metric names',
  event: 'Alert events',
};

export function tableLabel(key: string): string {
  return TABLE_NAMES[key] ?? key;
}

/**
 * The size that counts against the cap: the file once it is written; before the first checkpoint
 * everything recorded is in memory.
 */
export function sizeAgainstCap(r: HealthReport): number {
  return r.databaseSizeBytes > 0 ? r.databaseSizeBytes : r.liveSizeBytes;
}

/** "Recording", "Paused", … — the recorder's state as the dashboard and the text both name it. */
export function recorderState(r: HealthReport): string {
  if (r.role === 'viewer') return 'Another VS Code window records; this one reads';
  if (r.role === 'stopped') return 'Stopped';
  return r.recording ? 'Recording' : 'Paused';
}

/** Journal records that could not be replayed, and where the journal was kept. */
function journalDamage(d: HealthReport['journalDamage']): string {
  if (!d) return 'none';
  return `${formatCount(d.records)} records dropped (${d.reason})${d.keptAs ? `; the journal was kept as ${d.keptAs}` : ''}`;
}

/** What the monitor's CPU figure is the CPU of. */
export function cpuScopeLabel(scope: HealthReport['self']['cpuScope']): string {
  switch (scope) {
    case 'worker-thread':
      return "the backend's worker thread";
    case 'main-thread':
      return "the recorder's thread";
    case 'process':
      return 'the whole process (no per-thread figure on this platform)';
  }
}

/** What the process's RSS is: in VS Code the extension host, which is not only Vitals. */
export function processLabel(scope: HealthReport['self']['cpuScope']): string {
  return scope === 'worker-thread' ? 'the whole extension host, every extension in it' : 'the whole process';
}

/** The monitor's own cost, each figure with what it measures (the text and the Storage tab say the same). */
export function ownCostFacts(self: HealthReport['self']): [string, string][] {
  return [
    ['CPU', `${formatPercent(self.cpuPercent)} of one core, ${cpuScopeLabel(self.cpuScope)} (average since start)`],
    [
      'Memory',
      `${formatBytes(self.heapBytes + self.wasmBytes)} (JavaScript heap ${formatBytes(self.heapBytes)} + SQLite ${formatBytes(self.wasmBytes)})`,
    ],
    ['Process RSS', `${formatBytes(self.rssBytes)}, ${processLabel(self.cpuScope)}`],
  ];
}

/** "System every 2 s, processes every 6 s (…)": the intervals in force, and why when the governor stretched one. */
export function samplingText(s: NonNullable<HealthReport['sampling']>): string {
  const every = formatDuration(s.intervalMs);
  const cost = s.costPercent === null ? 'not measured yet' : formatPercent(s.costPercent);
  if (!s.governed)
    return `System and processes every ${every} (sampling cost ${cost} of one core, budget ${formatPercent(s.budgetPercent)})`;
  return `System every ${formatDuration(s.systemIntervalMs)}, processes every ${formatDuration(s.processIntervalMs)} to stay under ${formatPercent(s.budgetPercent)} of one core (governor: sampling every ${every} costs ${cost})`;
}

/** The recorder's cgroup limits: what the System view's percentages are of inside a container. */
export function containerLimits(c: NonNullable<HealthReport['container']>): string {
  const parts: string[] = [];
  if (c.memoryLimitBytes !== null)
    parts.push(
      `memory limit ${formatBytes(c.memoryLimitBytes)}${c.memoryUsedBytes !== null ? ` (${formatBytes(c.memoryUsedBytes)} used)` : ''}`,
    );
  if (c.cpuLimitCores !== null) parts.push(`CPU limit ${Math.round(c.cpuLimitCores * 100) / 100} cores`);
  return `${parts.join(', ')} (cgroup v${c.version})`;
}

export function healthText(r: HealthReport): string {
  const when = (t: number | null): string => (t === null ? 'none yet' : formatDateTime(t));
  const timed = (e: HealthReport['lastFlush']): string =>
    e ? `${formatDateTime(e.at)}${e.durationMs === null ? '' : ` (took ${formatDuration(e.durationMs)})`}` : 'not yet';
  const span = r.oldestSample !== null && r.newestSample !== null ? formatDuration(r.newestSample - r.oldestSample) : MISSING;
  const onDisk = r.databaseSizeBytes > 0 ? formatBytes(r.databaseSizeBytes) : 'not written yet';
  const share = formatWholePercent(percentOf(sizeAgainstCap(r), r.capBytes));
  const p = r.retention;
  // In the backend's order (raw, minute, hour tiers, then the string tables), as the Storage tab lists them.
  const rows = Object.entries(r.rowCounts).map(([table, n]) => `    ${tableLabel(table)}: ${formatCount(n)}`);
  // Labels padded to one column so the values line up in a monospaced log or terminal.
  const line = (label: string, value: string): string => `  ${label.padEnd(15)} ${value}`;
  return [
    'Vitals storage health',
    line('File', r.databasePath),
    line('Size on disk', `${onDisk} (in memory ${formatBytes(r.liveSizeBytes)}, cap ${formatBytes(r.capBytes)}), ${share} of the cap`),
    line('Journal', formatBytes(r.journalBytes)),
    line('State', recorderState(r)),
    line('Oldest sample', when(r.oldestSample)),
    line('Newest sample', when(r.newestSample)),
    line('Span on record', span),
    line('Last flush', timed(r.lastFlush)),
    line('Last checkpoint', timed(r.lastCheckpoint)),
    line('Dropped samples', formatCount(r.samplesDropped)),
    line('Journal damage', journalDamage(r.journalDamage)),
    line(
      'Retention',
      `raw system ${p.rawSystemHours} h, raw processes ${p.rawProcessMinutes} min, 1-minute rollups ${p.minuteDays} d (top ${p.topNMinute}), 1-hour rollups ${p.hourDays} d (top ${p.topNHour}), size cap ${p.maxDatabaseMB} MB`,
    ),
    // A report read from a file nobody records has no monitor whose cost it could name.
    ...(r.role === 'stopped'
      ? []
      : [
          "  The monitor's own cost",
          ...ownCostFacts(r.self).map(([label, value]) => `  ${line(label, value)}`),
          ...(r.sampling ? [`  ${line('Sampling', samplingText(r.sampling))}`] : []),
        ]),
    ...(r.container ? [line('Container', containerLimits(r.container))] : []),
    '  Rows',
    ...rows,
  ].join('\n');
}

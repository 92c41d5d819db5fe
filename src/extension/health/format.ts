// Storage Health as readable text for the log (the dashboard renders the same report as a panel).

import type { HealthReport } from '../../backend';
import { formatBytes, formatDateTime, formatDuration, formatJournalDamage, formatPercent } from '../../shared/format';

export function formatHealthReport(r: HealthReport): string {
  const when = (t: number | null) => (t === null ? 'none' : formatDateTime(t));
  const timed = (e: HealthReport['lastFlush']) => (e ? `${formatDateTime(e.at)} (took ${formatDuration(e.durationMs)})` : 'not yet');
  const rows = Object.entries(r.rowCounts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([table, n]) => `    ${table}: ${n.toLocaleString('en-US')}`);
  const p = r.retention;
  return [
    'Vitals storage health',
    `  Database        ${r.databasePath}`,
    `  Size on disk    ${formatBytes(r.databaseSizeBytes)} (in memory ${formatBytes(r.liveSizeBytes)}, cap ${formatBytes(r.capBytes)})`,
    `  Journal         ${formatBytes(r.journalBytes)}`,
    `  Recorder        ${r.role}${r.recording ? ', recording' : ', not recording'}`,
    `  Oldest sample   ${when(r.oldestSample)}`,
    `  Newest sample   ${when(r.newestSample)}`,
    `  Last flush      ${timed(r.lastFlush)}`,
    `  Last checkpoint ${timed(r.lastCheckpoint)}`,
    `  Dropped samples ${r.samplesDropped}`,
    `  Journal damage  ${formatJournalDamage(r.journalDamage)}`,
    `  Retention       raw system ${p.rawSystemHours} h, raw processes ${p.rawProcessMinutes} min, 1-min rollups ${p.minuteDays} d (top ${p.topNMinute}), 1-h rollups ${p.hourDays} d (top ${p.topNHour}), cap ${p.maxDatabaseMB} MB`,
    `  Monitor cost    CPU ${formatPercent(r.self.cpuPercent)} of one core, RSS ${formatBytes(r.self.rssBytes)}, heap ${formatBytes(r.self.heapBytes)}`,
    '  Rows',
    ...rows,
  ].join('\n');
}

// Text the CLI prints: the live summary line and the health report.
import { formatBytes, formatDateTime, formatDuration, formatJournalDamage, formatPercent } from '../shared/format';
import type { HealthReport, Snapshot } from '../backend/types';

export function summaryLine(s: Snapshot, h: HealthReport): string {
  const top = [...s.processes].sort((a, b) => b.cpu - a.cpu)[0];
  const clock = new Date(s.t).toTimeString().slice(0, 8);
  const mem = `${formatBytes(s.system.mem.usedBytes)}/${formatBytes(s.system.mem.totalBytes)}`;
  return [
    clock,
    `cpu ${formatPercent(s.system.cpu.total).padStart(6)}`,
    `mem ${mem}`,
    `load ${s.system.load[0].toFixed(2)}`,
    `${s.processes.length} procs`,
    top ? `top ${top.name} ${formatPercent(top.cpu)}` : '',
    `db ${formatBytes(Math.max(h.databaseSizeBytes, h.liveSizeBytes))}`,
    `self ${formatPercent(h.self.cpuPercent)}`,
  ]
    .filter(Boolean)
    .join('  ');
}

export function formatHealth(h: HealthReport): string {
  const when = (t: number | null): string => (t === null ? '—' : formatDateTime(t));
  const r = h.retention;
  const lines = [
    `Database        ${h.databasePath}`,
    `Size            ${formatBytes(h.databaseSizeBytes)} of ${formatBytes(h.capBytes)} cap (${formatPercent((h.databaseSizeBytes / h.capBytes) * 100)})`,
    `Journal         ${formatBytes(h.journalBytes)}`,
    `Oldest sample   ${when(h.oldestSample)}`,
    `Newest sample   ${when(h.newestSample)}`,
    `Rows            ${Object.entries(h.rowCounts)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
    `Retention       raw system ${r.rawSystemHours} h, raw processes ${r.rawProcessMinutes} min, 1-minute ${r.minuteDays} d, 1-hour ${r.hourDays} d; top ${r.topNMinute}/${r.topNHour} processes per minute/hour`,
    `Last flush      ${h.lastFlush ? `${when(h.lastFlush.at)} (${formatDuration(h.lastFlush.durationMs)})` : '—'}`,
    `Last checkpoint ${h.lastCheckpoint ? `${when(h.lastCheckpoint.at)} (${formatDuration(h.lastCheckpoint.durationMs)})` : '—'}`,
    `Dropped samples ${h.samplesDropped}`,
    `Journal damage  ${formatJournalDamage(h.journalDamage)}`,
  ];
  return lines.join('\n');
}

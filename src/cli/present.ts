// Text the CLI prints: the live summary line. The health report's text is shared with the
// extension's log (src/shared/healthText.ts).
import { formatBytes, formatClock, formatDuration, formatLoad, formatPercent, formatWholePercent } from '../shared/format';
import type { HealthReport, Snapshot } from '../backend/types';

export function summaryLine(s: Snapshot, h: HealthReport): string {
  const top = [...s.processes].sort((a, b) => b.cpu - a.cpu)[0];
  const mem = `${formatBytes(s.system.mem.usedBytes)}/${formatBytes(s.system.mem.totalBytes)}`;
  return [
    formatClock(s.t),
    // System CPU is a machine-wide share (whole percent, as in the status bar); padded to "100%".
    `cpu ${formatWholePercent(s.system.cpu.total).padStart(4)}`,
    `mem ${mem}`,
    `load ${formatLoad(s.system.load[0])}`,
    `${s.processes.length} procs`,
    top ? `top ${top.name} ${formatPercent(top.cpu)}` : '',
    `db ${formatBytes(Math.max(h.databaseSizeBytes, h.liveSizeBytes))}`,
    // The recorder's own thread and its memory (V8 heap + SQLite), not the system's.
    `self cpu ${formatPercent(h.self.cpuPercent)} mem ${formatBytes(h.self.heapBytes + h.self.wasmBytes)}`,
    // Said only when the governor stretched it: the process list is older than the system figures.
    h.sampling?.governed
      ? `${h.sampling.systemIntervalMs > h.sampling.intervalMs ? `system every ${formatDuration(h.sampling.systemIntervalMs)} ` : ''}procs every ${formatDuration(h.sampling.processIntervalMs)} (governor)`
      : '',
  ]
    .filter(Boolean)
    .join('  ');
}
